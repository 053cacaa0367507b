"""`chunfeng backup FILE`: the database (a consistent snapshot, also while the server runs),
the uploaded files and the data folder's secret key in one encrypted file."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chunfeng.cli.backup import backup_create
from chunfeng.cli.installation import this_installation
from chunfeng.cli.passphrase import ENV, secret_from
from chunfeng.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "备份数据库、上传的文件和密钥文件，加密写入一个文件：backup FILE。口令来自环境变量 "
        f"{ENV}、终端或标准输入（不能写在命令行上），或者用 --key-file 指定另外保管的密钥文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件（已存在时覆盖）")
        parser.add_argument("--key-file", help="用这个密钥文件（至少 32 字节随机数据）代替口令")

    def handle(self, *args, **o):
        path = Path(o["file"])
        if path.is_dir():
            raise CommandError(f"{path} 是一个文件夹：请给出备份文件的名字")
        started = time.monotonic()
        try:
            secret = secret_from(key_file=o["key_file"], new=True, stdin=sys.stdin)
            manifest = backup_create(installation=this_installation(), path=path, secret=secret)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {path}（{path.stat().st_size / 1e6:.1f} MB，{time.monotonic() - started:.1f} 秒）："
            f"{len(manifest['tables'])} 张表共 {rows} 行，{manifest['media']['files']} 个上传文件"
            + ("，含密钥文件" if manifest["secret_key"] else "")
            + "。"
        )
