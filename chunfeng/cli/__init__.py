"""The ``chunfeng`` console command: Django's management commands plus our own. This app sits
at the top of the layers: its commands (``serve``, ``worker``, ``tick``) compose the others."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chunfeng.config.settings")
    # Django is imported once the settings module is known
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chunfeng", *(sys.argv[1:] if argv is None else argv)])
