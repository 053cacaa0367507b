from __future__ import annotations

import hashlib
import json

from django.db import transaction

from chunfeng.core.errors import ApplicationError

from .loader import read_definitions
from .models import FormVersion


def _digest(source: dict) -> str:
    return hashlib.sha256(
        json.dumps(source, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


@transaction.atomic
def formdefs_sync() -> list[FormVersion]:
    """Store every definition file (built-in and CHUNFENG_FORM_DIRS) as a FormVersion. A
    stored version is immutable: a file whose content changed without a new version number is
    refused."""
    stored = []
    for path, source, definition in read_definitions():
        digest = _digest(source)
        fv, created = FormVersion.objects.get_or_create(
            code=definition.code,
            version=definition.version,
            defaults={
                "title": definition.title, "attachment": definition.attachment,
                "source": source, "digest": digest,
            },
        )  # fmt: skip
        if not created and fv.digest != digest:
            raise ApplicationError(
                f"{path.name}：表单 {fv.code} 第 {fv.version} 版已被使用，内容不能再改；"
                "请增加版本号（version）",
                code="immutable_version",
            )
        stored.append(fv)
    return stored
