"""No lost update of a household (contract (c)): the edit page carries the version it showed and
the API answers an ETag; a save onto a newer version is refused with 409 naming the fields that
differ, with both values (personal numbers masked); a client that sends no version still saves."""

from __future__ import annotations

import re

from django.urls import reverse

from chunfeng.register.models import Household

from .conftest import new_household


def form_of(page: str) -> dict:
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    for name in ("csrfmiddlewaretoken", "causes"):  # causes: unticked checkboxes
        fields.pop(name, None)
    selected = re.search(r'<option value="([BCD])" selected', page)
    return fields | {"category": selected.group(1) if selected else "B"}


def test_an_edit_from_an_older_page_is_refused_with_the_input_kept(fed, login):
    household = new_household(fed, fed.zs, 1, phone="13900000001")
    first, second = login(fed.user("zs", "filler")), login(fed.user("zs", "admin"))
    url = reverse("household-edit", args=[household.pk])
    page1, page2 = (c.get(url).content.decode() for c in (first, second))
    assert form_of(page1)["version"] == "1"
    assert first.post(url, form_of(page1) | {"income": "720"}).status_code == 302
    stale = second.post(url, form_of(page2) | {"phone": "13911112222", "employer": "大连港"})
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "别人已修改并保存了这条记录" in html
    assert "家庭月人均收入：现为“720.00”，您填的是“650.00”" in html
    assert "联系电话：现为“139****0001”，您填的是“139****2222”" in html
    assert "13911112222" in html  # the admin's input stays in the form, to save again
    saved = Household.objects.get()
    assert (saved.income, saved.phone, saved.version) == (720, "13900000001", 2)
    again = form_of(html)
    assert again["version"] == "2" and again["employer"] == "大连港"
    assert second.post(url, again).status_code == 302  # knowingly, onto the current version
    assert Household.objects.get().phone == "13911112222"


def test_the_api_refuses_a_stale_patch(fed, api):
    household = new_household(fed, fed.zs, 1, phone="13900000001")
    client = api(fed.token("zs", "filler"))
    url = f"/api/v1/households/{household.pk}"
    etag = client.get(url)["ETag"]
    assert etag == '"1"'

    def patch(data, **headers):
        return client.patch(url, data, content_type="application/json", headers=headers)

    saved = patch({"income": 720}, **{"If-Match": etag})
    assert saved.status_code == 200 and saved["ETag"] == '"2"' and saved.json()["version"] == 2
    stale = patch({"phone": "13911112222", "income": 650}, **{"If-Match": etag})
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    details = {d["field"]: d["message"] for d in stale.json()["details"]}
    assert details == {
        "phone": "联系电话：现为“139****0001”，您填的是“139****2222”",
        "income": "家庭月人均收入：现为“720.00”，您填的是“650.00”",
    }
    assert "13911112222" not in stale.content.decode()
    assert Household.objects.get().phone == "13900000001"
    assert patch({"phone": "13911112222"}).status_code == 200  # no If-Match: an older client
    assert Household.objects.get().phone == "13911112222"
