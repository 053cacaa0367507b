"""A file whose yearly review is overdue is marked on the register's list and page, on the
coverage list, and a payment to it warns before the line is saved; the scheduler's pass."""

import datetime as dt

import pytest
from django.urls import reverse

from chunfeng.applications.models import FileState
from chunfeng.jobs.schedule import registered
from tests.funds.helpers import batch

from .conftest import to_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(fed, standard):
    late = to_step(fed, "approved").household  # due 2012-11-10: long past
    current = to_step(fed, "approved", n=2).household
    FileState.objects.filter(household=current).update(review_due=dt.date(2099, 1, 1))
    return late, current


def test_register_list_and_page_mark_it(fed, overdue, login):
    late, current = overdue
    client = login(fed.user("zs", "viewer"))
    page = client.get(reverse("household-list")).content.decode()
    assert "1 户档案的年度复核已逾期" in page
    assert page.count('class="flag">复核逾期') == 1
    row = page[page.index(late.name) :].split("</tr>")[0]
    assert "复核逾期" in row
    detail = client.get(reverse("household-detail", args=[late.pk])).content.decode()
    assert "复核逾期" in detail and "申请审批建档" in detail and "2012-11-10" in detail
    assert "年度复核</a>" not in detail  # a viewer does not review
    other = client.get(reverse("household-detail", args=[current.pk])).content.decode()
    assert "复核逾期" not in other
    filler = login(fed.user("zsg", "filler")).get(reverse("household-detail", args=[late.pk]))
    assert reverse("file-review", args=[late.pk]) in filler.content.decode()


def test_coverage_list_marks_it(fed, overdue, login):
    page = login(fed.user("zs", "viewer")).get(f"/funds/coverage/?campaign={fed.campaign.pk}")
    text = page.content.decode()
    assert text.count('class="flag">复核逾期') == 1


def test_a_payment_to_it_warns(fed, overdue, login):
    late, current = overdue
    b = batch(fed, fed.zs_g1, fed.user("zsg", "filler"))
    client = login(fed.user("zsg", "filler"))
    said = client.post(f"/funds/batches/{b.pk}/precheck/", {"id_number": late.id_number})
    assert "年度复核已逾期" in said.content.decode()
    fine = client.post(f"/funds/batches/{b.pk}/precheck/", {"id_number": current.id_number})
    assert "年度复核已逾期" not in fine.content.decode()


def test_the_scheduler_marks_overdue_files(fed, overdue):
    assert "applications.reviews" in [p.name for p in registered()]
    entry = next(p for p in registered() if p.name == "applications.reviews")
    assert entry.function()["marked"] == 1
    assert FileState.objects.filter(overdue=True).count() == 1


def test_the_dashboards_count_it(fed, overdue, login):
    """The district's overview and the grassroots union's next steps count the overdue file;
    the answer of a unit outside the subtree does not."""
    zs = login(fed.user("zs", "reviewer"))
    found = zs.get(f"/dashboards/{fed.campaign.pk}/overview.json").json()
    assert found["overdue_reviews"] == 1
    assert "逾期未年审的困难职工档案" in zs.get(reverse("home")).content.decode()
    grassroots = login(fed.user("zsg", "filler")).get(reverse("home")).content.decode()
    assert "1 户困难职工档案逾期未年审" in grassroots
    xg = login(fed.user("xg", "reviewer"))
    assert xg.get(f"/dashboards/{fed.campaign.pk}/overview.json").json()["overdue_reviews"] == 0


def test_the_api_overview_counts_it(fed, overdue, api):
    found = api(fed.token("zs", "reviewer")).get(f"/api/v1/dashboards/{fed.campaign.pk}/overview")
    assert found.status_code == 200 and found.json()["overdue_reviews"] == 1
