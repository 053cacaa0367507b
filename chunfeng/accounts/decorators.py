"""View helpers for admin pages: who may enter, and which unit they may act on."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from chunfeng.orgunits.models import OrgUnit
from chunfeng.orgunits.selectors import units_visible_to

from .permissions import can_manage


def admin_required(view):
    """Logged in, active, and an admin of some unit; 403 otherwise."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage(request.user, request.user.unit):
            raise PermissionDenied(_("只有管理员可以执行此操作"))
        return view(request, *args, **kwargs)

    return wrapper


def managed_unit(user, code: str, *, own: bool = True) -> OrgUnit:
    """The unit ``code`` in the admin's subtree (without their own unit unless ``own``);
    403 when it is not there."""
    unit = units_visible_to(user).filter(code=code).first()
    if unit is None or not can_manage(user, unit):
        raise PermissionDenied(_("单位 %(code)s 不在您的管辖范围内") % {"code": code})
    if not own and unit.pk == user.unit_id:
        raise PermissionDenied(_("不能调整或撤销本单位"))
    return unit
