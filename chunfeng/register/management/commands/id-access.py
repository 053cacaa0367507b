import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chunfeng.core.actors import SYSTEM
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.access import PURPOSES, id_access_of

COLUMNS = ("时间", "用户", "用户单位", "用途", "档案编号", "姓名", "建档单位", "户数", "说明")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "列出身份证号码查看记录（谁在何时查看或导出了哪些档案的完整号码），新的在前，"
        "以制表符分隔：id-access [--unit CODE] [--since DATE] [--until DATE] [--user NAME]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="单位代码：该单位及其下级单位的档案")
        parser.add_argument("--since", help="起始日期（YYYY-MM-DD，含）")
        parser.add_argument("--until", help="截止日期（YYYY-MM-DD，含）")
        parser.add_argument("--user", default="", help="用户名")
        parser.add_argument("--household", type=int, help="档案编号")
        parser.add_argument("--purpose", default="", help="用途：" + "、".join(PURPOSES))
        parser.add_argument("--limit", type=int, default=10_000, help="最多列出的条数")

    def handle(self, *args, **o):
        unit = None
        if o["unit"]:
            unit = OrgUnit.objects.filter(code=o["unit"]).first()
            if unit is None:
                raise CommandError(f"没有代码为 {o['unit']} 的单位")
        rows = id_access_of(
            SYSTEM,
            unit=unit,
            username=o["user"],
            household=o["household"],
            purpose=o["purpose"],
            since=_date(o["since"]) if o["since"] else None,
            until=_date(o["until"]) if o["until"] else None,
        )
        self.stdout.write("\t".join(COLUMNS))
        for row in rows[: o["limit"]]:
            household = row.household
            self.stdout.write(
                "\t".join(
                    str(v)
                    for v in (
                        timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                        row.user.username if row.user else "系统",
                        row.user.unit.code if row.user and row.user.unit_id else "",
                        PURPOSES.get(row.purpose, row.purpose),
                        household.pk if household else "",
                        household.name if household else "",
                        household.unit.code if household else "",
                        row.count,
                        json.dumps(row.details, ensure_ascii=False) if row.details else "",
                    )
                )
            )
