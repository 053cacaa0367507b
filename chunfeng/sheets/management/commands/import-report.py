from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.reports.selectors import report_slot_system
from chunfeng.sheets.importer import UnreadableCells, cells_of, report_import
from chunfeng.sheets.reader import read_upload


class Command(BaseCommand):
    help = "导入填好的 Excel 模板：import-report --campaign ID --unit CODE FILE（有错误时不保存）"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True)
        parser.add_argument("--unit", required=True)
        parser.add_argument("file")

    def handle(self, *args, **o):
        data = Path(o["file"]).read_bytes()
        try:
            form = read_upload(data, o["file"]).mapping.get("form")
            slot = report_slot_system(o["campaign"], o["unit"], str(form))
            result = report_import(slot=slot, data=data, name=o["file"], actor=SYSTEM)
        except Http404 as exc:
            raise CommandError(str(exc)) from None
        except ApplicationError as exc:
            for d in exc.details:
                if isinstance(d, dict):
                    self.stderr.write(f"{d.get('cell', '')}\t{d.get('field', '')}\t{d['message']}")
            if isinstance(exc, UnreadableCells):
                self.stderr.write("自动审核（未保存，仅供参考）：")
                self._checks(exc.outcome, exc.cells, self.stderr)
            raise CommandError(exc.message) from None
        self.stdout.write(f"已导入 {slot.unit.name} 的 {slot.definition.title}（草稿）。")
        self._checks(result.outcome, result.cells, self.stdout)

    def _checks(self, outcome, cells, out):
        for r in (*outcome.errors, *outcome.warnings):
            out.write(f"[{r.level}] {'、'.join(cells_of(r, cells))} {r.check}：{r.message}")
