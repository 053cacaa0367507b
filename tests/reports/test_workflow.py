"""Every transition of the review workflow, allowed and forbidden per role, locking and history."""

import pytest

from chunfeng.core.audit import audit_for
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.reports.models import ReportStatus as S
from chunfeng.reports.selectors import report_slot_for
from chunfeng.reports.services import report_save
from chunfeng.reports.workflow import (
    report_approve,
    report_reopen,
    report_return,
    report_submit,
    submission_problems,
)
from tests.fixtures import attach_work_report, file_report


def test_draft_cannot_be_submitted_until_complete_and_work_report(fed):
    filler = fed.user("zs", "filler")
    report = file_report(fed, fed.zs, submit=False, values={"01A": ""})
    problems = submission_problems(report)
    assert any("01A" in p for p in problems) and any("工作报告" in p for p in problems)
    with pytest.raises(ApplicationError) as exc:
        report_submit(report=report, actor=filler)
    assert exc.value.code == "not_ready"
    assert report.status == S.DRAFT


def test_errors_block_submission_and_warnings_need_explanation(fed):
    filler = fed.user("zs", "filler")
    attach_work_report(fed.campaign, fed.zs, filler)
    report = file_report(fed, fed.zs, submit=False, values={"01A": 5, "01A.2": 9})
    with pytest.raises(ApplicationError, match="审核错误"):
        report_submit(report=report, actor=filler)
    report = file_report(
        fed, fed.zs, submit=False, values={"05A": 10, "05B": 10, "06A": 9, "04C": 3}
    )
    with pytest.raises(ApplicationError, match="F1-W01"):
        report_submit(report=report, actor=filler)
    slot = report_slot_for(filler, fed.campaign.pk, "210202", "F1")
    values = {c: str(v) for c, v in {"05A": 10, "05B": 10, "06A": 9, "04C": 3}.items()}
    from chunfeng.formdefs.loader import latest_builtin
    from tests.fixtures import zeros

    report_save(
        slot=slot,
        actor=filler,
        values=zeros(latest_builtin("F1")) | values,
        explanations={"F1-W01": "1万元用于节后慰问"},
    )
    assert report_submit(report=report, actor=filler).status == S.SUBMITTED


def test_full_cycle_submit_return_resubmit_approve_reopen(fed):
    filler, reviewer = fed.user("zs", "filler"), fed.user("city", "reviewer")
    report = file_report(fed, fed.zs)
    assert report.status == S.SUBMITTED and report.first_submitted_at
    first = report.first_submitted_at
    report = report_return(report=report, actor=reviewer, reason="05A 与明细不符")
    assert report.status == S.RETURNED and report.return_reason == "05A 与明细不符"
    report = file_report(fed, fed.zs, values={"01A": 10})
    assert report.status == S.SUBMITTED and report.first_submitted_at == first
    report = report_approve(report=report, actor=reviewer)
    assert report.status == S.APPROVED
    slot = report_slot_for(filler, fed.campaign.pk, "210202", "F1")
    with pytest.raises(NotPermitted):  # approved data are locked
        report_save(slot=slot, actor=filler, values={"01A": "11"})
    report = report_reopen(report=report, actor=reviewer, reason="发现 07D 有误")
    assert report.status == S.RETURNED
    actions = [e.action for e in audit_for(report)]
    for action in (
        "report.submit",
        "report.return",
        "report.approve",
        "report.reopen",
        "report.save",
    ):
        assert action in actions
    reopen = next(e for e in audit_for(report) if e.action == "report.reopen")
    assert reopen.details["old"] == "approved" and reopen.details["reason"] == "发现 07D 有误"
    assert reopen.actor == reviewer


def test_value_changes_are_recorded_old_to_new(fed):
    report = file_report(fed, fed.zs, submit=False, values={"01A": 5})
    file_report(fed, fed.zs, submit=False, values={"01A": 7})
    save = [e for e in audit_for(report) if e.action == "report.save"][0]
    assert save.details["changes"]["01A"] == ["5", "7"]


@pytest.mark.parametrize(
    "who",
    [
        ("zs", "reviewer"),
        ("zs", "admin"),
        ("zs", "viewer"),
        ("city", "filler"),
        ("city", "admin"),
        ("city", "viewer"),
        ("xg", "reviewer"),
        ("zs", "filler"),
    ],
)
def test_only_the_reviewer_above_may_approve_or_return(fed, who):
    report = file_report(fed, fed.zs)
    for act in (report_approve, report_reopen):
        with pytest.raises(NotPermitted):
            act(
                report=report,
                actor=fed.user(*who),
                **({"reason": "x"} if act is report_reopen else {}),
            )
    with pytest.raises(NotPermitted):
        report_return(report=report, actor=fed.user(*who), reason="x")
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


@pytest.mark.parametrize(
    "who",
    [("zs", "reviewer"), ("city", "filler"), ("xg", "filler"), ("zs", "viewer"), ("zsg", "filler")],
)
def test_only_the_units_filler_may_submit(fed, who):
    report = file_report(fed, fed.zs, submit=False)
    attach_work_report(fed.campaign, fed.zs, fed.user("zs", "filler"))
    with pytest.raises(NotPermitted):
        report_submit(report=report, actor=fed.user(*who))


def test_wrong_state_transitions_refused(fed):
    reviewer = fed.user("city", "reviewer")
    draft = file_report(fed, fed.zs, submit=False)
    with pytest.raises(ApplicationError, match="不能审核通过"):
        report_approve(report=draft, actor=reviewer)
    with pytest.raises(ApplicationError, match="不能退回"):
        report_return(report=draft, actor=reviewer, reason="x")
    with pytest.raises(ApplicationError, match="不能重新打开"):
        report_reopen(report=draft, actor=reviewer, reason="x")
    submitted = file_report(fed, fed.xg)
    with pytest.raises(ApplicationError, match="不能报送"):
        report_submit(report=submitted, actor=fed.user("xg", "filler"))
    with pytest.raises(ApplicationError, match="原因"):
        report_return(report=submitted, actor=reviewer, reason="  ")


def test_district_reviews_its_grassroots_when_they_report_in_the_campaign(fed):
    fed.campaign.recipients.add(fed.zs_g1)
    report = file_report(fed, fed.zs_g1)
    with pytest.raises(NotPermitted):  # the city is not the unit above
        report_approve(report=report, actor=fed.user("city", "reviewer"))
    assert report_approve(report=report, actor=fed.user("zs", "reviewer")).status == S.APPROVED


def test_return_notifies_fillers_by_email(fed, mailoutbox, django_capture_on_commit_callbacks):
    filler = fed.user("zs", "filler")
    filler.email = "filler@zs.example"
    filler.save()
    report = file_report(fed, fed.zs)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, actor=fed.user("city", "reviewer"), reason="请核对 05A")
    assert len(mailoutbox) == 1 and "请核对 05A" in mailoutbox[0].body
    assert mailoutbox[0].to == ["filler@zs.example"]
