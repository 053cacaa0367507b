from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from chunfeng.campaigns.models import Campaign
from chunfeng.campaigns.selectors import campaign_form
from chunfeng.orgunits.models import OrgUnit
from chunfeng.reports.selectors import report_slot_system
from chunfeng.rollups.selectors import summary_for
from chunfeng.sheets import exports


class Command(BaseCommand):
    help = (
        "导出报表或汇总：export --campaign ID --unit CODE --form CODE [--summary] "
        "--format xlsx|pdf|csv -o FILE（csv 为汇总的分单位明细表）"
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True)
        parser.add_argument("--unit", required=True)
        parser.add_argument("--form", required=True)
        parser.add_argument("--summary", action="store_true", help="导出汇总而不是本单位报表")
        parser.add_argument("--status", default="approved", choices=["approved", "submitted"])
        parser.add_argument("--format", required=True, choices=["xlsx", "pdf", "csv"])
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, **o):
        try:
            if o["summary"]:
                self._summary(o)
            else:
                Path(o["output"]).write_bytes(self._report(o))
        except Http404 as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已写入 {o['output']}")

    def _report(self, o) -> bytes:
        if o["format"] == "csv":
            raise CommandError("CSV 只用于汇总的分单位明细表，请加 --summary")
        slot = report_slot_system(o["campaign"], o["unit"], o["form"])
        return exports.report_xlsx(slot) if o["format"] == "xlsx" else exports.report_pdf(slot)

    def _summary(self, o) -> None:
        campaign = Campaign.objects.filter(pk=o["campaign"]).first()
        unit = OrgUnit.objects.filter(code=o["unit"]).first()
        if campaign is None or unit is None:
            raise CommandError("活动或单位不存在")
        summary = summary_for(campaign, unit, campaign_form(campaign, o["form"]), o["status"])
        what = "table" if o["format"] == "csv" else "summary"
        with Path(o["output"]).open("wb") as out:  # the table is written row by row
            exports.WRITERS[(what, o["format"])](summary, out)
