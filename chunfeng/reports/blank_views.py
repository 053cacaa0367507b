"""The entry page's per-blank save: each blank is stored as the user leaves it (``entry.js``).

Answers JSON: ``{code, value, version}`` when stored (``value`` the canonical text, ``version``
the report's new version, sent with the next save); 400 ``{code, error}`` when the value is not
valid (nothing stored, the blank keeps what was typed); 409 ``{code, error, current, version}``
when the report was saved by someone else since the page read it (``current`` is the value now
stored in that blank). A warning's explanation (说明) is saved the same way, its ``code`` being
``x-<check>`` as the entry page names its box. 404 outside the user's subtree, 403 for a unit
the user cannot fill or a report no longer open."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from chunfeng.core.versions import Stale, version_from
from chunfeng.core.web import caught

from .blank_saves import EXPLANATION, report_save_blank
from .selectors import report_slot_for
from .services import EXPLANATION_MAX


@login_required
@require_POST
def report_blank_save(request, campaign_id: int, unit_code: str, form_code: str, own: bool = False):
    slot = report_slot_for(request.user, campaign_id, unit_code, form_code, own=own)
    code = request.POST.get("code", "")[:32]
    # a figure is short; an explanation one character over its limit is refused, not cut
    limit = EXPLANATION_MAX + 1 if code.startswith(EXPLANATION) else 200
    saved, error = caught(
        lambda: report_save_blank(
            slot=slot,
            actor=request.user,
            code=code,
            text=request.POST.get("value", "")[:limit],
            version=version_from(request.POST.get("version")),
        )
    )
    if error is None:
        body = {"code": code, "value": saved.text, "version": saved.report.version}
        return JsonResponse(body)
    body = {"code": code, "error": error.message}
    if isinstance(error, Stale) and error.details:
        body.update(current=error.details[0]["current"], version=error.current)
    return JsonResponse(body, status=error.status)
