"""System checks of Chunfeng's own settings: ``chunfeng serve``, ``worker``, ``tick`` and
``check`` refuse to start while one fails."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

MIN_RETENTION_DAYS = 183  # half a year: the history must outlive the shortest review period


@register()
def retention_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    days = settings.CHUNFENG_RETENTION_DAYS
    if days >= MIN_RETENTION_DAYS:
        return []
    return [
        Error(
            f"CHUNFENG_RETENTION_DAYS={days}：个人信息和操作记录的保存期限不能少于 "
            f"{MIN_RETENTION_DAYS} 天（默认 1095 天，即三年）",
            hint="把 CHUNFENG_RETENTION_DAYS 设为 183 或更大，或删去它用默认值",
            id="chunfeng.E001",
        )
    ]
