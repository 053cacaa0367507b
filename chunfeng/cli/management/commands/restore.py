"""`chunfeng restore FILE [--force]`: back into an empty database of the same kind (stop the
server and the workers first), with the uploaded files and the secret key."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chunfeng.cli.backup import backup_restore
from chunfeng.cli.installation import known_migrations, this_installation
from chunfeng.cli.passphrase import ENV, secret_from
from chunfeng.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "从 chunfeng backup 做的备份文件恢复数据库、上传的文件和密钥文件：restore FILE。"
        "只恢复到同一种、空的数据库；数据库已有数据时，加 --force 才会替换。"
        f"口令来自环境变量 {ENV}、终端或标准输入，或者用 --key-file。恢复前请先停止服务。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件")
        parser.add_argument("--key-file", help="备份时用的密钥文件")
        parser.add_argument(
            "--force", action="store_true", help="数据库已有数据时也恢复（替换全部数据）"
        )

    def handle(self, *args, **o):
        try:
            secret = secret_from(key_file=o["key_file"], new=False, stdin=sys.stdin)
            restored = backup_restore(
                installation=this_installation(),
                path=Path(o["file"]),
                secret=secret,
                force=o["force"],
                known_migrations=known_migrations(),
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        m = restored.manifest
        rows = sum(t["rows"] for t in m["tables"].values())
        self.stdout.write(
            f"已恢复 {m['created_at']} 的备份（春风 {m['chunfeng_version']}）：{len(m['tables'])} "
            f"张表共 {rows} 行，行数和校验和与备份清单一致；{m['media']['files']} 个上传文件。"
        )
        for note in restored.notes:
            self.stdout.write(note)
