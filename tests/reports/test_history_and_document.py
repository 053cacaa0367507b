"""What the entry page says, row by row and button by button: history rows name what changed
(header fields, explanations and imports as such, a save that changed nothing says so); the
automatic checks (自动审核) are worded apart from the reviewer's decision (审核通过); a submitted
or approved report reads as a document; each action's button shows only where it can be taken."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report, ReportStatus
from chunfeng.reports.selectors import report_slot_for
from chunfeng.reports.services import report_save
from chunfeng.reports.workflow import report_approve, report_return, report_submit
from tests.fixtures import attach_work_report, file_report, zeros
from tests.sheets.helpers import fill

from .test_entry_views import entry_url, posted

F1 = latest_builtin("F1")
WARNED = {"05A": "10", "05B": "10", "06A": "8", "04C": "3"}  # F1-W01: 06A ≠ 05A


def history_rows(page: str) -> list[str]:
    """The history table's rows as text, newest first (the header row left out)."""
    table = page[page.index('id="history"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", table, re.S)
    return [re.sub(r"<[^>]+>", " ", row) for row in rows]


def test_history_rows_name_header_explanation_and_import(fed, login):
    client = login(fed.user("zs", "filler"))
    values = zeros(F1) | WARNED
    client.post(entry_url(fed), posted(values))
    client.post(entry_url(fed), posted(values, filler_name="王芳"))  # the header alone
    client.post(entry_url(fed), posted(values, filler_name="王芳", **{"x-F1-W01": "春节后发"}))
    client.post(entry_url(fed), posted(values, filler_name="王芳", **{"x-F1-W01": "春节后发"}))
    template = client.get(entry_url(fed) + "file/template.xlsx").content
    client.post(
        entry_url(fed) + "import/",
        {"file": SimpleUploadedFile("t.xlsx", fill(template, {"01A": 120}))},
    )
    rows = history_rows(client.get(entry_url(fed)).content.decode())
    imported, unchanged, explained, header = rows[:4]
    assert "上传Excel模板" in imported and "01A: 0 → 120" in imported
    assert "保存草稿" in unchanged and "（无变化）" in unchanged
    assert "保存草稿" in explained and "说明 F1-W01: （空） → 春节后发" in explained
    assert "保存草稿" in header and "填表人: （空） → 王芳" in header
    # the first save lists its figures; no row is an empty 保存草稿
    assert "05A: （空） → 10.0000" in rows[4]
    for row in rows:
        assert "→" in row or "无变化" in row, row


def test_the_automatic_checks_are_not_the_reviewers_approval(fed, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = file_report(fed, fed.zs, submit=True)
    report_approve(report=report, actor=fed.user("city", "reviewer"))
    page = login(fed.user("zs", "filler")).get(entry_url(fed)).content.decode()
    checklist = page[
        page.index('id="checklist"') : page.index("</section>", page.index('id="checklist"'))
    ]
    assert "自动审核" in checklist and "审核通过" not in checklist
    status = re.search(r'id="report-status">([^<]*)<', page).group(1)
    assert status == "已审核通过"


def _controls(page: str) -> dict[str, int]:
    paper = page[
        page.index('<section class="paper"') : page.index(
            "</section>", page.index('<section class="paper"')
        )
    ]
    return {
        "inputs": len(re.findall(r"<input\b", paper)),
        "readonly": len(re.findall(r"<input\b[^>]*\breadonly\b", paper)),
        "selects": len(re.findall(r"<select\b", paper)),
        "disabled": len(re.findall(r"<select\b[^>]*\bdisabled\b", paper)),
        "textareas": page.count("<textarea"),
    }


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_locked_report_reads_as_a_document(fed, login, settings, tmp_path, status):
    settings.MEDIA_ROOT = tmp_path
    filler = fed.user("zs", "filler")
    slot = report_slot_for(filler, fed.campaign.pk, "210202", "F1")
    values = zeros(F1) | WARNED
    report, _ = report_save(
        slot=slot, actor=filler, values=values, explanations={"F1-W01": "春节后发"}
    )
    attach_work_report(fed.campaign, fed.zs, filler)
    report = report_submit(report=report, actor=filler)
    if status == "approved":
        report_approve(report=report, actor=fed.user("city", "reviewer"))
    assert Report.objects.get(unit=fed.zs).status == status
    page = login(fed.user("zs", "filler")).get(entry_url(fed)).content.decode()
    controls = _controls(page)
    assert controls["inputs"] == controls["readonly"] > 0  # every figure printed, not editable
    assert controls["selects"] == controls["disabled"]
    assert controls["textareas"] == 0 and "说明：春节后发" in page
    for action in (
        "保存草稿",
        "上传填好的模板",
        "下载Excel模板",
        "上传工作报告",
        'id="submit-report"',
    ):
        assert action not in page.split('id="history"')[0], action
    assert "data-blank-save" not in page
    assert "打印(PDF)" in page and "导出Excel" in page  # what can still be done with it


# which action buttons the entry page shows, by the report's status and who looks
LABELS = {
    "save": "保存草稿",
    "submit": "报送",
    "approve": "审核通过",
    "return": "退回",
    "reopen": "重新打开",
}


@pytest.mark.parametrize(
    "status, who, shown",
    [
        (None, ("zs", "filler"), {"save"}),  # nothing saved yet: nothing to submit
        ("draft", ("zs", "filler"), {"save", "submit"}),
        ("draft", ("city", "reviewer"), set()),
        ("submitted", ("zs", "filler"), set()),
        ("submitted", ("city", "reviewer"), {"approve", "return"}),
        ("submitted", ("zs", "reviewer"), set()),  # not the reviewer of its own unit
        ("returned", ("zs", "filler"), {"save", "submit"}),
        ("returned", ("city", "reviewer"), set()),
        ("approved", ("zs", "filler"), set()),
        ("approved", ("city", "reviewer"), {"reopen"}),
        ("approved", ("city", "viewer"), set()),
    ],
)
def test_buttons_only_where_the_action_is_possible(
    fed, login, settings, tmp_path, status, who, shown
):
    settings.MEDIA_ROOT = tmp_path
    reviewer = fed.user("city", "reviewer")
    if status is not None:
        report = file_report(fed, fed.zs, submit=status != "draft")
        if status == "returned":
            report_return(report=report, actor=reviewer, reason="请核实")
        if status == "approved":
            report_approve(report=report, actor=reviewer)
        assert Report.objects.get(unit=fed.zs).status == ReportStatus(status)
    page = login(fed.user(*who)).get(entry_url(fed)).content.decode()
    actions = page.split('id="history"')[0]
    buttons = {
        name: re.search(rf"<button[^>]*>{label}</button>", actions)
        for name, label in LABELS.items()
    }
    assert {name for name, button in buttons.items() if button} == shown
    # each decision asks for confirmation first (data-confirm, no inline script)
    for name in shown - {"save"}:
        assert "data-confirm" in buttons[name].group(0), name
