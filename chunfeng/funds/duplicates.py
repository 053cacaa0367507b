"""不重复: a household paid twice in one campaign, by one union or by two, anywhere in the
federation (the subtree of the topmost ancestor).

Two ways in:

* ``duplicates_flag`` runs when lines are added or imported, in the same transaction: three
  indexed look-ups per kind for the whole set of new lines (by ID number on
  ``PaymentLine(campaign, id_number)``; by name and birth date through ``Household(name,
  birth_date)``; by phone through ``Household.phone``), never a query per existing line.
* ``duplicates_scan`` finds every duplicate group of a campaign with one GROUP BY … HAVING query
  per kind joined back to its lines (for the reviewer's page and the bench).

What a user is told of them is ``duplicate_notes``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from chunfeng.core.personal import mask_id, mask_phone
from chunfeng.orgunits.models import OrgUnit
from chunfeng.register.models import Household

from .models import DuplicateFlag, FlagKind, PaymentLine
from .selectors import root_of

CHUNK = 500  # IN-list size, well under every backend's parameter limit


def _chunks(values, size: int = CHUNK):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def candidates(campaign_id: int, root: OrgUnit):
    """Non-cancelled lines of the campaign anywhere in ``root``'s subtree."""
    qs = PaymentLine.objects.filter(campaign_id=campaign_id, cancelled=False)
    return qs if _whole_federation(root) else qs.filter(unit__path__startswith=root.path)


def duplicates_flag(lines: list[PaymentLine]) -> list[DuplicateFlag]:
    """Flag each of ``lines`` (just saved, same campaign and federation, households loaded)
    against the campaign's other non-cancelled lines, and against the earlier ones of
    ``lines`` themselves (a file naming one family twice). One flag per pair, the strongest
    kind: the same ID number, else the same name and birth date, else the same phone."""
    if not lines:
        return []
    campaign_id = lines[0].campaign_id
    base = candidates(campaign_id, root_of(lines[0].unit))
    new_ids = {line.pk for line in lines}
    flags: list[DuplicateFlag] = []
    seen: set[tuple[int, int]] = set()

    def add(line: PaymentLine, other_id: int, kind: str) -> None:
        if other_id == line.pk or (other_id in new_ids and other_id > line.pk):
            return  # itself, or a later line of the same set (flagged the other way round)
        if (line.pk, other_id) in seen:
            return
        seen.add((line.pk, other_id))
        flags.append(DuplicateFlag(line=line, other_id=other_id, kind=kind))

    # the same ID number: same unit twice, or two units
    by_number: dict[str, list[int]] = defaultdict(list)
    for chunk in _chunks({line.id_number for line in lines if line.id_number}):
        for pk, number in base.filter(id_number__in=chunk).values_list("pk", "id_number"):
            by_number[number].append(pk)
    for line in lines:
        for other_id in by_number[line.id_number]:
            add(line, other_id, FlagKind.EXACT)

    # suspected: same name and birth date, another ID number
    by_person: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    # the suspected kinds compare files on the register (a person not on file is known by the
    # ID number only)
    on_file = [(line, line.household) for line in lines if line.household is not None]
    keys = {(h.name, h.birth_date) for _line, h in on_file}
    for chunk in _chunks(keys):
        rows = base.filter(
            household__name__in={k[0] for k in chunk},
            household__birth_date__in={k[1] for k in chunk},
        ).values_list("pk", "id_number", "household__name", "household__birth_date")
        for pk, number, name, birth in rows:
            by_person[(name, birth)].append((pk, number))
    for line, h in on_file:
        for other_id, number in by_person[(h.name, h.birth_date)]:
            if number != line.id_number:
                add(line, other_id, FlagKind.NAME_BIRTH)

    # suspected: same (non-empty) phone, another ID number
    phones = {h.phone for _line, h in on_file if h.phone}
    by_phone: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(phones):
        rows = base.filter(household__phone__in=chunk).values_list(
            "pk", "id_number", "household__phone"
        )
        for pk, number, phone in rows:
            by_phone[phone].append((pk, number))
    for line, h in on_file:
        for other_id, number in by_phone.get(h.phone, ()) if h.phone else ():
            if number != line.id_number:
                add(line, other_id, FlagKind.PHONE)

    return DuplicateFlag.objects.bulk_create(flags)


# ---- the set-based scan ---------------------------------------------------------------------


