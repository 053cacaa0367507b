"""This installation, as the settings describe it, for backups and restores."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from .backup import Installation


def this_installation() -> Installation:
    connections.close_all()  # the backup and restore use connections of their own
    own_key = not os.environ.get("CHUNFENG_SECRET_KEY")
    return Installation(
        database=settings.DATABASES["default"],
        media_root=Path(settings.MEDIA_ROOT),
        secret_key_file=settings.DATA_DIR / "secret_key" if own_key else None,
    )


def known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
