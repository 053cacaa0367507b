import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report
from tests.fixtures import zeros

F1 = latest_builtin("F1")
F2 = latest_builtin("F2")


@pytest.fixture
def validate(client_as):
    client = client_as("zsg", "viewer")

    def post(body):
        return client.post("/api/v1/validate", body, content_type="application/json")

    return post


def checks(answer: dict, level: str) -> list[str]:
    return [r["check"] for r in answer[level]]


@pytest.mark.parametrize("form, definition", [("F1", F1), ("F2", F2)])
def test_zeros_pass(validate, form, definition):
    response = validate({"form": form, "values": zeros(definition)})
    assert response.status_code == 200
    assert response.json() == {"errors": [], "warnings": []}


def test_failing_check(validate):
    answer = validate({"form": "F1", "values": {"01A": 1, "01A.2": 2}}).json()
    assert answer["errors"] == [
        {
            "check": "F1-01",
            "message": F1.checks[0].message,
            "fields": ["01A.2", "01A"],
        }
    ]
    assert answer["warnings"] == []
    assert not Report.objects.exists()


def test_warning(validate):
    answer = validate({"form": "F2", "values": {"05B": "是", "05A": 0}}).json()
    assert checks(answer, "errors") == []
    assert checks(answer, "warnings") == ["F2-W07"]


@pytest.mark.parametrize(
    "values, errors",
    [
        ({}, []),  # every check skipped while its blanks are empty
        ({"01A.2": 2}, []),  # skip_if_any: 01A is empty
        ({"09A.2": 5}, ["F1-25"]),  # skip_if_all: the other blanks count as 0
        ({"09A.2": 5, "09.2": 5}, []),
    ],
)
def test_missing_strategies(validate, values, errors):
    """On version 1, where F1-25 is an error (version 2 makes it a warning)."""
    answer = validate({"form": "F1", "version": 1, "values": values}).json()
    assert checks(answer, "errors") == errors


def test_explicit_version(validate):
    response = validate({"form": "F1", "version": 1, "values": {"01A": 1, "01A.2": 2}})
    assert checks(response.json(), "errors") == ["F1-01"]


def test_bad_values_are_400_per_field(validate):
    response = validate({"form": "F1", "values": {"01A": "abc", "05A": 1.23456, "XX": 1}})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_values"
    assert [d["field"] for d in body["details"]] == ["01A", "05A", "XX"]


@pytest.mark.parametrize(
    "body", [{"form": "F9", "values": {}}, {"form": "F1", "version": 7, "values": {}}]
)
def test_unknown_form_is_400(validate, body):
    response = validate(body)
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_form"
    assert "没有表单" in response.json()["message"]


def test_missing_form_is_422(validate):
    response = validate({"values": {}})
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": "form", "message": "缺少此项"}]


def test_needs_a_token(fed, api):
    response = api(None).post(
        "/api/v1/validate", {"form": "F1", "values": {}}, content_type="application/json"
    )
    assert response.status_code == 401
