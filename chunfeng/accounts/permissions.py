"""What a role may do, in one place. Scope (which units) is the orgunits selectors' job."""

from __future__ import annotations

from .models import Role


def can_fill(user, unit) -> bool:
    return user.is_active and user.role == Role.FILLER and user.unit_id == unit.pk


def can_review(user, unit) -> bool:
    """Reviewers act on the units strictly below their own."""
    return (
        user.is_active
        and user.role == Role.REVIEWER
        and user.unit_id is not None
        and unit.pk != user.unit_id
        and unit.is_within(user.unit)
    )


def can_manage(user, unit) -> bool:
    return (
        user.is_active
        and user.role == Role.ADMIN
        and user.unit_id is not None
        and unit.is_within(user.unit)
    )


def can_view(user, unit) -> bool:
    return user.is_active and user.unit_id is not None and unit.is_within(user.unit)
