"""ARCHITECTURE.md stays true: its layers are the import-linter contract's, every app is in a
layer, and the modules and panel slots it names exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from django.conf import settings

from chunfeng.core import panels

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return contract["layers"]


def test_the_document_lists_the_contracts_layers():
    block = re.search(r"```layers\n(.*?)```", DOC, re.S).group(1)
    assert block.strip().splitlines() == _contract_layers()


def test_every_app_of_the_project_is_in_a_layer():
    layered = {app.strip() for layer in _contract_layers() for app in layer.split("|")}
    apps = {a.split(".", 1)[1] for a in settings.INSTALLED_APPS if a.startswith("chunfeng.")}
    assert apps <= layered
    assert layered - apps == {"config", "api"}  # packages that are not Django apps


def test_the_modules_it_names_exist():
    named = set(re.findall(r"`chunfeng/([\w/]+\.py)`", DOC))
    assert named, "the document names its contract modules"
    for path in named:
        assert (ROOT / "chunfeng" / path).is_file(), path


def test_the_panel_slots_it_lists_are_the_ones_contributed_to():
    listed = set(re.findall(r"^\| `([a-z.]+)` \|", DOC, re.M))
    contributed = {slot for slot in panels._slots if not slot.startswith("test.")}
    assert listed == contributed