@dataclass
class GroupLine:
    pk: int
    unit_id: int
    unit_name: str
    unit_code: str
    batch_id: int
    name: str
    id_number: str
    amount: Decimal
    paid_on: object

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)


@dataclass
class DuplicateGroup:
    kind: str
    key: tuple
    lines: list[GroupLine] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(FlagKind(self.kind).label)

    @property
    def key_text(self) -> str:
        if self.kind == FlagKind.EXACT:
            return mask_id(self.key[0])
        if self.kind == FlagKind.NAME_BIRTH:
            return f"{self.key[0]} {self.key[1]}"
        return mask_phone(str(self.key[0]))

    @property
    def units(self) -> int:
        return len({line.unit_id for line in self.lines})


@dataclass
class ScanResult:
    groups: dict[str, list[DuplicateGroup]]

    @property
    def counts(self) -> dict[str, int]:
        return {kind: len(groups) for kind, groups in self.groups.items()}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _whole_federation(root: OrgUnit) -> bool:
    """True when ``root``'s subtree is every unit (one tree): the scope filter can be skipped."""
    return (
        root.parent_id is None
        and not OrgUnit.objects.filter(parent__isnull=True).exclude(pk=root.pk).exists()
    )


def _where(alias: str, scoped: bool) -> str:
    text = f"{alias}.campaign_id = %s AND {alias}.cancelled = %s"
    if scoped:
        units = OrgUnit._meta.db_table
        text += f" AND {alias}.unit_id IN (SELECT id FROM {units} WHERE path LIKE %s ESCAPE '\\')"
    return text


def _keys_sql(kind: str, scoped: bool) -> str:
    """Step 1: the keys that can make a group. The same ID number twice among the campaign's
    lines (the bare ``GROUP BY id_number HAVING COUNT(*) > 1``); for the suspected kinds, the
    (name, birth date) pairs or phones that two files or more of the register hold (an index
    pass over ``Household(name, birth_date)`` / ``Household(phone)``, whatever the campaign)."""
    lines, households = PaymentLine._meta.db_table, Household._meta.db_table
    if kind == FlagKind.EXACT:
        return (
            f"SELECT l.id_number FROM {lines} l WHERE {_where('l', scoped)} "
            "GROUP BY l.id_number HAVING COUNT(*) > 1"
        )
    if kind == FlagKind.NAME_BIRTH:
        return (
            f"SELECT name, birth_date FROM {households} GROUP BY name, birth_date "
            "HAVING COUNT(*) > 1"
        )
    return f"SELECT phone FROM {households} WHERE phone <> '' GROUP BY phone HAVING COUNT(*) > 1"


def _lines_sql(kind: str, scoped: bool, keys: int) -> str:
    """Step 2: the campaign's lines that hold one of ``keys`` keys, found through the indexes
    (``PaymentLine(campaign, id_number)``; the household's indexes, then
    ``PaymentLine.household_id``). Asked with the keys as values, the planner knows how few
    they are, where a join to step 1's query made it expect thousands and scan everything."""
    lines, households, units = (
        PaymentLine._meta.db_table,
        Household._meta.db_table,
        OrgUnit._meta.db_table,
    )
    if connection.vendor == "postgresql":  # every key in one query, as arrays
        match = {
            str(FlagKind.EXACT): "l.id_number = ANY(%s)",
            str(FlagKind.NAME_BIRTH): "(h.name, h.birth_date) IN "
            "(SELECT * FROM unnest(%s::varchar[], %s::date[]))",
            str(FlagKind.PHONE): "h.phone = ANY(%s)",
        }[str(kind)]
    elif kind == FlagKind.EXACT:
        match = f"l.id_number IN ({', '.join(['%s'] * keys)})"
    elif kind == FlagKind.NAME_BIRTH:  # SQLite: both columns of the index by IN, pairs in Python
        marks = ", ".join(["%s"] * keys)
        match = f"h.name IN ({marks}) AND h.birth_date IN ({marks})"
    else:
        match = f"h.phone IN ({', '.join(['%s'] * keys)})"
    if kind == FlagKind.EXACT:  # the key is the line's own: no household needed (joined, the
        # planner hashed the whole register for 20,000 lines at 1 M households: 1.5 s)
        household, joined = "NULL, NULL, NULL", ""
    else:  # LEFT: a line naming someone off the register (a 劳模, an enterprise) has none
        household = "h.name, h.birth_date, h.phone"
        joined = f"LEFT JOIN {households} h ON h.id = l.household_id "
    return (
        "SELECT l.id, l.unit_id, u.name, u.code, l.batch_id, l.name, l.id_number, l.amount, "
        f"l.paid_on, {household} FROM {lines} l {joined}JOIN {units} u ON u.id = l.unit_id "
        f"WHERE {match} AND {_where('l', scoped)}"
    )


