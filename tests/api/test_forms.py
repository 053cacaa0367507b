import pytest

from chunfeng.formdefs.selectors import definition_of, form_version_latest


@pytest.fixture
def viewer(client_as):
    return client_as("zsg", "viewer")


def test_list_gives_the_latest_version_of_each_form(viewer):
    response = viewer.get("/api/v1/forms")
    assert response.status_code == 200
    forms = {f["code"]: f for f in response.json()}
    assert set(forms) == {"F1", "F2"}
    assert {code: len(f["fields"]) for code, f in forms.items()} == {"F1": 77, "F2": 87}
    assert forms["F1"] == definition_of(form_version_latest("F1")).to_json()


@pytest.mark.parametrize("code, fields", [("F1", 77), ("F2", 87)])
def test_detail_is_the_definition_json(viewer, code, fields):
    response = viewer.get(f"/api/v1/forms/{code}")
    assert response.status_code == 200
    body = response.json()
    assert body == definition_of(form_version_latest(code)).to_json()
    assert len(body["fields"]) == fields
    assert body["checks"] and body["items"]


def test_detail_field_types(viewer):
    fields = {f["code"]: f for f in viewer.get("/api/v1/forms/F2").json()["fields"]}
    assert fields["05B"]["type"] == "yesno"
    assert fields["05A"] == {**fields["05A"], "type": "wan", "unit": "万元"}


def test_unknown_form_is_404_in_chinese(viewer):
    response = viewer.get("/api/v1/forms/F9")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "没有代码为 F9 的表单",
        "details": [],
    }
