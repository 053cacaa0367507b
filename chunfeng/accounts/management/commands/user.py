import sys

from django.core.management.base import BaseCommand, CommandError

from chunfeng.accounts.models import Role, User
from chunfeng.accounts.services import user_create, user_password_reset, user_unlock
from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.orgunits.models import OrgUnit


def find_user(name: str) -> User:
    try:
        return User.objects.select_related("unit").get(username=name)
    except User.DoesNotExist:
        raise CommandError(f"没有用户 {name}") from None


class Command(BaseCommand):
    help = (
        "管理用户：user add NAME --unit CODE --role ROLE（密码从标准输入读取）；"
        "user unlock NAME（解除登录锁定）；user reset-password NAME（打印临时密码）"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="新增用户")
        add.add_argument("name")
        add.add_argument("--unit", required=True, help="单位代码")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--full-name", default="")
        add.add_argument("--email", default="")
        unlock = sub.add_parser("unlock", help="解除账号的登录锁定")
        unlock.add_argument("name")
        reset = sub.add_parser("reset-password", help="设置临时密码（打印一次），下次登录须修改")
        reset.add_argument("name")

    def handle(self, *args, action, **opts):
        try:
            getattr(self, action.replace("-", "_"))(**opts)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

    def add(self, **opts):
        try:
            unit = OrgUnit.objects.get(code=opts["unit"])
        except OrgUnit.DoesNotExist:
            raise CommandError(f"没有代码为 {opts['unit']} 的单位") from None
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("请从标准输入提供密码，例如：echo 密码 | chunfeng user add …")
        user = user_create(
            username=opts["name"],
            unit=unit,
            role=opts["role"],
            password=password,
            full_name=opts["full_name"],
            email=opts["email"],
        )
        self.stdout.write(f"已创建用户 {user.username}（{unit.name}，{user.get_role_display()}）")

    def unlock(self, **opts):
        user = find_user(opts["name"])
        if user_unlock(user=user, actor=SYSTEM):
            self.stdout.write(f"已为用户 {user.username} 解锁")
        else:
            self.stdout.write(f"用户 {user.username} 没有被锁定")

    def reset_password(self, **opts):
        user = find_user(opts["name"])
        password = user_password_reset(user=user, actor=SYSTEM)
        self.stderr.write(f"用户 {user.username} 的临时密码（只显示这一次，登录后须修改）：")
        self.stdout.write(password)
