"""The password policy (``AUTH_PASSWORD_VALIDATORS``), in Chinese wherever a password is set.

Django's validators are translated by Django's own zh-hans catalogue, except the minimum
length's message, which Django 5.2 words differently from its catalogue (``%d`` for
``%(min_length)d``) and so prints in English: ``MinimumLengthValidator`` below says it itself.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

# no 0/O, 1/l/I: a temporary password is read out or copied by hand
_TEMPORARY_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return gettext("密码太短，至少需要 %(min_length)d 个字符。") % {
            "min_length": self.min_length
        }


def password_problems(password: str, user: Any) -> list[str]:
    """What the policy finds wrong with ``password`` for ``user``, in Chinese whatever language
    the request or the command line runs in (services speak Chinese, as their errors do)."""
    with translation.override("zh-hans"):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            return [str(message) for message in exc.messages]
    return []


def temporary_password() -> str:
    """Twelve random letters and digits in groups of four (about 70 bits), e.g.
    ``k7Qm-x9Pd-t3Wz``: one an admin can pass on by phone."""
    groups = ("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)
