from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chunfeng.accounts.models import User
from chunfeng.accounts.selectors import tokens_of
from chunfeng.accounts.services import token_create, token_revoke
from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    help = (
        "API 令牌：token create NAME [--days N]（打印新令牌，只显示这一次）；"
        "token list NAME；token revoke NAME PREFIX"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建 API 令牌")
        create.add_argument("name", help="用户名")
        create.add_argument("--label", default="cli")
        create.add_argument(
            "--days", type=int, default=None, help="有效天数（默认见 CHUNFENG_TOKEN_DAYS）"
        )
        listing = sub.add_parser("list", help="列出用户的令牌")
        listing.add_argument("name", help="用户名")
        revoke = sub.add_parser("revoke", help="撤销用户的一个令牌")
        revoke.add_argument("name", help="用户名")
        revoke.add_argument("prefix", help="令牌的前缀（token list 显示的前 8 个字符）")

    def handle(self, *args, action, **opts):
        try:
            getattr(self, action)(**opts)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

    def _user(self, name: str, *, active: bool = False) -> User:
        users = User.objects.filter(username=name, **({"is_active": True} if active else {}))
        user = users.first()
        if user is None:
            raise CommandError(f"没有{'在用的' if active else ''}用户 {name}")
        return user

    def create(self, **opts):
        user = self._user(opts["name"], active=True)
        self.stdout.write(token_create(user=user, name=opts["label"], days=opts["days"]))

    def list(self, **opts):
        tokens = tokens_of(self._user(opts["name"]))
        if not tokens:
            self.stdout.write("没有令牌")
        for t in tokens:
            self.stdout.write(
                "\t".join(
                    (
                        t.prefix,
                        t.name or "—",
                        f"创建 {_when(t.created_at)}",
                        f"最近使用 {_when(t.last_used_at)}",
                        f"有效期至 {_when(t.expires_at)}",
                        t.state,
                    )
                )
            )

    def revoke(self, **opts):
        user = self._user(opts["name"])
        found = [t for t in tokens_of(user) if t.prefix == opts["prefix"] and not t.revoked]
        if not found:
            raise CommandError(f"用户 {user.username} 没有前缀为 {opts['prefix']} 的未撤销令牌")
        for token in found:
            token_revoke(token=token, actor=SYSTEM)
        self.stdout.write(f"已撤销用户 {user.username} 的令牌 {opts['prefix']}…")
