"""Path converters of the pages' URLs."""

from __future__ import annotations


class RecordIdConverter:
    """``<id:pk>``: a record's number, as Django's ``int`` but at most 18 digits, so that it fits
    the database's 64 bits (up to 9.2 × 10¹⁸). A longer number matches no page (404) instead of
    reaching a query that SQLite cannot bind."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
