"""The rulebook: every rule of what a role may do, in one place.

Each rule is a pure function of the actor and the unit concerned (anything with a ``path`` of
unit codes, such as ``OrgUnit``): no queries, so that every layer may ask it. Scope — which
units a user may *see* — is the selectors' job (``orgunits.selectors.units_visible_to``); these
rules say what a user may *do* there. ``SYSTEM`` (the command line, the demo loader, scheduled
jobs) passes every rule. Services call these rules before they write; views ask them only to
decide which buttons to show.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .actors import SYSTEM


class Role(models.TextChoices):
    FILLER = "filler", _("填报员")
    REVIEWER = "reviewer", _("审核员")
    ADMIN = "admin", _("管理员")
    VIEWER = "viewer", _("查看员")


WRITER_ROLES = (Role.FILLER, Role.ADMIN)  # keep records: households, funds, payments
AUDITOR_ROLES = (Role.VIEWER, Role.ADMIN)  # oversee who saw or changed personal numbers


def _placed(user: Any) -> bool:
    """An active person attached to a unit."""
    return bool(getattr(user, "is_active", False) and getattr(user, "unit_id", None))


def at_or_above(user: Any, unit: Any) -> bool:
    """``unit`` is the user's own unit or lies below it."""
    return _placed(user) and unit.path.startswith(user.unit.path)


def strictly_above(user: Any, unit: Any) -> bool:
    return at_or_above(user, unit) and unit.pk != user.unit_id


def _has(user: Any, *roles: str) -> bool:
    return getattr(user, "role", None) in roles


# --- reports --------------------------------------------------------------------------------


def can_fill(user: Any, unit: Any) -> bool:
    """Fill, save, submit and upload the work report of ``unit``'s own reports: its fillers."""
    return user is SYSTEM or (_placed(user) and _has(user, Role.FILLER) and user.unit_id == unit.pk)


def can_review(user: Any, unit: Any) -> bool:
    """Reviewers act on the units strictly below their own."""
    return user is SYSTEM or (_has(user, Role.REVIEWER) and strictly_above(user, unit))


def can_review_as(user: Any, reviewing_unit: Any) -> bool:
    """Approve, return or reopen a report whose reviewing unit (the nearest ancestor taking
    part in the campaign) is ``reviewing_unit``: that unit's reviewers."""
    if user is SYSTEM:
        return True
    return bool(
        reviewing_unit is not None
        and _placed(user)
        and _has(user, Role.REVIEWER)
        and user.unit_id == reviewing_unit.pk
    )


def can_close_campaign(user: Any, owner: Any) -> bool:
    """End a campaign and freeze its final report (合计): the reviewers and admins of the
    campaign's owner."""
    if user is SYSTEM:
        return True
    return bool(
        _placed(user) and _has(user, Role.REVIEWER, Role.ADMIN) and user.unit_id == owner.pk
    )


def can_remind(user: Any, unit: Any) -> bool:
    """催报: reviewers and admins, to units strictly below their own."""
    return user is SYSTEM or (_has(user, Role.REVIEWER, Role.ADMIN) and strictly_above(user, unit))


def reviews_at_all(user: Any) -> bool:
    """Whether the user reviews anything (the review queue, the reviewer's buttons)."""
    return user is SYSTEM or (_placed(user) and _has(user, Role.REVIEWER))


def keeps_records_at_all(user: Any) -> bool:
    """Whether the user keeps real-name records anywhere (their own unit and below)."""
    return _placed(user) and can_keep_records(user, user.unit)


def manages_at_all(user: Any) -> bool:
    """Whether the user administers anything (their own unit and below)."""
    return _placed(user) and can_manage(user, user.unit)


def may_remind_at_all(user: Any) -> bool:
    """Whether the 催报 button makes sense for this user anywhere."""
    return user is SYSTEM or (_placed(user) and _has(user, Role.REVIEWER, Role.ADMIN))


# --- administration -------------------------------------------------------------------------


def can_manage(user: Any, unit: Any) -> bool:
    """Administer ``unit`` (units, users, campaigns it owns): admins of it or above."""
    return user is SYSTEM or (_has(user, Role.ADMIN) and at_or_above(user, unit))


def can_manage_account(user: Any, owner: Any) -> bool:
    """See and revoke the API tokens of user ``owner``: the owner themselves, or an admin of
    the owner's unit or above."""
    if user is SYSTEM:
        return True
    if _placed(user) and getattr(user, "pk", None) == owner.pk:
        return True
    return bool(owner.unit_id and can_manage(user, owner.unit))


def can_reset_account(user: Any, owner: Any) -> bool:
    """Reset ``owner``'s password, unlock their account: an admin of the owner's unit or above,
    never for themselves (they change their own password)."""
    if user is SYSTEM:
        return True
    return bool(
        owner.unit_id and getattr(user, "pk", None) != owner.pk and can_manage(user, owner.unit)
    )


def can_launch_campaign(user: Any, owner: Any) -> bool:
    """Launch or copy a campaign owned by ``owner``: its admins, or an ancestor's."""
    return can_manage(user, owner)


def can_pass_down(user: Any, unit: Any) -> bool:
    """Pass a campaign that ``unit`` received on to the units below it (deadline, notice):
    the admins and reviewers of the unit, or of a unit above it."""
    return user is SYSTEM or (_has(user, Role.ADMIN, Role.REVIEWER) and at_or_above(user, unit))


# --- register and funds ----------------------------------------------------------------------


def can_keep_records(user: Any, unit: Any) -> bool:
    """Keep ``unit``'s real-name records (households, receipts, batches, lines, visits):
    fillers and admins of the unit or of a unit above it."""
    return user is SYSTEM or (_has(user, *WRITER_ROLES) and at_or_above(user, unit))


