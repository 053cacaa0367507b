"""动态管理: the yearly review confirms, changes or closes a file; the record-based figures read
a file as it stood on the form's reference date; overdue reviews are listed and marked."""

import datetime as dt

import pytest

from chunfeng.applications.models import FilePeriod, FileReview, FileState
from chunfeng.applications.reviews import file_review, reviews_mark_overdue
from chunfeng.applications.selectors import (
    overdue_household_ids,
    reviews_due,
    reviews_due_by_unit,
)
from chunfeng.campaigns.services import campaign_create
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reconcile.figures import derived_figures

from .conftest import to_step

pytestmark = pytest.mark.django_db
F1 = latest_builtin("F1")


def campaign_2013(fed):
    return campaign_create(
        owner=fed.city,
        name="2013年春风行动",
        period_start=dt.date(2012, 12, 20),
        period_end=dt.date(2013, 1, 22),
        deadline=dt.date(2013, 1, 8),
        forms={"F1": None},
        recipients=[fed.zs, fed.xg, fed.industry],
    )


def test_escape_counts_in_03e_of_its_year_and_the_earlier_03a_stays(fed, standard):
    household = to_step(fed, "approved").household  # filed 2011-11-10
    before = derived_figures(F1, fed.campaign, fed.zs)
    assert (before["03A"], before["03B"], before["03E"]) == (1, 1, 0)
    review = file_review(
        household=household,
        actor=fed.user("zsg", "filler"),
        on=dt.date(2012, 10, 15),
        family_size=3,
        income="1500",
        outcome="close",
        reason="配偶康复再就业，家庭人均收入超过低保边缘",
    )
    household.refresh_from_db()
    assert (household.status, household.escaped_on) == ("escaped", dt.date(2012, 10, 15))
    assert review.outcome == "close" and review.category_after == ""
    assert derived_figures(F1, fed.campaign, fed.zs) == before  # the 2012 report: unchanged
    later = derived_figures(F1, campaign_2013(fed), fed.zs)
    assert (later["03A"], later["03E"]) == (0, 1)
    state = FileState.objects.get(household=household)
    assert state.review_due is None and FilePeriod.objects.get().end == dt.date(2012, 10, 15)
    with pytest.raises(ApplicationError):
        file_review(
            household=household, actor=fed.user("zsg", "filler"), on=dt.date(2012, 11, 1),
            family_size=3, income="1500", outcome="confirm",
        )  # fmt: skip


def test_a_changed_category_leaves_the_earlier_report_as_it_stood(fed, standard):
    household = to_step(fed, "approved").household
    file_review(
        household=household,
        actor=fed.user("zsg", "admin"),
        on=dt.date(2012, 3, 1),
        family_size=3,
        income="500",
        outcome="change",
        category="C",
    )
    then = derived_figures(F1, fed.campaign, fed.zs)
    assert (then["03B"], then["03C"]) == (1, 0)  # as filed on 2011-11-10
    now = derived_figures(F1, campaign_2013(fed), fed.zs)
    assert (now["03A"], now["03B"], now["03C"]) == (1, 0, 1)
    household.refresh_from_db()
    assert household.category == "C" and FileState.objects.get().review_due == dt.date(2013, 3, 1)


def test_a_review_checks_the_category_and_its_actor(fed, standard):
    household = to_step(fed, "approved").household
    with pytest.raises(ApplicationError) as refused:  # 800 a head is above C's margin
        file_review(
            household=household, actor=fed.user("zsg", "filler"), on=dt.date(2012, 11, 1),
            family_size=3, income="800", outcome="change", category="C",
        )  # fmt: skip
    assert refused.value.code == "category_unsupported"
    with pytest.raises(NotPermitted):
        file_review(
            household=household, actor=fed.user("zs", "reviewer"), on=dt.date(2012, 11, 1),
            family_size=3, income="300", outcome="confirm",
        )  # fmt: skip
    assert FileReview.objects.count() == 0


def test_overdue_reviews_are_listed_and_marked(fed, standard):
    first = to_step(fed, "approved").household  # due 2012-11-10
    second = to_step(fed, "approved", n=2).household
    FileState.objects.filter(household=second).update(review_due=dt.date(2013, 6, 1))
    on = dt.date(2012, 11, 20)
    assert [s.household for s in reviews_due(fed.user("zs", "reviewer"), on)] == [first]
    assert reviews_due(fed.user("xg", "admin"), on).count() == 0
    rows = reviews_due_by_unit(fed.user("city", "viewer"), dt.date(2013, 5, 20))
    assert [(r["unit"], r["due"], r["overdue"]) for r in rows] == [(fed.zs_g1, 1, 1)]
    assert reviews_mark_overdue(on) == {"marked": 1, "cleared": 0}
    assert overdue_household_ids([first.pk, second.pk], on) == {first.pk}
    file_review(
        household=first, actor=fed.user("zsg", "filler"), on=on, family_size=3, income="300",
        outcome="confirm",
    )  # fmt: skip
    assert overdue_household_ids([first.pk], on) == set()
