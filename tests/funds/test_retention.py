"""Households out of hardship for longer than the retention period are anonymised: what
identifies a family goes, every figure of a past campaign stays."""

import datetime as dt
import importlib
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import NotPermitted
from chunfeng.core.models import AuditEvent
from chunfeng.core.personal import search_token
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.funds.duplicates import duplicates_scan
from chunfeng.funds.models import PaymentLine, Visit
from chunfeng.funds.retention import households_anonymise
from chunfeng.funds.visits import visit_create
from chunfeng.reconcile.figures import derived_figures
from chunfeng.register.models import Household, Member, Person
from chunfeng.register.services import household_create, household_escape, household_member_add

from .helpers import batch, household, ident, pay

F1 = latest_builtin("F1")


@pytest.fixture
def past(fed):
    """The 2012 campaign's records: two families escaped long ago, one recently, one on file."""
    filler = fed.user("zs", "filler")
    early = household(fed.zs, 1, "王早", phone="13800000001", bank="6222020000000000011")
    household_member_add(
        household=early,
        data={"name": "王妻", "id_number": ident(91), "relation": "配偶"},
        actor=SYSTEM,
    )
    Household.objects.filter(pk=early.pk).update(
        is_migrant=True, employer="大连机床厂", birth_date=dt.date(1982, 6, 15)
    )
    in_year = household(fed.zs, 2, "李同年", category="C", phone="13800000002")
    Household.objects.filter(pk=in_year.pk).update(is_model_worker=True)
    recent = household(fed.zs, 3, "赵近", category="D")
    active = household(fed.zs, 4, "钱在档")
    first = batch(fed, fed.zs, filler)
    for h, amount in ((early, "500.00"), (early, "300.00"), (in_year, "800.00"), (active, "200")):
        pay(first, filler, h, amount, aid="living")
    visit_create(
        unit=fed.zs,
        campaign=fed.campaign,
        kind="household",
        visited_on="2012-01-06",
        visitors="主席 王某",
        id_number=in_year.id_number,
        actor=filler,
    )
    for h, on in (
        (early, dt.date(2012, 2, 1)),  # after the activity period: on file at its end
        (in_year, dt.date(2011, 12, 25)),  # out of hardship in the campaign's year
        (recent, timezone.localdate() - dt.timedelta(days=100)),
    ):
        household_escape(household=h, on=on, reason="再就业，联系人王某", actor=SYSTEM)
    return {"early": early, "in_year": in_year, "recent": recent, "active": active}


def _figures(fed):
    return {unit.code: derived_figures(F1, fed.campaign, unit) for unit in (fed.city, fed.zs)} | {
        "duplicates": duplicates_scan(fed.campaign, fed.city).counts
    }


