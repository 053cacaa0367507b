"""The 汇总 page's chart: money raised by source (05B–05E) and paid (06B, 06C and the rest of
06A), this campaign beside the previous one, as the 汇总 itself sums them."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from chunfeng.campaigns.services import campaign_create
from tests.fixtures import file_report

VALUES = {"05A": "10", "05B": "4", "05C": "3", "05D": "2", "05E": "1"}
VALUES |= {"06A": "10", "06B": "2", "06C": "1", "04C": "5"}  # all paid out (F1-W01)


def test_composition_equals_the_summary(fed, login, api):
    file_report(fed, fed.zs, "F1", VALUES)
    file_report(fed, fed.xg, "F1", {**VALUES, "05A": "12", "05E": "3", "06A": "12"})
    args = [fed.campaign.pk, fed.city.code, "F1"]
    client = login(fed.user("city", "reviewer"))
    url = reverse("dashboard-composition", args=args) + "?status=submitted"
    found = client.get(url).json()
    by_name = {x["name"]: x for x in found["series"]}
    assert found["categories"] == [fed.campaign.name]  # no previous campaign
    assert by_name["政府拨款"]["data"] == ["8.0000"] and by_name["政府拨款"]["stack"] == "raised"
    assert by_name["其他收入"]["data"] == ["4.0000"]
    assert by_name["向困难劳模发放"]["data"] == ["4.0000"]
    assert by_name["其他发放"]["data"] == ["16.0000"]  # 06A 22 − 06B 4 − 06C 2
    token = fed.token("city", "reviewer")
    path = f"/api/v1/dashboards/{fed.campaign.pk}/summary/{fed.city.code}/F1/composition"
    assert api(token).get(path + "?status=submitted").json() == found
    page = client.get(reverse("summary", args=args) + "?status=submitted").content.decode()
    assert 'id="chart-composition"' in page and url.replace("&", "&amp;") in page
    assert "16.0000" in page  # the table under the chart


def test_composition_sets_this_campaign_beside_the_previous(fed, login):
    later = campaign_create(
        owner=fed.city,
        name="2013年春风行动",
        period_start=dt.date(2012, 12, 20),
        period_end=dt.date(2013, 2, 9),
        deadline=dt.date(2013, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs],
    )
    file_report(fed, fed.zs, "F1", VALUES)
    url = reverse("dashboard-composition", args=[later.pk, fed.city.code, "F1"])
    found = login(fed.user("city", "viewer")).get(url + "?status=submitted").json()
    assert found["categories"] == [later.name, fed.campaign.name]
    assert found["series"][0]["data"] == ["0.0000", "4.0000"]


def test_composition_is_scoped(fed, login, api):
    url = reverse("dashboard-composition", args=[fed.campaign.pk, fed.xg.code, "F1"])
    assert login(fed.user("zs", "reviewer")).get(url).status_code == 404
    assert login(fed.user("zs", "reviewer")).get(url.replace("/F1/", "/F2/")).status_code == 404
    path = f"/api/v1/dashboards/{fed.campaign.pk}/summary/{fed.xg.code}/F1/composition"
    assert api(fed.token("zs", "reviewer")).get(path).status_code == 404
    f2 = reverse("dashboard-composition", args=[fed.campaign.pk, fed.city.code, "F2"])
    assert login(fed.user("city", "reviewer")).get(f2).status_code == 404  # no money blanks
