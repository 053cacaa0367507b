"""Exports too large to make inside a request: a 汇总's xlsx or PDF, or its unit-by-blank table,
over more than ``CHUNFENG_EXPORT_IN_REQUEST_UNITS`` units. The page starts a job; a worker makes
the file, keeps it through the storage API (``Job.file``) and the user downloads it from the
job's panel on whichever server answers."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _

from chunfeng.campaigns.selectors import campaign_for, campaign_form
from chunfeng.jobs.models import Job
from chunfeng.jobs.services import job_attach, job_progress, job_start
from chunfeng.orgunits.selectors import unit_for
from chunfeng.rollups.selectors import INCLUDE, summary_visible_to

from . import exports

TARGET = "chunfeng.sheets.export_jobs:summary_export"
# (what, ext) → the file name's ending (``exports.WRITERS`` makes each)
ENDINGS = {
    ("summary", "xlsx"): "汇总.xlsx",
    ("summary", "pdf"): "汇总.pdf",
    ("table", "xlsx"): "分单位明细.xlsx",
    ("table", "csv"): "分单位明细.csv",
}


def export_is_large(user, campaign_id: int, unit_code: str, form_code: str, include: str) -> bool:
    """Whether the export goes to a worker: the campaign's recipients below the unit (an upper
    bound of the units it holds, counted without computing the 汇总) pass the threshold. The
    same 404s as the 汇总 itself."""
    campaign = campaign_for(user, campaign_id)
    unit = unit_for(user, unit_code)
    campaign_form(campaign, form_code)
    if include not in INCLUDE:
        raise Http404(_("status 只能是 approved 或 submitted"))
    below = campaign.recipients.filter(path__startswith=unit.path).exclude(pk=unit.pk)
    return below.count() > settings.CHUNFENG_EXPORT_IN_REQUEST_UNITS


def export_start(
    *, user, campaign_id: int, unit_code: str, form_code: str, include: str, what: str, ext: str
) -> Job:
    if (what, ext) not in ENDINGS:
        raise Http404(_("不支持的文件类型"))
    unit = unit_for(user, unit_code)
    params = {
        "campaign_id": campaign_id,
        "unit_code": unit_code,
        "form_code": form_code,
        "include": include,
        "what": what,
        "ext": ext,
    }
    return job_start(kind=f"export:{what}", target=TARGET, params=params, actor=user, unit=unit)


def summary_export(
    job: Job, *, campaign_id: int, unit_code: str, form_code: str, include: str, what: str, ext: str
) -> dict:
    """Job target: the 汇总 as its creator may see it now, made into the file asked for."""
    job_progress(job, 0, 2, "正在计算汇总…")
    summary = summary_visible_to(job.created_by, campaign_id, unit_code, form_code, include)
    job_progress(job, 1, 2, "正在生成文件…")
    filename = f"{summary.unit.name}-{summary.definition.title}-{ENDINGS[(what, ext)]}"
    with exports.spooled(what, ext, summary) as out:
        job_attach(job, filename, out)
    job_progress(job, 2, 2)
    return {"message": f"已生成 {filename}（{len(summary.included)} 个单位）", "filename": filename}
