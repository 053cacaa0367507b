from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.web import attempt
from chunfeng.orgunits.decorators import admin_required, managed_unit
from chunfeng.orgunits.selectors import active_units_visible_to

from .forms import UserChangeForm, UserCreateForm
from .selectors import users_visible_to
from .services import user_create, user_update


def _render_list(request, *, form=None, status=200):
    units = active_units_visible_to(request.user)
    context = {
        "users": users_visible_to(request.user),
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
    target = get_object_or_404(users_visible_to(request.user), pk=pk)
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
