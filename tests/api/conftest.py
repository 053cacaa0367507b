import pytest


@pytest.fixture
def client_as(fed, api):
    """``client_as("zs", "filler")`` → an API client with a fresh token of that user."""

    def make(key: str, role: str):
        return api(fed.token(key, role))

    return make


@pytest.fixture
def report_url(fed):
    """``report_url("210202", "F1")`` → the report endpoint in the demo campaign."""

    def make(unit_code: str, form_code: str, campaign_id: int | None = None) -> str:
        cid = fed.campaign.pk if campaign_id is None else campaign_id
        return f"/api/v1/campaigns/{cid}/reports/{unit_code}/{form_code}"

    return make
