"""Attachments of a case (staff only: the workers' public page takes no files)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from chunfeng.core.actors import user_or_none
from chunfeng.core.audit import audit_record

from .intake import field_error
from .models import Attachment, Case
from .services import require_handler

TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".wps")
MAX_SIZE = 20 * 1024 * 1024


@transaction.atomic
def attachment_add(*, case: Case, upload, actor) -> Attachment:
    require_handler(actor, case, _("为这件工单上传附件"))
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in TYPES:
        raise field_error("file", f"附件只能是 {'、'.join(TYPES)} 文件")
    if upload.size > MAX_SIZE:
        raise field_error("file", "附件不能超过 20 MB")
    attachment = Attachment.objects.create(
        case=case,
        file=upload,
        original_name=name[:255],
        size=upload.size,
        uploaded_by=user_or_none(actor),
    )
    audit_record(actor=actor, action="case.attach", target=case, name=attachment.original_name)
    return attachment
