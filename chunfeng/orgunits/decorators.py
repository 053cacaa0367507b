"""View helpers for admin pages: who may enter, and how a posted unit code is looked up."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from chunfeng.core.rules import can_manage

from .models import OrgUnit
from .selectors import units_visible_to


def require_admin(request, *args, **kwargs) -> None:
    """403 unless the signed-in user is an admin of some unit."""
    if not (request.user.unit_id and can_manage(request.user, request.user.unit)):
        raise PermissionDenied(_("只有管理员可以执行此操作"))


def admin_required(view):
    """Logged in, active, and an admin of some unit; 403 otherwise."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_admin(request)
        return view(request, *args, **kwargs)

    return wrapper


def managed_unit(user, code: str) -> OrgUnit:
    """The posted unit ``code`` within the admin's subtree; 403 when it is not there. What the
    admin may do to it is the services' rule."""
    unit = units_visible_to(user).filter(code=code).first()
    if unit is None:
        raise PermissionDenied(_("单位 %(code)s 不在您的管辖范围内") % {"code": code})
    return unit
