"""A federation of the national shape at a chosen size, to measure on (issue 13, §5).

province → cities → county-level unions → grassroots unions; a campaign (附件1) whose
reporting units are every union below the province, each with an approved report; the
previous year's campaign; households spread over the grassroots unions, each paid once in both
campaigns. Rows go in with ``COPY`` on PostgreSQL and ``executemany`` on SQLite, computed from
their number, so that memory stays flat: the same code makes 3,000 × 100 grassroots unions,
5.5 M households and 11 M lines on a bigger machine.

The province is stored with the city kind (the tree has no province kind; it only adds a level
above the cities)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from chunfeng.campaigns.models import Campaign, CampaignForm
from chunfeng.campaigns.services import campaign_create
from chunfeng.core.idnumbers import check_digit
from chunfeng.core.personal import search_token
from chunfeng.formdefs.selectors import definition_of
from chunfeng.formdefs.services import formdefs_sync
from chunfeng.funds.models import PaymentBatch, PaymentLine, Recipient
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.register.models import Household
from chunfeng.reports.models import Report, ReportStatus, ReportValue

ROOT_CODE = "N86"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉珍志红凤云梅海波鹏飞斌宇浩亮林"
BIRTH_DAYS = 21915  # 1950-01-01 + 60 years
STAMP = "2011-12-01 00:00:00+00:00"
BLOCK = 20_000


@dataclass(frozen=True)
class Shape:
    cities: int = 10
    counties: int = 10  # per city
    grassroots: int = 100  # per county
    households: int = 100_000

    @property
    def reporting_units(self) -> int:
        return self.cities * (1 + self.counties * (1 + self.grassroots))


@dataclass
class National:
    root: OrgUnit
    campaign: Campaign
    previous: Campaign
    grassroots_ids: list[int]
    households: int
    lines: int
    reports: int


def _say(_text: str) -> None:
    """Progress goes nowhere unless a caller passes its own ``say``."""


def national_build(*, shape: Shape, say: Callable[[str], None] = _say) -> National:
    """Build the federation in an empty database (one that holds no unit coded ``N86``)."""
    if OrgUnit.objects.filter(code=ROOT_CODE).exists():
        raise ValueError("这个数据库里已经有生成的全国总工会数据")
    formdefs_sync()
    root, levels = _tree(shape)
    say(f"units: {sum(len(level) for level in levels) + 1:,}")
    below = [u for level in levels for u in level]
    campaign = _campaign(root, below, "2012年春风行动（规模测试）", 2011)
    previous = _campaign(root, below, "2011年春风行动（规模测试）", 2010)
    reports = _reports(campaign, below)
    say(f"reports: {reports:,} with their values")
    grassroots_ids = [u.pk for u in levels[2]]
    first = (Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    households = _insert(Household, HOUSEHOLD_COLS, _household_rows(shape, grassroots_ids, first))
    _move_sequence(Household)
    say(f"households: {households:,}")
    lines = 0
    for camp in (campaign, previous):
        batches = _batches(camp, grassroots_ids)
        rows = _line_rows(shape, grassroots_ids, camp, batches, first)
        lines += _insert(PaymentLine, LINE_COLS, rows)
    say(f"payment lines: {lines:,}")
    _after_load()
    return National(root, campaign, previous, grassroots_ids, households, lines, reports)


def _tree(shape: Shape) -> tuple[OrgUnit, list[list[OrgUnit]]]:
    root = OrgUnit.objects.create(
        code=ROOT_CODE, name="规模测试省总工会", kind=UnitKind.CITY, path=f"/{ROOT_CODE}/", depth=0
    )
    levels: list[list[OrgUnit]] = []
    parents = [root]
    for depth, (kind, per, label) in enumerate(
        (
            (UnitKind.CITY, shape.cities, "市总工会"),
            (UnitKind.COUNTY, shape.counties, "区县总工会"),
            (UnitKind.GRASSROOTS, shape.grassroots, "基层工会"),
        ),
        start=1,
    ):
        width = 2 if depth < 3 else 3
        units = [
            OrgUnit(
                code=f"{p.code}{n:0{width}d}",
                name=f"{p.name.removesuffix('总工会')}第{n}{label}",
                kind=kind,
                parent=p,
                path=f"{p.path}{p.code}{n:0{width}d}/",
                depth=depth,
            )
            for p in parents
            for n in range(1, per + 1)
        ]
        parents = OrgUnit.objects.bulk_create(units, batch_size=2000)
        levels.append(parents)
    return root, levels


def _campaign(root: OrgUnit, below: list[OrgUnit], name: str, year: int) -> Campaign:
    return campaign_create(
        owner=root,
        name=name,
        period_start=dt.date(year, 12, 20),
        period_end=dt.date(year + 1, 1, 22),
        deadline=dt.date(year + 1, 1, 8),
        forms={"F1": None},
        recipients=below,
        requires_work_report=False,
    )


def _reports(campaign: Campaign, units: list[OrgUnit]) -> int:
    """An approved 附件1 for every reporting unit, every blank filled (small whole numbers)."""
    cform = CampaignForm.objects.get(campaign=campaign, code="F1")
    codes = sorted(definition_of(cform.form_version).blanks)
    now = timezone.now()
    made = Report.objects.bulk_create(
        [
            Report(
                campaign_form=cform,
                unit=u,
                form_version=cform.form_version,
                status=ReportStatus.APPROVED,
                submitted_at=now,
                first_submitted_at=now,
                approved_at=now,
            )
            for u in units
        ],
        batch_size=2000,
    )
    values = ((r.pk, code, (r.unit_id * 7 + i) % 50) for r in made for i, code in enumerate(codes))
    _insert(ReportValue, ("report_id", "code", "value"), values)
    return len(made)


def _batches(campaign: Campaign, unit_ids: list[int]) -> dict[int, int]:
    made = PaymentBatch.objects.bulk_create(
        [PaymentBatch(unit_id=u, campaign=campaign, name="第一批") for u in unit_ids],
        batch_size=2000,
    )
    return {b.unit_id: b.pk for b in made}


# ---- rows, computed from their number --------------------------------------------------------


def id_number(i: int) -> str:
    """The ``i``-th household's ID number: distinct for every ``i`` below 21,915,000 × 100."""
    region = 110101 + i // (BIRTH_DAYS * 1000)
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=(i // 1000) % BIRTH_DAYS)
    first17 = f"{region}{birth:%Y%m%d}{i % 1000:03d}"
    return first17 + check_digit(first17)


def _name(i: int) -> str:
    """Distinct among the 1,000 households born on one day (42 surnames × 24 of the given names), so
    that the register holds no chance pairs of the same name and birth date: the duplicate
    scan over it finds only what a bench plants."""
    seq = i % 1000
    return SURNAMES[seq % len(SURNAMES)] + GIVEN[seq // len(SURNAMES)]


HOUSEHOLD_COLS = ("id", "unit_id", "name", "id_number", "id_token", "gender", "birth_date", "phone",
                  "employer", "family_size", "income", "category", "is_migrant",
                  "is_model_worker", "is_laid_off", "causes", "bank_account", "status",
                  "escaped_reason", "created_at", "version")  # fmt: skip
LINE_COLS = ("batch_id", "household_id", "recipient", "unit_id", "campaign_id", "id_number",
             "id_token", "name", "amount", "kind", "goods", "aid_type", "paid_on", "cancelled",
             "result", "result_reason")  # fmt: skip


def _household_rows(shape: Shape, grassroots_ids: list[int], first: int) -> Iterable[tuple]:
    for i in range(shape.households):
        number = id_number(i)
        yield (
            first + i,
            grassroots_ids[i % len(grassroots_ids)],
            _name(i),
            number,
            search_token("id", number),
            "M" if int(number[16]) % 2 else "F",
            f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
            f"139{i:08d}",
            "",
            1 + i % 5,
            f"{300 + i % 900}.00",
            "BCD"[i % 3],
            i % 4 == 0,
            i % 50 == 0,
            i % 6 == 0,
            "[]",
            "",
            "active",
            "",
            STAMP,
            1,
        )


def _line_rows(shape, grassroots_ids, campaign: Campaign, batches, first) -> Iterable[tuple]:
    """One line for each household ``i``, whose pk is ``first + i``."""
    paid_on = campaign.period_start + dt.timedelta(days=20)
    for i in range(shape.households):
        unit = grassroots_ids[i % len(grassroots_ids)]
        number = id_number(i)
        yield (
            batches[unit],
            first + i,
            Recipient.HOUSEHOLD,
            unit,
            campaign.pk,
            number,
            search_token("id", number),
            _name(i),
            f"{200 + 100 * (i % 4)}.00",
            "cash",
            "",
            "living",
            paid_on.isoformat(),
            False,
            "",
            "",
        )


def _insert(model, cols: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """Bulk insert in one transaction: COPY on PostgreSQL, sqlite3's executemany by blocks."""
    table, count = model._meta.db_table, 0
    with transaction.atomic(), connection.cursor() as c:
        if connection.vendor == "postgresql":
            with c.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        block: list[tuple] = []
        for row in rows:
            block.append(row)
            if len(block) == BLOCK:
                c.cursor.executemany(sql, block)  # the raw sqlite3 cursor: '?' placeholders
                count, block = count + len(block), []
        c.cursor.executemany(sql, block)
        return count + len(block)


def _move_sequence(model) -> None:
    """PostgreSQL: the id sequence past the ids given explicitly."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as c:
            c.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def _after_load() -> None:
    """Planner statistics, and on PostgreSQL the visibility map that index-only scans need
    (what autovacuum would soon do; ``VACUUM`` cannot run inside a transaction)."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql" and connection.get_autocommit():
            c.execute("VACUUM ANALYZE")
        else:
            c.execute("ANALYZE")
