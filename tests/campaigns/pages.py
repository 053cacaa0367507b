"""Small readers of the rendered pages, shared by the campaign page tests."""

import re


def text(response) -> str:
    return response.content.decode()


def messages_in(page: str) -> list[tuple[str, str]]:
    """(level, text) of the flash messages at the top of a page."""
    block = re.search(r'<ul class="messages">(.*?)</ul>', page, re.S)
    return re.findall(r'<li class="(\w+)">(.*?)</li>', block.group(1), re.S) if block else []


def section(page: str, marker: str) -> str:
    """The ``<section>`` (or table) that contains ``marker`` (an id or a heading)."""
    at = page.index(marker)
    start = page.rfind("<section", 0, at)
    return page[start : page.index("</section>", at)]


def table_rows(html: str) -> list[list[str]]:
    """The text of each cell of each body row (rows of ``<td>``) of an HTML table fragment."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if cells:
            rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows
