"""The API's hygiene: every error under /api/v1/ is JSON, also those no endpoint made, and the
OpenAPI schema names each model once (a clash makes ninja document one under the other's name)."""

import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

from chunfeng.api.api import api
from chunfeng.funds.services import batch_create
from tests.core.bodies import Body

SCHEMA_URL = "/api/v1/openapi.json"


def _models_in(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _every_model() -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()

    def walk(model):
        if model in seen:
            return
        seen.add(model)
        for field in model.model_fields.values():
            for inner in _models_in(field.annotation):
                walk(inner)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.models, *operation.response_models.values()]:
                    if model is not None:
                        walk(model)
    return seen


def test_no_two_models_share_a_component_name():
    by_name = defaultdict(set)
    for model in _every_model():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes
    assert {"FormLineOut", "PaymentLineOut"} <= set(by_name)


def test_forms_are_documented_with_the_form_schema(client):
    schema = client.get(SCHEMA_URL).json()
    components = schema["components"]["schemas"]
    listed = schema["paths"]["/api/v1/forms"]["get"]["responses"]["200"]
    ref = listed["content"]["application/json"]["schema"]["items"]["$ref"]
    assert ref == "#/components/schemas/FormOut"
    item = components["FormItemOut"]["properties"]["lines"]["items"]["$ref"]
    assert set(components[item.rsplit("/", 1)[1]]["properties"]) == {"letter", "text", "blanks"}
    payment_line = components["PaymentLineOut"]["properties"]
    assert {"id_number", "amount", "batch"} <= set(payment_line)


def test_uploads_are_documented_as_multipart(client):
    paths = client.get(SCHEMA_URL).json()["paths"]
    for path in (
        "/api/v1/campaigns/{campaign_id}/reports/{unit_code}/{form_code}/import",
        "/api/v1/households/import",
    ):
        operation = paths[path]["post"]
        body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert body["properties"]["file"]["format"] == "binary"
        assert {"403", "413"} <= set(operation["responses"])


def _is_json_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["message"] and isinstance(body["details"], list)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here", "/api/v1/households/not-a-number", "/api/v1/campaigns/1/x/y/z"],
)
def test_an_unknown_path_is_a_json_404(fed, client_as, path):
    _is_json_error(client_as("zs", "filler").get(path), 404, "not_found")


def test_an_id_out_of_reach_is_a_json_404(fed, client_as):
    for path in ("/api/v1/households/999999", "/api/v1/households/99999999999999999999"):
        _is_json_error(client_as("zs", "filler").get(path), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns/{n}/reports/210202/F1",  # looked up by a foreign key, not by its own
        "/api/v1/campaigns/{n}/completeness",
        "/api/v1/cases/{n}",
        "/api/v1/payments/{n}",
    ],
)
@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 18871923010804110007883268096])
def test_a_number_beyond_the_databases_integers_is_a_json_404(fed, client_as, path, number):
    """SQLite cannot bind it at all: found by schemathesis as a 500."""
    response = client_as("city", "admin").get(path.format(n=number))
    _is_json_error(response, 404, "not_found")


def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(fed, client_as):
    response = client_as("zs", "filler").delete("/api/v1/forms")
    _is_json_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_a_body_above_the_limit_is_a_json_413_and_is_not_read(fed, client_as):
    body = Body.lazy(50 * 1024 * 1024)
    response = client_as("zs", "filler").post(
        "/api/v1/validate", **body.environ("application/json")
    )
    _is_json_error(response, 413, "too_large")
    assert body.read_bytes == 0


@pytest.mark.parametrize("path", ["/api/v1/households?q=%00", "/api/v1/forms/F%001"])
def test_a_nul_in_the_url_is_a_json_400(fed, client_as, path):
    _is_json_error(client_as("zs", "filler").get(path), 400, "nul_character")


def test_a_nul_in_a_json_body_is_a_400(fed, client_as):
    response = client_as("zs", "filler").post(
        "/api/v1/receipts",
        {
            "campaign": fed.campaign.pk,
            "unit": "210202",
            "source": "donation",
            "amount": "1",
            "received_on": "2012-01-01",
            "note": "a\u0000b",
        },
        content_type="application/json",
    )
    _is_json_error(response, 400, "nul_character")


def test_the_docs_page_stays_html(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_every_operation_documents_the_errors_any_endpoint_may_answer(client):
    paths = client.get(SCHEMA_URL).json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"400", "401"} <= documented, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in documented, (method, path)


def test_path_parameters_carry_an_example(client):
    paths = client.get(SCHEMA_URL).json()["paths"]
    report = paths["/api/v1/campaigns/{campaign_id}/reports/{unit_code}/{form_code}"]["get"]
    assert {p["name"]: p["example"] for p in report["parameters"]} == {
        "campaign_id": 1,
        "unit_code": "210202",
        "form_code": "F1",
    }


def test_a_page_far_past_the_end_is_empty_not_a_500(fed, client_as):
    response = client_as("zs", "filler").get("/api/v1/households?page=576460752303423487")
    assert response.status_code == 200 and response.json()["items"] == []


def test_an_amount_too_large_for_any_column_is_a_400(fed, client_as):
    batch = batch_create(
        unit=fed.zs, campaign=fed.campaign, name="第一批", actor=fed.user("zs", "filler")
    )
    for amount in ("-6.31e87", "6.31e87"):
        response = client_as("zs", "filler").post(
            f"/api/v1/payments/{batch.pk}/lines",
            f'{{"id_number": "210202198809300155", "amount": {amount}, "date": "2012-01-05",'
            ' "aid_type": "living", "kind": "cash"}',
            content_type="application/json",
        )
        _is_json_error(response, 400, "invalid")
