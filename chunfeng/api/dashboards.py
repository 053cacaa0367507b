"""The dashboards' figures: the very JSON the home page's charts are drawn from, so a figure in
the API equals the one on the chart and in the table under it. Read within the caller's subtree
(``unit``: a unit of it, default the caller's own; 404 outside it)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from chunfeng.dashboards import selectors as s
from chunfeng.rollups.selectors import previous_summary, summary_visible_to

from .common import RecordId, own_unit
from .errors import error_responses

router = Router(tags=["看板"])


class SeriesOut(Schema):
    name: str
    stack: str = Field(description="同一 stack 的系列堆叠显示（如 raised 筹集、paid 发放）")
    kind: str = Field(description="空为柱形，line 为折线，table 只在数据表中显示")
    data: list[str | int | None] = Field(
        description="每个类别一个值：金额、比率为精确小数文本（“1234.50”“87.5”），"
        "户数等为整数，无从计算时为 null"
    )


class MarkOut(Schema):
    name: str
    at: str = Field(description="标注的日期（如活动结束、春节）")


class ChartOut(Schema):
    chart: str
    title: str
    kind: str
    unit: str = Field(description="数值的单位：% 、元、万元")
    categories: list[str] = Field(description="类别：单位、表单或日期")
    series: list[SeriesOut]
    links: list[str] = Field(description="每个类别背后的明细页面")
    link: str = Field(description="整个图表背后的明细页面")
    marks: list[MarkOut]


class OverviewOut(Schema):
    campaign: int
    unit: str
    deadline: str
    days_to_deadline: int
    period_end: str
    days_to_period_end: int
    spring_festival: str | None
    days_to_spring_festival: int | None
    open_flags: int = Field(description="未处理的重复发放提示")
    open_cases: int = Field(description="未办结的12351工单")
    overdue_cases: int = Field(description="其中已超期")
    overdue_reviews: int = Field(description="本单位及下级逾期未年审的困难职工档案（户）")


def _where(request: HttpRequest, campaign_id: RecordId, unit: str | None):
    user = request.auth
    own_unit(user)  # 404 for a user of no unit
    return s.dashboard_campaign(user, campaign_id), s.dashboard_root(user, unit)


@router.get(
    "/dashboards/{campaign_id}/overview",
    response={200: OverviewOut, **error_responses(404)},
    summary="看板：截止与春节倒计时、重复提示、工单",
)
def overview(request: HttpRequest, campaign_id: RecordId, unit: str | None = None):
    campaign, root = _where(request, campaign_id, unit)
    return s.overview(request.auth, campaign, root)


@router.get(
    "/dashboards/{campaign_id}/charts/{name}",
    response={200: ChartOut, **error_responses(404)},
    summary="看板图表",
)
def chart(request: HttpRequest, campaign_id: RecordId, name: str, unit: str | None = None):
    """`name`：filing-units（各下级单位报送率、及时率）、filing-forms（各表报送率、及时率）、
    money（各下级单位按来源筹集、发放与结余，元）、payments-daily（每日发放与累计，标注活动结束
    与春节）、coverage（各下级单位走访帮扶覆盖率）。"""
    if name not in s.CHARTS:
        raise Http404(
            _("没有名为 %(name)s 的图表，可用：%(names)s")
            % {"name": name, "names": "、".join(s.CHARTS)}
        )
    campaign, root = _where(request, campaign_id, unit)
    return s.CHARTS[name](campaign, root)


@router.get(
    "/dashboards/{campaign_id}/summary/{unit_code}/{form_code}/composition",
    response={200: ChartOut, **error_responses(404)},
    summary="汇总：筹集与发放构成，本次与上次活动",
)
def composition(
    request: HttpRequest,
    campaign_id: RecordId,
    unit_code: str,
    form_code: str,
    status: str = "approved",
):
    """筹集（05B–05E）与发放（06B、06C 与其他 = 06A − 06B − 06C）的构成，万元；本次活动与同一
    发起单位上一次要求同一表的活动并列。"""
    summary = summary_visible_to(request.auth, campaign_id, unit_code, form_code, status)
    found = s.composition(summary, previous_summary(summary))
    if found is None:
        raise Http404(_("该表没有筹集与发放的填报项"))
    return found
