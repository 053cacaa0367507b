"""Real clients: a template filled and saved by LibreOffice Calc (xlsx and legacy xls) imports
back with the same values."""

import os
import random
import shutil
import subprocess

import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.selectors import report_values
from chunfeng.sheets.importer import report_import

from .helpers import fill
from .test_xlsx import expected, random_cells, slot_of, template


@pytest.fixture
def soffice(tmp_path):
    exe = shutil.which("soffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice (soffice) is missing: ./dev test installs libreoffice-calc-nogui"
            )
        pytest.skip("LibreOffice is not installed on this machine")

    def convert(data: bytes, fmt: str) -> bytes:
        source = tmp_path / "filled.xlsx"
        source.write_bytes(data)
        out = tmp_path / "out"
        subprocess.run(
            [
                exe,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--convert-to",
                fmt,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (out / f"filled.{fmt}").read_bytes()

    return convert


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
@pytest.mark.parametrize("form", ["F1", "F2"])
def test_saved_by_libreoffice_imports_back(fed, soffice, fmt, form):
    definition = latest_builtin(form)
    cells = random_cells(definition, random.Random(11))
    saved = soffice(fill(template(fed, form=form), cells), fmt)
    result = report_import(
        slot=slot_of(fed, form=form), data=saved, name=f"t.{fmt}", actor=fed.user("zs", "filler")
    )
    assert report_values(result.report, definition) == expected(definition, cells)
