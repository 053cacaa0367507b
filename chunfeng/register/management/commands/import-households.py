from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.import_jobs import import_file, mapping_for_cli
from chunfeng.register.listfile import HouseholdFile


class Command(BaseCommand):
    help = (
        "导入困难职工名单（xlsx 或 csv）：import-households --unit CODE FILE。"
        "列名同模板（姓名、身份证号码、联系电话……）；任何一行有错误时不导入任何数据，"
        "并逐行列出错误（行号、列、原因）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="建档单位的代码")
        parser.add_argument("file")

    def handle(self, *args, **o):
        unit = OrgUnit.objects.filter(code=o["unit"]).first()
        if unit is None:
            raise CommandError(f"没有代码为 {o['unit']} 的单位")
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        try:
            file = HouseholdFile(path)
            check = import_file(
                file, mapping_for_cli(file), unit=unit, actor=SYSTEM, max_errors=None
            )
        except ApplicationError as exc:
            for d in exc.details:
                if isinstance(d, dict) and "row" in d:
                    self.stderr.write(f"第 {d['row']} 行\t{d.get('column', '')}\t{d['message']}")
            raise CommandError(exc.message) from None
        self.stdout.write(f"已为{unit.name}（{unit.code}）导入 {check.valid} 户困难职工档案。")
