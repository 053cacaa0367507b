"""`chunfeng anonymise-households [--dry-run]`: anonymise the households out of hardship for
longer than CHUNFENG_RETENTION_DAYS (see ``funds.retention``), as the system."""

from django.core.management.base import BaseCommand

from chunfeng.core.actors import SYSTEM
from chunfeng.funds.retention import households_anonymise


class Command(BaseCommand):
    help = (
        "匿名化脱困已超过保存期限（CHUNFENG_RETENTION_DAYS 天）的困难职工档案：姓名、身份证号码、"
        "电话、银行卡号、工作单位和家庭成员信息被替换，统计所需的单位、类别、性别、出生年份、"
        "农民工/劳模标记、日期和发放金额保留。--dry-run 只统计户数。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")

    def handle(self, *args, **o):
        done = households_anonymise(actor=SYSTEM, dry_run=o["dry_run"])
        before = done.escaped_before.isoformat()
        if done.dry_run:
            self.stdout.write(
                f"脱困日期早于 {before} 的档案有 {done.count} 户可以匿名化（未修改）。"
            )
        else:
            self.stdout.write(f"已匿名化 {done.count} 户脱困日期早于 {before} 的档案。")
