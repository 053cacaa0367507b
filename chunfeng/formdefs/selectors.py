from __future__ import annotations

import json
from functools import lru_cache

from django.http import Http404
from django.utils.translation import gettext as _

from .loader import build
from .models import FormVersion
from .schema import FormDefinition


@lru_cache(maxsize=64)
def _cached(pk: int, digest: str, amendable: str) -> FormDefinition:
    return build(FormVersion.objects.get(pk=pk).source)


def definition_of(version: FormVersion) -> FormDefinition:
    """Built once per process for each content. The digest does not cover the keys a version
    may amend in place (FormVersion.AMENDABLE), so they are part of the key too."""
    amendable = json.dumps(version.amendable, sort_keys=True, ensure_ascii=False)
    return _cached(version.pk, version.digest, amendable)


def form_versions_latest() -> list[FormVersion]:
    latest: dict[str, FormVersion] = {}
    for fv in FormVersion.objects.order_by("code", "-version"):
        latest.setdefault(fv.code, fv)
    return list(latest.values())


def form_version_latest(code: str) -> FormVersion:
    fv = FormVersion.objects.filter(code=code).order_by("-version").first()
    if fv is None:
        raise Http404(_("没有代码为 %(code)s 的表单") % {"code": code})
    return fv


def known_form_codes(codes) -> set[str]:
    return set(FormVersion.objects.filter(code__in=list(codes)).values_list("code", flat=True))


def form_version_of(code: str, version: int | None = None) -> FormVersion | None:
    """A form's given version, or its latest; None when there is no such form or version."""
    versions = FormVersion.objects.filter(code=code).order_by("-version")
    return versions.first() if version is None else versions.filter(version=version).first()
