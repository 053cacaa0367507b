"""/receipts: money raised (筹集) by source, listed within the subtree, written by fillers and
admins of the unit or above."""

import pytest

from chunfeng.core.models import AuditEvent
from chunfeng.funds.models import Receipt

from .records import post

URL = "/api/v1/receipts"


def body(fed, **changes) -> dict:
    return {
        "campaign": fed.campaign.pk,
        "unit": "210202",
        "source": "government",
        "amount": "30000",
        "received_on": "2011-12-25",
        "note": "区财政拨款",
        **changes,
    }


def test_filler_records_a_receipt(fed, client_as):
    response = post(client_as("zs", "filler"), URL, body(fed))
    assert response.status_code == 201, response.json()
    receipt = Receipt.objects.get()
    assert response.json() == {
        "id": receipt.pk,
        "unit": "210202",
        "campaign": fed.campaign.pk,
        "source": "government",
        "amount": "30000.00",
        "from_unit": None,
        "received_on": "2011-12-25",
        "note": "区财政拨款",
    }
    assert receipt.created_by == fed.user("zs", "filler")
    assert AuditEvent.objects.filter(action="receipt.create").exists()


def test_amounts_are_exact(fed, client_as):
    client = client_as("zs", "admin")
    # 12345.67 as a JSON number arrives as an exact decimal, not a float
    response = client.post(
        URL,
        f'{{"campaign": {fed.campaign.pk}, "unit": "210202001", "source": "union", '
        '"amount": 12345.67, "received_on": "2011-12-26"}',
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "12345.67" and response.json()["note"] == ""
    assert str(Receipt.objects.get().amount) == "12345.67"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"source": "lottery"}, "source"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"received_on": "2011-13-01"}, "received_on"),
    ],
)
def test_bad_receipts_are_400_naming_the_field(fed, client_as, changes, field):
    response = post(client_as("zs", "filler"), URL, body(fed, **changes))
    assert response.status_code == 400, response.json()
    assert response.json()["details"][0]["field"] == field
    assert not Receipt.objects.exists()


def test_wrong_shape_is_422(fed, client_as):
    client = client_as("zs", "filler")
    assert post(client, URL, body(fed, extra=1)).status_code == 422
    data = body(fed)
    data.pop("source")
    assert post(client, URL, data).status_code == 422
    assert not Receipt.objects.exists()


@pytest.fixture
def receipts(fed, client_as):
    made = {}
    for key, unit, source, amount in (
        ("zs", "210202", "government", "30000"),
        ("zs", "210202001", "donation", "100.5"),
        ("zsg", "210202001", "other", "88"),
        ("xg", "210203", "union", "8888"),
    ):
        response = post(
            client_as(key, "filler"), URL, body(fed, unit=unit, source=source, amount=amount)
        )
        assert response.status_code == 201, response.json()
        made[(unit, source)] = response.json()["id"]
    return made


def test_list_filters(fed, client_as, receipts):
    client = client_as("city", "viewer")

    def listed(query: str = "") -> list[tuple[str, str, str]]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.json()
        return sorted((r["unit"], r["source"], r["amount"]) for r in response.json())

    assert len(listed()) == 4
    assert listed("unit=210202") == [
        ("210202", "government", "30000.00"),
        ("210202001", "donation", "100.50"),
        ("210202001", "other", "88.00"),
    ]
    assert listed(f"campaign={fed.campaign.pk}&unit=210203") == [("210203", "union", "8888.00")]
    assert client.get(f"{URL}?campaign=999999").status_code == 404


def test_grassroots_sees_only_its_own(fed, client_as, receipts):
    got = client_as("zsg", "viewer").get(URL).json()
    assert sorted(r["amount"] for r in got) == ["100.50", "88.00"]


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", [("zs", "filler"), ("zs", "admin"), ("zs", "viewer"), ("zsg", "filler")]
)
def test_other_subtrees_are_404(fed, client_as, receipts, who):
    client = client_as(*who)
    assert client.get(f"{URL}?unit=210203").status_code == 404
    assert "8888.00" not in client.get(URL).content.decode()
    assert post(client, URL, body(fed, unit="210203")).status_code == 404
    assert Receipt.objects.count() == 4


@pytest.mark.parametrize(
    "who", [("zs", "viewer"), ("zs", "reviewer"), ("city", "viewer"), ("city", "reviewer")]
)
def test_viewers_and_reviewers_cannot_write(fed, client_as, who):
    response = post(client_as(*who), URL, body(fed))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Receipt.objects.exists()


def test_city_filler_records_for_a_district(fed, client_as):
    assert post(client_as("city", "filler"), URL, body(fed)).status_code == 201
    assert Receipt.objects.get().unit == fed.zs


def test_requires_token(fed, api):
    assert api(None).get(URL).status_code == 401
    assert post(api(None), URL, body(fed)).status_code == 401
