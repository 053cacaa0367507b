from __future__ import annotations

import hashlib
import json

from django.db import transaction

from chunfeng.core.actors import SYSTEM
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError

from .loader import read_definitions
from .models import FormVersion


def version_digest(source: dict) -> str:
    """What makes a stored version immutable: its whole source but FormVersion.AMENDABLE."""
    fixed = {k: v for k, v in source.items() if k not in FormVersion.AMENDABLE}
    return hashlib.sha256(
        json.dumps(fixed, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


@transaction.atomic
def formdefs_sync(*, actor=SYSTEM) -> list[FormVersion]:
    """Store every definition file (built-in and CHUNFENG_FORM_DIRS) as a FormVersion. A
    stored version is immutable: a file whose content changed without a new version number is
    refused, unless only its FormVersion.AMENDABLE keys changed: those are updated in place."""
    stored = []
    for path, source, definition in read_definitions():
        digest = version_digest(source)
        fv, created = FormVersion.objects.get_or_create(
            code=definition.code,
            version=definition.version,
            defaults={
                "title": definition.title,
                "attachment": definition.attachment,
                "source": source,
                "digest": digest,
            },
        )
        if not created and fv.digest != digest:
            raise ApplicationError(
                f"{path.name}：表单 {fv.code} 第 {fv.version} 版已被使用，内容不能再改"
                "（记录算出的项 derived 除外）；请增加版本号（version）",
                code="immutable_version",
            )
        if not created and fv.source != source:  # then only its amendable keys differ
            _amend(fv, source, actor)
        stored.append(fv)
    return stored


def _amend(fv: FormVersion, source: dict, actor) -> None:
    old = fv.amendable
    fv.source = source
    fv.full_clean()
    fv.save(update_fields=["source"])
    audit_record(actor=actor, action="formversion.amend", target=fv, old=old, new=fv.amendable)