def test_anonymising_keeps_every_figure_of_a_past_campaign(fed, past):
    before = _figures(fed)
    assert before["210202"]["03E"] == 1 and before["210202"]["04C.4"] == 1
    assert before["duplicates"]["exact"] == 1
    gone = {past["early"].id_number, past["in_year"].id_number, ident(91)}
    kept = {
        h.pk: (h.unit_id, h.category, h.gender, h.is_migrant, h.is_model_worker, h.escaped_on)
        for h in Household.objects.all()
    }
    amounts = sorted(PaymentLine.objects.values_list("household_id", "amount", "paid_on"))

    dry = households_anonymise(actor=SYSTEM, dry_run=True)
    assert dry.count == 2 and not Household.objects.filter(anonymised_on__isnull=False).exists()
    done = households_anonymise(actor=SYSTEM)
    assert done.count == 2

    assert _figures(fed) == before
    assert {
        h.pk: (h.unit_id, h.category, h.gender, h.is_migrant, h.is_model_worker, h.escaped_on)
        for h in Household.objects.all()
    } == kept
    assert sorted(PaymentLine.objects.values_list("household_id", "amount", "paid_on")) == amounts
    early = Household.objects.get(pk=past["early"].pk)
    assert (early.name, early.id_number) == (f"已匿名#{early.pk}", f"ANON{early.pk:014d}")
    assert (early.phone, early.bank_account, early.employer, early.escaped_reason) == ("",) * 4
    assert early.birth_date == dt.date(1982, 1, 1) and early.anonymised_on == timezone.localdate()
    assert Member.objects.get(household=early).name == "已匿名"
    for model in (Household, Member, Person, PaymentLine, Visit):
        assert not model.objects.filter(id_number__in=gone).exists()
    tokens = [search_token("id", number) for number in gone]
    for model in (Household, PaymentLine, Visit):  # a search by the real number finds nothing
        assert not model.objects.filter(id_token__in=tokens).exists()
    assert (
        Visit.objects.get(household=past["in_year"]).id_number == f"ANON{past['in_year'].pk:014d}"
    )
    assert not PaymentLine.objects.filter(name__in=["王早", "李同年"]).exists()
    for key in ("recent", "active"):  # not due: untouched
        h = Household.objects.get(pk=past[key].pk)
        assert h.id_number == past[key].id_number and h.anonymised_on is None

    event = AuditEvent.objects.get(action="household.anonymise")
    assert event.by_system and event.target_type == "register.household"
    assert event.details["count"] == 2 and event.details["retention_days"] == 1095
    assert households_anonymise(actor=SYSTEM).count == 0  # once only
    assert AuditEvent.objects.filter(action="household.anonymise").count() == 1

    # 一户一档: the same person may be filed again
    again = household_create(
        unit=fed.zs,
        data={"id_number": past["early"].id_number, "name": "王早", "category": "B"},
        actor=SYSTEM,
    )
    assert Person.objects.get(id_number=again.id_number, active=True).household == again


def test_only_the_system_anonymises_and_the_command_says_how_many(fed, past, settings):
    with pytest.raises(NotPermitted):
        households_anonymise(actor=fed.user("city", "admin"))
    out = io.StringIO()
    call_command("anonymise-households", "--dry-run", stdout=out)
    assert "有 2 户可以匿名化（未修改）" in out.getvalue()
    settings.CHUNFENG_RETENTION_DAYS = 200 * 365  # nothing is that old
    call_command("anonymise-households", stdout=out)
    assert "已匿名化 0 户" in out.getvalue()
    assert not Household.objects.filter(anonymised_on__isnull=False).exists()


def test_the_migration_clears_what_an_earlier_anonymisation_left(fed, past):
    """Households anonymised before the tokens went with the numbers: funds 0008 clears their
    tokens and their lines', and replaces the ID number their visits kept; others untouched."""
    from django.apps import apps as django_apps

    migration = importlib.import_module("chunfeng.funds.migrations.0008_clear_anonymised_tokens")
    in_year, active = past["in_year"], past["active"]
    real = in_year.id_number
    households_anonymise(actor=SYSTEM)
    left = search_token("id", real)  # as the anonymisation left them before
    Household.objects.filter(pk=in_year.pk).update(id_token=left)
    PaymentLine.objects.filter(household=in_year).update(id_token=left)
    Visit.objects.filter(household=in_year).update(id_number=real, id_token=left)
    kept = {
        model: sorted(model.objects.filter(household=active).values_list("id_number", "id_token"))
        for model in (PaymentLine, Visit)
    }

    migration.clear(django_apps, None)
    for model in (Household, PaymentLine, Visit):
        assert not model.objects.filter(id_token=left).exists()
    assert Visit.objects.get(household=in_year).id_number == f"ANON{in_year.pk:014d}"
    assert Household.objects.get(pk=active.pk).id_token == search_token("id", active.id_number)
    for model, rows in kept.items():
        assert (
            sorted(model.objects.filter(household=active).values_list("id_number", "id_token"))
            == rows
        )
