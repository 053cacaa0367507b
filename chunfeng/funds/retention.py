"""Personal information is kept no longer than needed (PIPL): a household out of hardship
(脱困) for longer than the retention period (``CHUNFENG_RETENTION_DAYS``) may be anonymised.

What identifies the family is replaced — name, ID number, phone, bank account, employer, the
reason of 脱困 (free text), the members' names and ID numbers, the copies of the name and ID
number on its payment lines and of the ID number on its visits, and the search tokens of them
all (a search by the real number then finds nothing). What the figures need stays: unit,
category, gender, birth year (the date becomes 1 January), family size, income, causes, the
migrant and model-worker flags, the dates, and the lines' amounts, kinds and dates — so every
figure computed from the records for a past campaign is unchanged. Each family gets a
pseudonym of its own (``ANON`` and its file number, never a valid ID number), so that a scan
for duplicate payments in a past campaign still sees one family per file. Its ``Person`` rows
stay inactive under the pseudonym: the same person may be filed again. The history keeps its
rows (it is append-only; it holds personal numbers masked only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat, LPad, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from chunfeng.core.audit import audit_record
from chunfeng.core.errors import NotPermitted
from chunfeng.core.rules import can_anonymise_households
from chunfeng.register.models import Household, HouseholdStatus, Member, Person

from .models import PaymentLine, Visit

ANONYMOUS_NAME = "已匿名"


def _pseudonym(household_pk: str):
    """``ANON00000000000042``: 18 characters, as the column allows, and never an ID number."""
    return Concat(Value("ANON"), LPad(Cast(household_pk, CharField()), 14, Value("0")))


def _name(household_pk: str):
    return Concat(Value(f"{ANONYMOUS_NAME}#"), Cast(household_pk, CharField()))


@dataclass(frozen=True)
class Anonymised:
    count: int
    escaped_before: dt.date  # households escaped before this day were due
    dry_run: bool


def escaped_before(today: dt.date | None = None) -> dt.date:
    """Households out of hardship before this day have passed the retention period."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.CHUNFENG_RETENTION_DAYS)


def households_due(cutoff: dt.date) -> QuerySet[Household]:
    return Household.objects.filter(
        status=HouseholdStatus.ESCAPED, escaped_on__lt=cutoff, anonymised_on__isnull=True
    )


@transaction.atomic
def households_anonymise(*, actor, dry_run: bool = False, today: dt.date | None = None):
    """Anonymise every household out of hardship for longer than the retention period, in one
    transaction, recorded as one event with the count (``dry_run``: only count them)."""
    if not can_anonymise_households(actor):
        raise NotPermitted(_("只有系统（命令行 chunfeng anonymise-households）才能匿名化档案"))
    today = today or timezone.localdate()
    cutoff = escaped_before(today)
    due = households_due(cutoff)
    if dry_run:
        return Anonymised(due.count(), cutoff, dry_run=True)
    of_due = {"household__in": due.values("pk")}
    # the search tokens go with the numbers: a search by the real number must find nothing
    PaymentLine.objects.filter(**of_due).update(
        id_number=_pseudonym("household_id"), id_token="", name=_name("household_id")
    )
    Visit.objects.filter(**of_due).update(id_number=_pseudonym("household_id"), id_token="")
    Member.objects.filter(**of_due).update(name=ANONYMOUS_NAME, id_number="")
    Person.objects.filter(**of_due).update(id_number=_pseudonym("household_id"), active=False)
    count = due.update(
        name=_name("id"),
        id_number=_pseudonym("id"),
        id_token="",
        birth_date=TruncYear("birth_date"),
        phone="",
        employer="",
        bank_account="",
        escaped_reason="",
        anonymised_on=today,
    )
    if count:
        audit_record(
            actor=actor,
            action="household.anonymise",
            target=Household,
            count=count,
            escaped_before=cutoff.isoformat(),
            retention_days=settings.CHUNFENG_RETENTION_DAYS,
        )
    return Anonymised(count, cutoff, dry_run=False)
