"""One's own account: password change, API tokens. Also where anyone who may revokes a token."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunfeng.core.web import attempt, back_on_error

from .forms import PasswordChangeForm
from .selectors import token_for, tokens_of
from .services import token_revoke, user_password_change


@login_required
def my_account(request):
    return render(request, "accounts/my_account.html", {"tokens": tokens_of(request.user)})


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = attempt(
            form,
            lambda: user_password_change(
                user=request.user,
                old_password=data["old_password"],
                new_password=data["new_password"],
                actor=request.user,
            ),
        )
        if user is not None:
            update_session_auth_hash(request, user)  # stay signed in here, not elsewhere
            messages.success(request, _("密码已修改"))
            return redirect("my-account")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


def _token_page(request, pk: int) -> str:
    """Back to the page the token was listed on: one's own account, or the user's."""
    token = token_for(request.user, pk)
    if token.user_id == request.user.pk:
        return reverse("my-account")
    return reverse("user-detail", args=[token.user_id])


@login_required
@require_POST
@back_on_error(_token_page)
def revoke_token(request, pk: int):
    token = token_revoke(token=token_for(request.user, pk), actor=request.user)
    messages.success(request, _("已撤销令牌 %(prefix)s…") % {"prefix": token.prefix})
    return redirect(_token_page(request, pk))