def can_edit_households(user: Any, unit: Any) -> bool:
    return can_keep_records(user, unit)


def can_write_funds(user: Any, unit: Any) -> bool:
    return can_keep_records(user, unit)


def can_see_full_ids(user: Any, unit: Any) -> bool:
    """Full personal numbers of ``unit``'s records: those who pay by real name there (fillers
    and admins of the keeping union or above). Reviewers and viewers see them masked."""
    return can_keep_records(user, unit)


def can_anonymise_households(user: Any) -> bool:
    """Anonymise the files out of hardship for longer than the retention period: the
    installation's own duty, run from the command line as the system; no role does it."""
    return user is SYSTEM


def can_resolve_flag(
    user: Any, line_unit: Any, campaign_owner: Any, other_unit: Any = None
) -> bool:
    """Decide on a duplicate-payment flag: reviewers of a unit above the flagged line's unit
    whose subtree also holds the other line (``other_unit``: they are at or above the nearest
    unit above both, so they may see both sides), or of the unit that owns the campaign."""
    if user is SYSTEM:
        return True
    if not _has(user, Role.REVIEWER):
        return False
    if _placed(user) and user.unit_id == campaign_owner.pk:
        return True
    return strictly_above(user, line_unit) and (other_unit is None or at_or_above(user, other_unit))


def can_approve_personal_change(user: Any, unit: Any) -> bool:
    """Approve or reject a change of the bank account or the ID number of a household kept by
    ``unit`` (four eyes: a filler or admin asks, a reviewer decides): reviewers of the keeping
    union or of a unit above it."""
    return user is SYSTEM or (_has(user, Role.REVIEWER) and at_or_above(user, unit))


def can_approve_batch(user: Any, unit: Any) -> bool:
    """Approve ``unit``'s payment batch for payment by bank (the bank file is released only
    then): reviewers of a unit above the paying unit."""
    return can_review(user, unit)


def can_confirm_signed_sheet(user: Any, unit: Any) -> bool:
    """Confirm ``unit``'s cash or goods batch on its uploaded signed 签领表: a reviewer of a
    unit above the paying unit (a second person, as for the bank file)."""
    return can_review(user, unit)


# --- oversight ---------------------------------------------------------------------------------


def can_audit(user: Any, unit: Any) -> bool:
    """Open the full personal numbers sealed in the history of ``unit``'s records (the old and
    new bank account of a change): auditors — viewers and admins of a unit above the keeping
    unit. Each opening is logged in the ID access log."""
    return user is SYSTEM or (_has(user, *AUDITOR_ROLES) and strictly_above(user, unit))


def audits_at_all(user: Any) -> bool:
    """Whether the user reads the ID access log (of their own subtree): viewers and admins."""
    return user is SYSTEM or (_placed(user) and _has(user, *AUDITOR_ROLES))


# --- 12351 cases -----------------------------------------------------------------------------


def can_take_cases(user: Any, unit: Any) -> bool:
    """受理: open a case at ``unit`` (a call, a visit, a report): its fillers and admins, or
    those of a unit above it."""
    return can_keep_records(user, unit)


def can_handle_case(user: Any, unit: Any) -> bool:
    """Handle a case ``unit`` holds — acknowledge (签收) it, log what was done, transfer it, ask
    for more time, open a household file and pay aid from it, close it: the fillers and admins
    of that union or of a union above it (which may step in)."""
    return can_keep_records(user, unit)


def can_supervise_case(user: Any, unit: Any) -> bool:
    """督办 a case ``unit`` holds — approve or refuse an extension, reopen a closed case: the
    reviewers and admins of a union above it; for a case held at the top of the tree, its
    own reviewers and admins."""
    if user is SYSTEM:
        return True
    if not _has(user, Role.REVIEWER, Role.ADMIN):
        return False
    return strictly_above(user, unit) or (unit.parent_id is None and at_or_above(user, unit))


def can_return_visit(user: Any, unit: Any) -> bool:
    """回访 the worker after closing: whoever handles or supervises the case."""
    return can_handle_case(user, unit) or can_supervise_case(user, unit)


def can_see_caller_numbers(user: Any, unit: Any) -> bool:
    """The caller's full phone and ID number: those who handle the case (each view logged).
    Reviewers and viewers see them masked."""
    return can_handle_case(user, unit)


def can_configure_cases(user: Any) -> bool:
    """Time limits and the working-day calendar of the whole federation: the admins of the
    union at the top of the tree."""
    if user is SYSTEM:
        return True
    unit = getattr(user, "unit", None) if _placed(user) else None
    return _has(user, Role.ADMIN) and unit is not None and unit.parent_id is None


# --- hardship applications and 动态管理 ---------------------------------------------------------


def can_handle_application(user: Any, unit: Any) -> bool:
    """Apply for a worker of ``unit``, 初审, 入户调查, amend and resubmit a returned application,
    record objections, review a file yearly: the grassroots union's fillers and admins (or
    those of a union above it)."""
    return can_keep_records(user, unit)


def can_act_as_help_centre(user: Any, unit: Any) -> bool:
    """Review an application of ``unit``, record the economic-status check, publish the notice:
    the help centre of a union above it (its fillers, reviewers and admins)."""
    if user is SYSTEM:
        return True
    return _has(user, Role.FILLER, Role.REVIEWER, Role.ADMIN) and strictly_above(user, unit)


def can_approve_application(user: Any, unit: Any) -> bool:
    """Approve an application of ``unit`` after its notice (the file is opened): reviewers of a
    union above it."""
    return can_review(user, unit)


def can_set_standards(user: Any, unit: Any) -> bool:
    """Set the 低保标准 of ``unit``'s region (a city or district union): its admins or above."""
    return can_manage(user, unit)
