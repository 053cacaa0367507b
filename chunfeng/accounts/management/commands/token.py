from django.core.management.base import BaseCommand, CommandError

from chunfeng.accounts.models import User
from chunfeng.accounts.services import token_create


class Command(BaseCommand):
    help = "API 令牌：token create NAME（打印新令牌，只显示这一次）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建 API 令牌")
        create.add_argument("name", help="用户名")
        create.add_argument("--label", default="cli")

    def handle(self, *args, action, **opts):
        try:
            user = User.objects.get(username=opts["name"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"没有在用的用户 {opts['name']}") from None
        self.stdout.write(token_create(user=user, name=opts["label"]))
