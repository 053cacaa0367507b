import sys

from django.core.management.base import BaseCommand, CommandError

from chunfeng.accounts.models import Role
from chunfeng.accounts.services import user_create
from chunfeng.core.errors import ApplicationError
from chunfeng.orgunits.models import OrgUnit


class Command(BaseCommand):
    help = "管理用户：user add NAME --unit CODE --role ROLE（密码从标准输入读取）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="新增用户")
        add.add_argument("name")
        add.add_argument("--unit", required=True, help="单位代码")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--full-name", default="")
        add.add_argument("--email", default="")

    def handle(self, *args, action, **opts):
        try:
            unit = OrgUnit.objects.get(code=opts["unit"])
        except OrgUnit.DoesNotExist:
            raise CommandError(f"没有代码为 {opts['unit']} 的单位") from None
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("请从标准输入提供密码，例如：echo 密码 | chunfeng user add …")
        try:
            user = user_create(
                username=opts["name"],
                unit=unit,
                role=opts["role"],
                password=password,
                full_name=opts["full_name"],
                email=opts["email"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已创建用户 {user.username}（{unit.name}，{user.get_role_display()}）")
