from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from chunfeng.reports.selectors import report_slot_system
from chunfeng.sheets.exports import report_xlsx


class Command(BaseCommand):
    help = "下载报表的 Excel 模板：template --campaign ID --unit CODE --form CODE -o FILE"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True)
        parser.add_argument("--unit", required=True)
        parser.add_argument("--form", required=True)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, **o):
        try:
            slot = report_slot_system(o["campaign"], o["unit"], o["form"])
        except Http404 as exc:
            raise CommandError(str(exc)) from None
        Path(o["output"]).write_bytes(report_xlsx(slot, "template"))
        self.stdout.write(f"已写入模板：{o['output']}（{slot.unit.name}，{slot.definition.title}）")
