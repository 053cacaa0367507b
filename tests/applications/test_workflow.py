"""An application through every step to a household file, with a return at the review step;
who may take each step; 一户一档 across applications."""

import datetime as dt

import pytest

from chunfeng.applications.filing import application_approve
from chunfeng.applications.models import Application, FilePeriod, FileState, StepRecord
from chunfeng.applications.services import application_amend, application_create
from chunfeng.applications.workflow import (
    application_check,
    application_notice,
    application_resubmit,
    application_return,
    application_review,
    application_verify,
    application_visit,
    objection_add,
    objection_resolve,
)
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.models import AuditEvent
from chunfeng.register.models import Household, Person

from .conftest import app_data, ident, to_step, upload

pytestmark = pytest.mark.django_db


def test_every_step_to_a_file_with_a_return_at_review(fed, standard):
    g, centre = fed.user("zsg", "filler"), fed.user("zs", "reviewer")
    a = to_step(fed, "visited")
    assert a.status == "visited" and a.per_capita == 300 and a.proposed == "B"
    assert a.standard == standard and a.family_size == 3
    a = application_return(application=a, actor=centre, reason="缺少收入证明")
    assert (a.status, a.returned_from, a.return_reason) == ("returned", "visited", "缺少收入证明")
    with pytest.raises(ApplicationError):
        application_review(application=a, actor=centre)
    data = app_data(income_items=[{"item": "工资", "amount": "750"}])
    a = application_amend(application=a, data=data, actor=g, version=a.version)
    assert a.per_capita == 250
    a = application_resubmit(application=a, actor=g, note="已补收入证明")
    assert a.status == "visited"  # back to the step that returned it
    a = application_review(application=a, actor=centre, note="材料齐全")
    a = application_verify(application=a, actor=centre, matched=True, reference="民核2011-009")
    a = application_notice(application=a, actor=centre, start=dt.date(2011, 11, 1))
    assert a.notice_until == dt.date(2011, 11, 7)
    with pytest.raises(ApplicationError) as too_early:
        application_approve(application=a, actor=centre, on=dt.date(2011, 11, 7))
    assert "公示期满" in str(too_early.value)
    objection = objection_add(application=a, actor=g, received_on=dt.date(2011, 11, 3), text="有车")
    with pytest.raises(ApplicationError):
        application_approve(application=a, actor=centre, on=dt.date(2011, 11, 8))
    objection_resolve(objection=objection, actor=centre, upheld=False, resolution="车辆已报废")
    a = application_approve(application=a, actor=centre, on=dt.date(2011, 11, 8))
    household = Household.objects.get(pk=a.household_id)
    assert (household.name, household.category, household.family_size) == ("申请人1", "B", 3)
    assert household.income == 250 and set(household.causes) == {"illness", "schooling"}
    assert household.members.count() == 2
    state = FileState.objects.get(household=household)
    assert (state.filed_on, state.review_due, state.source) == (
        dt.date(2011, 11, 8),
        dt.date(2012, 11, 8),
        "application",
    )
    assert FilePeriod.objects.get(household=household).start == dt.date(2011, 11, 8)
    actions = list(StepRecord.objects.filter(application=a).values_list("action", flat=True))
    assert actions == [
        "create", "check", "visit", "return", "amend", "resubmit", "review", "verify",
        "notice", "objection", "objection_resolved", "approve",
    ]  # fmt: skip
    logged = AuditEvent.objects.filter(target_type="applications.application")
    assert logged.count() == len(actions) + 2  # and the two documents
    assert all(a.id_number not in str(e.details) for e in logged)


def test_a_step_needs_its_actor(fed, standard):
    a = to_step(fed, "submitted")
    with pytest.raises(NotPermitted):  # the help centre does not do the first check
        application_check(application=a, actor=fed.user("zs", "reviewer"))
    with pytest.raises(NotPermitted):  # another district's filler
        application_check(application=a, actor=fed.user("xg", "filler"))
    a = to_step(fed, "visited", n=2)
    for user in (fed.user("zsg", "filler"), fed.user("zsg", "reviewer"), fed.user("zs", "viewer")):
        with pytest.raises(NotPermitted):  # the grassroots union does not review its own
            application_review(application=a, actor=user)
    a = to_step(fed, "notice", n=3)
    with pytest.raises(NotPermitted):  # a filler of the help centre does not approve
        application_approve(application=a, actor=fed.user("zs", "filler"), on=dt.date(2012, 1, 1))


def test_the_visit_needs_the_signed_application_and_consent(fed, standard):
    g = fed.user("zsg", "filler")
    a = application_check(application=to_step(fed, "submitted"), actor=g)
    with pytest.raises(ApplicationError) as missing:
        application_visit(
            application=a, actor=g, visited_on=dt.date(2011, 10, 1), visitors="王五", findings="x"
        )
    assert "签字的申请书" in str(missing.value) and "授权书" in str(missing.value)
    with pytest.raises(ApplicationError):
        from chunfeng.applications.services import document_add  # the refusal of a type

        document_add(application=a, kind="signed", upload=upload("a.exe"), actor=g)


def test_a_failed_economic_check_returns_it(fed, standard):
    a = to_step(fed, "reviewed")
    a = application_verify(
        application=a,
        actor=fed.user("zs", "filler"),
        matched=False,
        reference="民核-2",
        note="有房产",
    )
    assert a.status == "returned" and "核对不符" in a.return_reason
    a = application_resubmit(application=a, actor=fed.user("zsg", "filler"))
    assert a.status == "reviewed"


def test_one_household_one_file_across_applications(fed, standard):
    g = fed.user("zsg", "filler")
    to_step(fed, "submitted")
    with pytest.raises(ApplicationError) as twice:
        application_create(unit=fed.zs_g1, data=app_data(), actor=g)
    assert "在办" in str(twice.value) and ident(1) not in str(twice.value)
    member_of_first = app_data(
        9, members=[{"name": "配偶", "id_number": ident(501), "relation": "配偶"}]
    )
    with pytest.raises(ApplicationError):
        application_create(unit=fed.zs_g1, data=member_of_first, actor=g)
    a = to_step(fed, "approved", n=2)
    assert Person.objects.filter(household=a.household, active=True).count() == 3
    with pytest.raises(ApplicationError) as filed:
        application_create(unit=fed.zs_g1, data=app_data(2), actor=g)
    assert "一户一档" in str(filed.value)
    assert Application.objects.count() == 2


def test_invalid_fields_are_all_named(fed, standard):
    bad = app_data(
        id_number="210202197501010000",
        employer_uscc="91210200MA0QC5TX7R",
        region_code="21",
        bank_account="12ab",
        main_cause="bored",
        members=[{"name": "某", "id_number": "123", "relation": "子女"}],
        income_items=[{"item": "工资", "amount": "-1"}],
    )
    with pytest.raises(ApplicationError) as error:
        application_create(unit=fed.zs_g1, data=bad, actor=fed.user("zsg", "filler"))
    fields = {d["field"] for d in error.value.details}
    assert fields >= {
        "id_number", "employer_uscc", "region_code", "bank_account", "main_cause", "members",
        "income_items",
    }  # fmt: skip
    assert Application.objects.count() == 0
