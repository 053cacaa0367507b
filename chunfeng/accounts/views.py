"""The users page of an admin: the users of their subtree, add and change them; one user's
account (tokens, lock, recent logins), with a password reset and an unlock."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from chunfeng.core.rules import can_reset_account
from chunfeng.core.web import attempt, back_on_error
from chunfeng.orgunits.decorators import admin_required, managed_unit
from chunfeng.orgunits.selectors import active_units_visible_to

from .forms import UserChangeForm, UserCreateForm
from .selectors import lock_on, recent_logins, tokens_of, user_for, users_with_locks
from .services import user_create, user_password_reset, user_unlock, user_update


def _render_list(request, *, form=None, status=200):
    units = active_units_visible_to(request.user)
    context = {
        "users": users_with_locks(request.user),
        "create_form": form or UserCreateForm(units=units),
        "change_form": UserChangeForm(),
    }
    return render(request, "accounts/user_list.html", context, status=status)


@admin_required
def user_list(request):
    return _render_list(request)


@admin_required
@require_POST
def user_add(request):
    form = UserCreateForm(request.POST, units=active_units_visible_to(request.user))
    if not form.is_valid():
        return _render_list(request, form=form, status=400)
    data = form.cleaned_data
    unit = managed_unit(request.user, data["unit"])
    user = attempt(
        form,
        lambda: user_create(
            username=data["username"],
            unit=unit,
            role=data["role"],
            password=data["password"],
            full_name=data["full_name"],
            actor=request.user,
        ),
    )
    if user is None:
        return _render_list(request, form=form, status=400)
    messages.success(request, _("已新增用户 %(user)s") % {"user": user.username})
    return redirect("user-list")


@admin_required
@require_POST
def user_change(request, pk: int):
    target = user_for(request.user, pk)
    form = UserChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("角色或状态无效"))
        return redirect("user-list")
    done = attempt(
        form,
        lambda: user_update(
            user=target,
            actor=request.user,
            role=form.cleaned_data["role"],
            active=form.cleaned_data["active"],
        ),
    )
    if done is None:
        for error in form.non_field_errors():
            messages.error(request, error)
    else:
        messages.success(request, _("已更新用户 %(user)s") % {"user": target.username})
    return redirect("user-list")


@admin_required
def user_detail(request, pk: int):
    target = user_for(request.user, pk)
    context = {
        "target": target,
        "tokens": tokens_of(target),
        "lock": lock_on(target),
        "logins": recent_logins(target),
        "may_reset": can_reset_account(request.user, target),
    }
    return render(request, "accounts/user_detail.html", context)


@admin_required
@require_POST
@never_cache
def reset_password(request, pk: int):
    """The temporary password is shown on this answer only (never stored in a message, never
    cached)."""
    target = user_for(request.user, pk)
    password = user_password_reset(user=target, actor=request.user)
    return render(
        request, "accounts/password_reset_done.html", {"target": target, "password": password}
    )


@admin_required
@require_POST
@back_on_error(lambda request, pk: reverse("user-detail", args=[pk]))
def unlock_account(request, pk: int):
    target = user_for(request.user, pk)
    if user_unlock(user=target, actor=request.user):
        messages.success(request, _("已为用户 %(user)s 解锁") % {"user": target.username})
    else:
        messages.info(request, _("用户 %(user)s 没有被锁定") % {"user": target.username})
    return redirect("user-detail", pk=target.pk)
