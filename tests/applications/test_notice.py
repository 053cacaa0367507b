"""The printed notice (公示) names the family with masked ID numbers."""

import subprocess

import pytest

from chunfeng.applications.printing import notice_pdf
from chunfeng.core.errors import ApplicationError
from chunfeng.core.personal import mask_id

from .conftest import ident, to_step

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_notice_pdf_masks_the_ids(fed, standard, tmp_path):
    a = to_step(fed, "notice")
    text = pdf_text(notice_pdf(a), tmp_path)
    assert "困难职工建档公示" in text and "申请人1" in text and "配偶1" in text
    assert "2011年11月01日" in text and "2011年11月07日" in text
    for number in (ident(1), ident(501), ident(1, 2005)):
        assert number not in text.replace(" ", "")
        assert mask_id(number) in text
    with pytest.raises(ApplicationError):
        notice_pdf(to_step(fed, "verified", n=2))
