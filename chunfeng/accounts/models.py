import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chunfeng.core.rules import Role

__all__ = ["ApiToken", "Role", "User"]


class User(AbstractUser):
    """A person working for one union with one role. What they may do follows from both."""

    unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    # set when an admin resets the password: every page sends the user to change it first
    # (accounts.middleware.PasswordChangeRequiredMiddleware)
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once. It
    works until it is revoked or expires (``CHUNFENG_TOKEN_DAYS`` after it was made unless
    told otherwise)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def usable(self) -> bool:
        return not self.revoked and not self.expired

    @property
    def state(self) -> str:
        if self.revoked:
            return str(_("已撤销"))
        return str(_("已过期")) if self.expired else str(_("有效"))

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
