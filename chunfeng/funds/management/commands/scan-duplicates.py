import time

from django.core.management.base import BaseCommand, CommandError

from chunfeng.campaigns.models import Campaign
from chunfeng.funds.duplicates import duplicates_scan
from chunfeng.funds.selectors import root_of
from chunfeng.orgunits.models import OrgUnit


class Command(BaseCommand):
    help = (
        "排查重复发放（不重复）：scan-duplicates --campaign ID [--unit CODE] [--limit N]。"
        "不指定单位时排查该活动发起单位所在的整个联合会；身份证号码脱敏显示。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True)
        parser.add_argument("--unit", help="只排查该单位及其下级")
        parser.add_argument("--limit", type=int, default=50, help="每类最多列出的组数")

    def handle(self, *args, **o):
        campaign = Campaign.objects.select_related("owner").filter(pk=o["campaign"]).first()
        if campaign is None:
            raise CommandError(f"没有编号为 {o['campaign']} 的活动")
        if o["unit"]:
            root = OrgUnit.objects.filter(code=o["unit"]).first()
            if root is None:
                raise CommandError(f"没有代码为 {o['unit']} 的单位")
        else:
            root = root_of(campaign.owner)
        started = time.perf_counter()
        result = duplicates_scan(campaign, root)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{campaign.name} · {root.name}：共 {result.total} 组（{seconds:.2f} 秒）"
        )
        for groups in result.groups.values():
            if not groups:
                continue
            self.stdout.write(f"\n{groups[0].kind_label}：{len(groups)} 组")
            for group in groups[: o["limit"]]:
                self.stdout.write(f"  {group.key_text}")
                for line in group.lines:
                    self.stdout.write(
                        f"    {line.unit_name} 批次#{line.batch_id} {line.name} {line.masked_id} "
                        f"{line.amount:.2f} 元 {line.paid_on}"
                    )
