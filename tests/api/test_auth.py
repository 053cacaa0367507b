import pytest

from chunfeng.accounts.models import ApiToken
from chunfeng.accounts.services import user_update

PATHS = (
    "/api/v1/forms",
    "/api/v1/forms/{code}",
    "/api/v1/orgunits",
    "/api/v1/campaigns",
    "/api/v1/campaigns/{campaign_id}",
    "/api/v1/campaigns/{campaign_id}/reports/{unit_code}/{form_code}",
    "/api/v1/validate",
    "/api/v1/campaigns/{campaign_id}/reports/{unit_code}/{form_code}/submit",
    "/api/v1/campaigns/{campaign_id}/reports/{unit_code}/{form_code}/approve",
    "/api/v1/campaigns/{campaign_id}/reports/{unit_code}/{form_code}/return",
    "/api/v1/campaigns/{campaign_id}/reports/{unit_code}/{form_code}/reopen",
    "/api/v1/campaigns/{campaign_id}/completeness",
    "/api/v1/campaigns/{campaign_id}/summary/{unit_code}/{form_code}",
)


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == "unauthorized"
    assert "令牌" in body["message"]


@pytest.mark.parametrize("path", ["/api/v1/forms", "/api/v1/orgunits", "/api/v1/campaigns"])
def test_no_token_is_401(fed, api, path):
    assert_unauthorized(api(None).get(path))


@pytest.mark.parametrize(
    "header", ["Bearer cf_not-a-real-token", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"]
)
def test_bad_token_is_401(fed, client, header):
    assert_unauthorized(client.get("/api/v1/forms", headers={"Authorization": header}))


def test_good_token_is_accepted_and_marked_used(fed, api):
    token = fed.token("zs", "filler")
    assert api(token).get("/api/v1/orgunits").status_code == 200
    assert ApiToken.objects.get(digest=ApiToken.hash(token)).last_used_at is not None


def test_revoked_token_is_401(fed, api):
    token = fed.token("zs", "filler")
    ApiToken.objects.filter(digest=ApiToken.hash(token)).update(revoked=True)
    assert_unauthorized(api(token).get("/api/v1/orgunits"))


def test_inactive_user_is_401(fed, api):
    token = fed.token("zs", "filler")
    user_update(user=fed.user("zs", "filler"), actor=fed.user("city", "admin"), active=False)
    assert_unauthorized(api(token).get("/api/v1/orgunits"))


def test_put_without_token_is_401_and_saves_nothing(fed, api, report_url):
    response = api(None).put(
        report_url("210202", "F1"), {"values": {"01A": 1}}, content_type="application/json"
    )
    assert_unauthorized(response)
    assert not fed.campaign.forms.get(code="F1").reports.exists()


def test_openapi_is_public_and_lists_the_paths(fed, api):
    response = api(None).get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(PATHS) <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    put = schema["paths"][PATHS[5]]["put"]
    assert "清空" in put["description"]
    assert {"200", "400", "403", "404"} <= set(put["responses"])


def test_openapi_documents_the_new_answers(fed, api):
    paths = api(None).get("/api/v1/openapi.json").json()["paths"]
    assert {"201", "400", "403", "422"} <= set(paths["/api/v1/campaigns"]["post"]["responses"])
    for action in ("submit", "approve", "return", "reopen"):
        post = paths[f"{PATHS[5]}/{action}"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(post["responses"])


@pytest.mark.parametrize("action", ["submit", "approve", "return", "reopen"])
def test_workflow_without_token_is_401(fed, api, report_url, action):
    from tests.fixtures import file_report

    report = file_report(fed, fed.zs)
    response = api(None).post(
        f"{report_url('210202', 'F1')}/{action}", {"reason": "x"}, content_type="application/json"
    )
    assert_unauthorized(response)
    report.refresh_from_db()
    assert report.status == "submitted"


def test_docs_are_public(fed, api):
    response = api(None).get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
