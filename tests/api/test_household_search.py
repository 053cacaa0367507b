"""Searching the register by ID number without the number in a URL (contract (b)): a POSTed
search, or its search token as ``id_token``; ``q`` with a full number still works (discouraged).
Phone and bank numbers stay masked in every answer."""

from __future__ import annotations

import pytest

from chunfeng.core.personal import search_token
from tests.funds.helpers import household

URL = "/api/v1/households"


@pytest.fixture
def files(fed):
    return {
        "zs": household(fed.zs, 1, "张一", phone="13904110001", bank="6222023400000016"),
        "zsg": household(fed.zs_g1, 2, "李二"),
        "xg": household(fed.xg, 3, "赵三"),
    }


def search(client, **body):
    return client.post(f"{URL}/search", body, content_type="application/json")


def test_a_posted_search_by_number_answers_its_token(fed, client_as, files):
    client = client_as("zs", "viewer")
    response = search(client, id_number=files["zsg"].id_number)
    assert response.status_code == 200
    got = response.json()
    assert [h["name"] for h in got["items"]] == ["李二"]
    assert got["id_token"] == search_token("id", files["zsg"].id_number)
    again = client.get(URL, {"id_token": got["id_token"]}).json()
    assert [h["name"] for h in again["items"]] == ["李二"]
    # outside the subtree: nothing, as for any search
    assert search(client, id_number=files["xg"].id_number).json()["items"] == []
    assert search(client, q="张", status="active").json()["count"] == 1
    bad = search(client, id_number="2102")
    assert bad.status_code == 400 and bad.json()["details"][0]["field"] == "id_number"
    assert "2102" not in bad.json()["message"]


def test_q_with_a_full_number_is_still_accepted(fed, client_as, files):
    got = client_as("zs", "viewer").get(URL, {"q": files["zs"].id_number}).json()
    assert [h["name"] for h in got["items"]] == ["张一"]
    assert client_as("zs", "viewer").get(URL, {"id_token": "nonsense"}).json()["count"] == 0


def test_numbers_are_masked_in_every_answer_without_the_reveal(fed, client_as, files):
    client = client_as("zs", "filler")
    listed = client.get(URL).content.decode()
    one = client.get(f"{URL}/{files['zs'].pk}").content.decode()
    found = search(client, id_number=files["zs"].id_number).content.decode()
    for answer in (listed, one, found):
        for number in (files["zs"].id_number, "13904110001", "6222023400000016"):
            assert number not in answer
        assert "139****0001" in answer and "6222********0016" in answer
    full = client.get(f"{URL}/{files['zs'].pk}", {"reveal": 1}).json()
    assert (full["phone"], full["bank_account"]) == ("13904110001", "6222023400000016")


def test_the_openapi_discourages_q_with_a_full_number(client):
    schema = client.get(f"{URL.replace('/households', '')}/openapi.json").json()
    listing = schema["paths"]["/api/v1/households"]["get"]
    assert "不建议" in listing["description"]
    assert "id_token" in [p["name"] for p in listing["parameters"]]
    assert "post" in schema["paths"]["/api/v1/households/search"]
