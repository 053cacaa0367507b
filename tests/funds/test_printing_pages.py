"""The 签领表 and 公示名单 of a long batch are set a page at a time (issue 13: memory flat in the
number of lines): the same pages as one table of every line split by platypus, every line once
with the totals, the lines read from the database a block at a time and only as far as the page
being set needs them."""

import datetime as dt
import re
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chunfeng.core import printing as core_printing
from chunfeng.funds import printing
from chunfeng.funds.printing import notice_pdf, sign_sheet_pdf
from chunfeng.funds.services import line_cancel

from .helpers import batch, household, pay
from .test_printing import pdf_text

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")
START = dt.date(2012, 1, 10)
SERIAL = re.compile(r"^\s*(\d+)\s+\S", re.MULTILINE)


@pytest.fixture
def long_batch(fed):
    """zs's batch of 95 lines: names and goods of different lengths (rows of different
    heights on the notice), one cancelled line in the middle."""
    filler = fed.user("zs", "filler")
    b = batch(fed, fed.zs, filler, "春节慰问长名单")
    for i in range(1, 97):
        name = f"职工{i:03d}号" + ("·阿卜杜热合曼" if i % 7 == 0 else "")
        h = household(fed.zs_g1, 100 + i, name, category="BCD"[i % 3])
        if i % 5 == 0:
            line = pay(
                b, filler, h, f"{i}0.50", kind="goods", goods="大米两袋、食用油一桶" * (1 + i % 3)
            )
        else:
            line = pay(b, filler, h, f"{100 + i}")
        if i == 40:
            line_cancel(line=line, actor=filler, reason="录错")
    return b


def _amounts() -> list[str]:
    return [f"{i}0.50" if i % 5 == 0 else f"{100 + i}" for i in range(1, 97) if i != 40]


def _one_table(header, rows, make, last=None):
    """What the prints were before: one table of every line, split by platypus."""
    return make(header, list(rows), last)


def _pages(data: bytes) -> list[str]:
    return [page for page in pdf_text(data).split("\f") if page.strip()]


@needs_pdftotext
@pytest.mark.parametrize("block", [5, 64])
def test_pages_are_those_of_one_table(fed, long_batch, monkeypatch, block):
    """Streamed (with a small first read too, so that the table grows while it fits), each
    print reads page for page as the one giant table did."""
    monkeypatch.setattr(printing, "_now", lambda: "2012-01-10 09:00")
    monkeypatch.setattr(core_printing, "STREAM_BLOCK", block)
    monkeypatch.setattr(printing, "LINE_BLOCK", 7)
    filler = fed.user("zs", "filler")
    streamed = (sign_sheet_pdf(batch=long_batch, user=filler), notice_pdf(batch=long_batch))
    monkeypatch.setattr(printing, "StreamedTable", _one_table)
    whole = (sign_sheet_pdf(batch=long_batch, user=filler), notice_pdf(batch=long_batch))
    for new, old in zip(streamed, whole, strict=True):
        assert _pages(new) == _pages(old)
        assert len(_pages(new)) >= 3


@needs_pdftotext
def test_every_line_once_with_its_total_and_page_numbers(fed, long_batch):
    filler = fed.user("zs", "filler")
    for data, unit in (
        (sign_sheet_pdf(batch=long_batch, user=filler), "人"),
        (notice_pdf(batch=long_batch, start=START, days=7), "户"),
    ):
        pages = _pages(data)
        flat = [re.sub(r"\s+", "", page) for page in pages]
        assert [f"第{n}页共{len(pages)}页" in page for n, page in enumerate(flat, 1)] == [
            True
        ] * len(pages)
        assert all("序号" in page and "金额（元）" in page for page in pages)  # header on each
        serials = [int(s) for page in pages for s in SERIAL.findall(page)]
        assert serials == list(range(1, 96))
        text = "".join(pages)
        for i in range(1, 97):
            assert text.count(f"职工{i:03d}号") == (0 if i == 40 else 1)
        total = sum(float(a) for a in _amounts())
        assert f"合计95{unit}" in flat[-1] and f"{total:,.2f}" in pages[-1]
    assert "向以下95户" in flat[0] and f"共计{total:,.2f}元" in flat[0]


@needs_pdftotext
def test_lines_are_read_a_block_at_a_time_as_the_pages_need_them(fed, long_batch, monkeypatch):
    """A block of lines per query (by the id after the last one read), and when a page is
    done no more than the next page's worth of lines has been read beyond it."""
    monkeypatch.setattr(printing, "LINE_BLOCK", 10)
    monkeypatch.setattr(core_printing, "STREAM_BLOCK", 16)
    read = [0]
    blocks = printing.line_blocks

    def counted(*args, **kwargs):
        for line in blocks(*args, **kwargs):
            read[0] += 1
            yield line

    monkeypatch.setattr(printing, "line_blocks", counted)
    at_page_end: list[int] = []
    show = core_printing.NumberedCanvas.showPage

    def showing(canvas):
        at_page_end.append(read[0])
        show(canvas)

    monkeypatch.setattr(core_printing.NumberedCanvas, "showPage", showing)
    with CaptureQueriesContext(connection) as queries:
        data = sign_sheet_pdf(batch=long_batch, user=fed.user("zs", "reviewer"))
    blocks_read = [q for q in queries if "paymentline" in q["sql"] and "LIMIT 10" in q["sql"]]
    assert len(blocks_read) == 10  # 95 lines, 10 a query
    pages = _pages(data)
    printed = 0
    for page, seen in zip(pages, at_page_end, strict=True):
        printed += len(SERIAL.findall(page))
        assert seen <= printed + 2 * 16  # the page's rows and at most what the next reads
    assert at_page_end[0] < 95 and at_page_end[-1] == 95


def test_an_empty_batch_prints_its_header_and_zero_total(fed):
    filler = fed.user("zs", "filler")
    b = batch(fed, fed.zs, filler, "空批次")
    for data in (sign_sheet_pdf(batch=b, user=filler), notice_pdf(batch=b)):
        assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        flat = re.sub(r"\s+", "", pdf_text(sign_sheet_pdf(batch=b, user=filler)))
        assert "合计0人0.00" in flat and "第1页共1页" in flat


def test_the_downloads_are_sent_from_a_file(fed, long_batch, login):
    client = login(fed.user("zs", "filler"))
    for url in ("sign-sheet.pdf", "notice.pdf?start=2012-01-10&days=5"):
        response = client.get(f"/funds/batches/{long_batch.pk}/{url}")
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"] == "application/pdf"
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF") and int(response["Content-Length"]) == len(body)


def test_pages_are_compressed_as_they_are_finished_to_the_same_bytes(fed, long_batch, monkeypatch):
    """The document holds each finished page compressed (not its text until the file is
    saved), and the file is byte for byte what reportlab writes compressing at the end."""
    monkeypatch.setattr(printing, "_now", lambda: "2012-01-10 09:00")
    held: list = []
    compress = core_printing._compress_now

    def compressing(page):
        compress(page)
        held.append((page.stream, page.Contents))

    monkeypatch.setattr(core_printing, "_compress_now", compressing)
    early = notice_pdf(batch=long_batch, start=START)
    assert len(held) >= 3 and all(s is None and c is not None for s, c in held)
    monkeypatch.setattr(core_printing, "_compress_now", lambda page: None)
    assert notice_pdf(batch=long_batch, start=START) == early
