"""The coverage list records a household visit in place (HTMX, one form per row), through the
visits' own service: the activity period applies, other subtrees are a 404, readers are
refused, and the row shows the ID number masked."""

from chunfeng.core.models import AuditEvent
from chunfeng.funds.coverage import coverage
from chunfeng.funds.models import Visit

from .helpers import household, squash, text

HX = {"HTTP_HX_REQUEST": "true"}


def _post(client, fed, hh, day="2012-01-10", visitors="主席 王某", **extra):
    return client.post(
        f"/funds/coverage/{hh.pk}/visit/",
        {"campaign": fed.campaign.pk, "visited_on": day, "visitors": visitors},
        **extra,
    )


def test_the_list_offers_a_visit_form_per_row_to_writers_only(fed, login):
    hh = household(fed.zs_g1, 1, "甲")
    url = f"/funds/coverage/?campaign={fed.campaign.pk}"
    page = text(login(fed.user("zs", "filler")).get(url))
    assert f'hx-post="/funds/coverage/{hh.pk}/visit/"' in page
    assert hh.id_number not in page and hh.id_number[-4:] in page  # masked, as before
    assert "hx-post" not in text(login(fed.user("zs", "viewer")).get(url))


def test_a_visit_recorded_in_place_returns_the_row_and_covers_the_household(fed, login):
    hh = household(fed.zs_g1, 1, "甲")
    response = _post(login(fed.user("zs", "filler")), fed, hh, **HX)
    row = squash(text(response))
    assert response.status_code == 200 and row.startswith(f'<tr id="missing-{hh.pk}">')
    assert "已登记走访（2012-01-10）" in row and hh.id_number not in row
    visit = Visit.objects.get(household=hh)
    assert (visit.unit, visit.campaign, visit.visitors) == (fed.zs, fed.campaign, "主席 王某")
    assert AuditEvent.objects.filter(target_id=str(visit.pk), action__contains="visit").exists()
    assert [h.name for h in coverage(fed.campaign, fed.zs).missing] == []


def test_a_visit_outside_the_activity_period_is_refused_in_the_row(fed, login):
    hh = household(fed.zs_g1, 1, "甲")
    response = _post(login(fed.user("zs", "filler")), fed, hh, day="2012-03-01", **HX)
    assert response.status_code == 200 and "不在活动期间" in text(response)
    assert 'name="visited_on"' in text(response)  # the form again, to correct
    assert not Visit.objects.exists()


def test_a_blank_visitor_is_named(fed, login):
    hh = household(fed.zs_g1, 1, "甲")
    response = _post(login(fed.user("zs", "filler")), fed, hh, visitors="", **HX)
    assert "走访人" in text(response) and not Visit.objects.exists()


def test_without_htmx_the_list_comes_back(fed, login):
    hh = household(fed.zs_g1, 1, "甲")
    response = _post(login(fed.user("zs", "filler")), fed, hh)
    assert response.status_code == 302
    assert response["Location"] == f"/funds/coverage/?campaign={fed.campaign.pk}"
    assert Visit.objects.filter(household=hh).count() == 1


def test_another_subtree_s_household_is_not_found(fed, login):
    hh = household(fed.zs_g1, 1, "甲")
    response = _post(login(fed.user("xg", "filler")), fed, hh, **HX)
    assert response.status_code == 404 and not Visit.objects.exists()
    assert hh.id_number not in text(response)


def test_a_viewer_may_not_record_a_visit(fed, login):
    hh = household(fed.zs_g1, 1, "甲")
    response = _post(login(fed.user("zs", "viewer")), fed, hh, **HX)
    assert response.status_code == 403 and not Visit.objects.exists()
