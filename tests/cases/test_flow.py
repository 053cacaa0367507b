"""The life of a hotline case, as the issue's "done" tells it: taken at the city, routed to
中山区 by region, transferred to a grassroots union, reminded before its limit and escalated
after it (across the 2012 Spring Festival holiday), a household file opened and aid paid from
it, closed with money recovered and a return visit, reopened after an unsatisfied visit — and
the text messages each step sends."""

import datetime as dt
from decimal import Decimal

import pytest

from chunfeng.cases.handling import case_close, case_reopen, case_return_visit
from chunfeng.cases.help import case_aid_pay, case_application_submit
from chunfeng.cases.models import CaseAid, Status
from chunfeng.cases.services import case_acknowledge, case_transfer
from chunfeng.cases.supervision import cases_supervise
from chunfeng.core import sms
from chunfeng.core.audit import audit_for
from chunfeng.core.errors import ApplicationError
from chunfeng.core.versions import Stale
from tests.applications.conftest import advance, app_data, make_standard

from .helpers import at, call, give_phone, ident

D = dt.date


def messages(template):
    return [m for m in sms.outbox if m.template == template]


@pytest.fixture
def phones(fed):
    give_phone(fed.user("zs", "filler"), "13800000001")
    give_phone(fed.user("zsg", "filler"), "13800000002")


def test_a_hotline_case_from_the_call_to_its_reopening(
    fed, phones, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = call(fed, caller_id_number=ident("19850214", 11), caller_is_migrant=True)
    assert case.number == "12351-2012-000001"
    assert case.intake_unit == fed.city and case.unit == fed.zs  # 210202001 → 中山区
    assert case.status == Status.NEW and case.caller_new_generation is True
    assert (case.ack_due, case.due) == (D(2012, 1, 21), D(2012, 1, 30))  # across 春节
    assert [m.to for m in messages("case_received")] == ["13904110001"]
    assert "12351-2012-000001" in messages("case_received")[0].text
    assert [m.to for m in messages("case_assigned")] == ["13800000001"]

    zs_filler, g1_filler = fed.user("zs", "filler"), fed.user("zsg", "filler")
    with django_capture_on_commit_callbacks(execute=True):
        case = case_transfer(case=case, to=fed.zs_g1, reason="属青泥洼桥街道", actor=zs_filler)
    assert case.unit == fed.zs_g1 and case.status == Status.NEW
    assert messages("case_assigned")[-1].to == "13800000002"
    case = case_acknowledge(case=case, actor=g1_filler, at=at("2012-01-20", 15))
    assert case.status == Status.HANDLING

    # the clock: 2 working days left on the 25th (holiday), 1 on Sunday the 29th (worked)
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_supervise(at("2012-01-25", 9)) == {"reminded": 0, "escalated": 0}
        assert cases_supervise(at("2012-01-29", 9)) == {"reminded": 1, "escalated": 0}
        assert cases_supervise(at("2012-01-30", 9)) == {"reminded": 0, "escalated": 0}
        assert cases_supervise(at("2012-01-31", 7)) == {"reminded": 0, "escalated": 0}  # night
        assert cases_supervise(at("2012-01-31", 9)) == {"reminded": 0, "escalated": 1}
        assert cases_supervise(at("2012-02-01", 9)) == {"reminded": 0, "escalated": 0}
    assert [m.to for m in messages("case_near_limit")] == ["13800000002"]
    assert sorted(m.to for m in messages("case_overdue")) == ["13800000001", "13800000002"]
    case.refresh_from_db()
    assert case.escalated_to == fed.zs and case.reminded_for == D(2012, 1, 30)

    make_standard(fed)
    data = app_data(1, name=case.caller_name, id_number=case.caller_id_number, is_migrant=True)
    application = case_application_submit(case=case, data=data, actor=g1_filler)
    household = advance(fed, application, "approved").household
    assert household.unit == fed.zs_g1 and household.is_migrant and household.name == "王大山"
    line = case_aid_pay(
        case=case,
        campaign=fed.campaign,
        amount="800",
        aid_type="living",
        paid_on=D(2012, 1, 20),
        actor=g1_filler,
    )
    assert line.household == household and line.batch.name == "12351帮扶 12351-2012-000001"
    assert CaseAid.objects.get(case=case).line == line

    with django_capture_on_commit_callbacks(execute=True):
        case = case_close(
            case=case, outcome="solved", recovered="26000.50", actor=g1_filler, at=at("2012-02-02")
        )
    assert case.status == Status.CLOSED and case.recovered == Decimal("26000.50")
    assert case.on_time is False and case.closed_by_unit == fed.zs_g1
    assert "已解决" in messages("case_closed")[0].text

    reviewer = fed.user("zs", "reviewer")
    with django_capture_on_commit_callbacks(execute=True):
        case_return_visit(case=case, satisfaction="unsatisfied", note="钱只到一半", actor=reviewer)
    assert "重新办理" in messages("case_visited")[0].text
    case = case_reopen(case=case, reason="回访不满意", actor=reviewer)
    assert case.status == Status.HANDLING and case.reopened == 1 and case.outcome == ""
    assert case.escalated_at is None and case.due > D(2012, 2, 2)

    kinds = list(case.entries.values_list("kind", flat=True))
    assert kinds == [
        "intake",
        "transfer",
        "transfer",
        "acknowledge",
        "remind",
        "escalate",
        "household",  # the application filed
        "household",  # its file, kept by the case when aid is paid from it
        "payment",
        "close",
        "return_visit",
        "reopen",
    ]
    actions = {e.action for e in audit_for(case)}
    assert {"case.create", "case.transfer", "case.escalate", "case.reopen"} <= actions
    assert all("13904110001" not in str(e.details) for e in audit_for(case))  # masked


def test_a_write_based_on_an_older_version_is_refused(fed):
    case = call(fed)
    read = case.version
    case_acknowledge(case=case, actor=fed.user("zs", "filler"), version=read)
    with pytest.raises(Stale):
        case_close(case=case, outcome="solved", actor=fed.user("zs", "filler"), version=read)


def test_closing_needs_a_reason_unless_solved_and_no_negative_money(fed):
    case = call(fed)
    filler = fed.user("zs", "filler")
    with pytest.raises(ApplicationError) as refused:
        case_close(case=case, outcome="partly", actor=filler)
    assert refused.value.details[0]["field"] == "note"
    with pytest.raises(ApplicationError) as refused:
        case_close(case=case, outcome="solved", recovered="-5", actor=filler)
    assert refused.value.details[0]["field"] == "recovered"
