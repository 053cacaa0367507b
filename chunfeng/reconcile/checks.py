"""A Django system check: every form definition's ``derived`` section speaks the vocabulary of
``records`` (known record sets, their fields and measures). Run by ``chunfeng check``,
``migrate`` and ``serve`` before anything starts."""

from __future__ import annotations

from django.core.checks import Error, register

from chunfeng.formdefs.loader import DefinitionError, form_definitions

from .records import vocabulary_problems


@register()
def derived_vocabulary(app_configs=None, **kwargs) -> list[Error]:
    try:
        definitions = form_definitions().values()
    except DefinitionError:  # the form loader's own refusal says what is wrong
        return []
    errors = []
    for definition in definitions:
        for derivation in definition.derived:
            blank_type = definition.blanks[derivation.code].type
            for problem in vocabulary_problems(derivation, blank_type):
                errors.append(
                    Error(
                        f"表单 {definition.code} 第 {definition.version} 版 derived：{problem}",
                        id="chunfeng.reconcile.E001",
                    )
                )
    return errors