def _scan_kind(cursor, kind: str, scoped: bool, params: list) -> list[DuplicateGroup]:
    _hash_groups(cursor, kind == FlagKind.EXACT)  # the register's keys stream through indexes
    cursor.execute(_keys_sql(kind, scoped), params if kind == FlagKind.EXACT else [])
    keys = [tuple(row) for row in cursor.fetchall()]
    found: dict[tuple, DuplicateGroup] = {}
    pg = connection.vendor == "postgresql"
    for chunk in _chunks(keys, len(keys) if pg and keys else CHUNK):
        # one array per column of the key (PostgreSQL), or its values column by column
        columns = [list(column) for column in zip(*chunk, strict=True)]
        flat = columns if pg else [value for column in columns for value in column]
        wanted = set(chunk)
        cursor.execute(_lines_sql(kind, scoped, len(chunk)), flat + params)
        for pk, unit_id, unit_name, code, batch, name, number, amount, paid, *h in cursor:
            if kind == FlagKind.EXACT:
                key = (number, None)
            elif kind == FlagKind.NAME_BIRTH:
                if (h[0], h[1]) not in wanted:  # another pair of the same names and dates
                    continue
                key = (h[0], _date(h[1]))
            else:
                key = (h[2], None)
            line = GroupLine(
                pk, unit_id, unit_name, code, batch, name, number, Decimal(amount), _date(paid)
            )
            found.setdefault(key, DuplicateGroup(kind, key)).lines.append(line)
    groups = [
        g
        for g in found.values()
        if len(g.lines) > 1
        and (kind == FlagKind.EXACT or len({line.id_number for line in g.lines}) > 1)
    ]
    for group in groups:
        group.lines.sort(key=lambda line: line.pk)
    return sorted(groups, key=lambda g: (g.key[0], str(g.key[1] or "")))


def duplicates_scan(campaign, root: OrgUnit, *, kinds=tuple(FlagKind.values)) -> ScanResult:
    """Every group of non-cancelled lines of ``campaign`` in ``root``'s subtree that pay one
    family twice: the same ID number, or different ID numbers with the same name and birth
    date, or with the same phone. Per kind, one GROUP BY … HAVING query finds the keys, then
    their lines are fetched by index (``_keys_sql``, ``_lines_sql``)."""
    scoped = not _whole_federation(root)
    params = [campaign.pk, False]
    if scoped:
        params.append(root.path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    with transaction.atomic(), connection.cursor() as cursor:
        _tune_for_grouping(cursor)
        return ScanResult({kind: _scan_kind(cursor, kind, scoped, params) for kind in kinds})


# PostgreSQL, for the scan's transaction only. With the default 4 MB of work_mem the grouping
# of a national campaign's million ID numbers spilled to disk in 80 batches, and a parallel plan
# has each worker build its own groups, then merges them: one hash aggregate in memory is
# faster. The suspected kinds' keys, though, are grouped best by streaming through the
# register's indexes that hold them in order (``Household(name, birth_date)``, ``phone``: an
# index-only GroupAggregate, no memory), where given the memory PostgreSQL hashed the
# name+birth pairs after a whole-table scan: 4.4 s against 1.6 s at 1 M households. (The ID
# numbers are not streamed that way: ``PaymentLine(campaign, id_number)`` lacks ``cancelled``,
# so each of a million entries costs a visit to the table in random order: 7.8 s against
# 5.7 s hashed.)
PG_SCAN_SETTINGS = (("work_mem", "128MB"), ("max_parallel_workers_per_gather", "0"))


def _hash_groups(cursor, allowed: bool) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT set_config('enable_hashagg', %s, true)", ["on" if allowed else "off"]
        )


def _tune_for_grouping(cursor) -> None:
    if connection.vendor == "postgresql":
        for name, value in PG_SCAN_SETTINGS:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])  # SET LOCAL


def _date(value):
    """SQLite hands dates back as text from raw SQL."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
