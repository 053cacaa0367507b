"""Real-name aid for everyone the notice names: a 劳模 not on the register, a 一线职工 on duty,
an enterprise in difficulty — found by their numbers across unions (不重复), counted only in
the blanks of 附件1 the seed gives them, and masked like the households' numbers."""

import datetime as dt
from decimal import Decimal

import pytest

from chunfeng.core.errors import ApplicationError
from chunfeng.core.models import AuditEvent
from chunfeng.formdefs.loader import latest_builtin
from chunfeng.funds.duplicates import duplicates_scan
from chunfeng.funds.models import FlagKind, Recipient, VisitKind
from chunfeng.funds.services import line_add
from chunfeng.funds.visits import visit_create
from chunfeng.reconcile.figures import derived_figures

from .helpers import batch, household, ident, text

F1 = latest_builtin("F1")
LAOMO = ident(801, birth="19600305")  # a 劳模 with no hardship file
FRONTLINE = ident(802, birth="19900101")
USCC = "91210202MA0Q4RTK1B"


def give(
    b, user, number=LAOMO, *, recipient=Recipient.MODEL, name="王劳模", amount="1000", on=None
):
    return line_add(
        batch=b,
        recipient=recipient,
        id_number=number,
        name=name,
        amount=amount,
        aid_type="condolence",
        paid_on=on or dt.date(2012, 1, 10),
        actor=user,
    )


@pytest.fixture
def users(fed):
    return {"zs": fed.user("zs", "filler"), "xg": fed.user("xg", "filler")}


def test_a_model_worker_off_the_register_paid_by_two_unions(fed, users):
    zs, xg = users["zs"], users["xg"]
    first = give(batch(fed, fed.zs, zs), zs)
    assert first.household is None and first.new_flags == []
    second = give(batch(fed, fed.xg, xg), xg, amount="500")
    assert [f.kind for f in second.new_flags] == [FlagKind.EXACT]
    assert second.new_flags[0].other_id == first.pk
    assert LAOMO not in " ".join(second.messages)  # another district: only said to exist
    city = derived_figures(F1, fed.campaign, fed.city)
    assert city["06A"] == Decimal("0.1500")  # 1000 + 500 元, in 万元
    assert (city["06B"], city["06C"]) == (Decimal("0.0000"), Decimal("0.0000"))
    assert (city["04C"], city["04C.4"]) == (0, 0)  # not a hardship family


def test_a_hardship_model_worker_counts_in_04C4_and_06B(fed, users):
    zs = users["zs"]
    plain = household(fed.zs, 11, "李困难")
    b = batch(fed, fed.zs, zs)
    with pytest.raises(ApplicationError, match="未标为劳模") as refused:
        give(b, zs, plain.id_number, recipient=Recipient.HARDSHIP_MODEL)
    assert refused.value.details[0]["field"] == "recipient"
    plain.is_model_worker = True
    plain.save(update_fields=["is_model_worker"])
    give(b, zs, plain.id_number, recipient=Recipient.HARDSHIP_MODEL, amount="800")
    got = derived_figures(F1, fed.campaign, fed.zs)
    assert (got["04C"], got["04C.4"], got["06A"], got["06B"]) == (
        1,
        1,
        Decimal("0.0800"),
        Decimal("0.0800"),
    )


def test_a_person_on_file_is_paid_as_a_hardship_family(fed, users):
    h = household(fed.zs, 12, "周在档")
    with pytest.raises(ApplicationError, match="已建立困难职工档案") as refused:
        give(batch(fed, fed.zs, users["zs"]), users["zs"], h.id_number)
    assert refused.value.details[0]["field"] == "id_number"
    assert h.id_number not in refused.value.message


def test_names_and_numbers_are_checked(fed, users):
    b = batch(fed, fed.zs, users["zs"])
    with pytest.raises(ApplicationError, match="请填写姓名"):
        give(b, users["zs"], name=" ")
    with pytest.raises(ApplicationError, match="校验位不正确"):
        give(b, users["zs"], LAOMO[:-1] + ("0" if LAOMO[-1] != "0" else "1"))
    with pytest.raises(ApplicationError, match="统一社会信用代码"):
        give(b, users["zs"], USCC[:-1] + "A", recipient=Recipient.ENTERPRISE, name="某厂")


def test_enterprises_count_once_in_04A_and_04B(fed, users):
    zs = users["zs"]
    give(batch(fed, fed.zs, zs), zs, USCC, recipient=Recipient.ENTERPRISE, name="大连某机床厂")
    visit_create(
        unit=fed.zs,
        campaign=fed.campaign,
        kind=VisitKind.ENTERPRISE,
        visited_on="2012-01-11",
        visitors="主席 王某",
        enterprise="大连某机床厂",
        enterprise_code=USCC,
        is_hardship_enterprise=True,
        actor=zs,
    )
    visit_create(
        unit=fed.zs,
        campaign=fed.campaign,
        kind=VisitKind.ENTERPRISE,
        visited_on="2012-01-12",
        visitors="主席 王某",
        enterprise="大连港",
        actor=zs,
    )
    got = derived_figures(F1, fed.campaign, fed.zs)
    assert (got["04A"], got["04B"], got["04C"]) == (2, 1, 0)
    again = give(
        batch(fed, fed.zs, zs, "第二批"), zs, USCC, recipient=Recipient.ENTERPRISE, name="某厂"
    )
    assert [f.kind for f in again.new_flags] == [FlagKind.EXACT]


def test_a_frontline_visit_names_the_worker_and_counts_in_no_family_blank(fed, users):
    visit = visit_create(
        unit=fed.zs,
        campaign=fed.campaign,
        kind=VisitKind.PERSON,
        recipient=Recipient.FRONTLINE,
        id_number=FRONTLINE,
        person_name="赵值守",
        visited_on="2012-01-21",
        visitors="主席 王某",
        actor=users["zs"],
    )
    assert visit.id_token.startswith("i_") and visit.household is None
    got = derived_figures(F1, fed.campaign, fed.zs)
    assert (got["04A"], got["04A.2"], got["04C"]) == (0, 0, 0)
    event = AuditEvent.objects.filter(action="visit.create").latest("pk")
    assert FRONTLINE not in str(event.details)


def test_out_of_period_payments_and_visits_are_refused(fed, users):
    b = batch(fed, fed.zs, users["zs"])
    h = household(fed.zs, 13)
    for day in (dt.date(2011, 12, 19), dt.date(2012, 1, 23)):  # the day before / 春节 itself
        with pytest.raises(ApplicationError, match="不在活动期间") as refused:
            give(b, users["zs"], h.id_number, recipient=Recipient.HOUSEHOLD, on=day)
        assert refused.value.details[0]["field"] == "paid_on"
    give(b, users["zs"], h.id_number, recipient=Recipient.HOUSEHOLD, on=dt.date(2012, 1, 22))
    with pytest.raises(ApplicationError, match="春节是 2012-01-23") as refused:
        visit_create(
            unit=fed.zs,
            campaign=fed.campaign,
            kind=VisitKind.ENTERPRISE,
            visited_on="2012-02-01",
            visitors="王某",
            enterprise="大连港",
            actor=users["zs"],
        )
    assert refused.value.details[0]["field"] == "visited_on"


def test_out_of_period_on_the_page_names_the_field(fed, users, login):
    b = batch(fed, fed.zs, users["zs"])
    response = login(users["zs"]).post(
        f"/funds/batches/{b.pk}/lines/",
        {
            "recipient": "model",
            "id_number": LAOMO,
            "name": "王劳模",
            "amount": "100",
            "kind": "cash",
            "aid_type": "condolence",
            "paid_on": "2012-02-01",
        },
    )
    assert response.status_code == 400 and "不在活动期间" in text(response)


def test_new_persons_numbers_are_masked_on_pages_and_prints(fed, users, login):
    b = batch(fed, fed.zs, users["zs"])
    give(b, users["zs"])
    give(b, users["zs"], USCC, recipient=Recipient.ENTERPRISE, name="大连某机床厂")
    reviewer = login(fed.user("zs", "reviewer"))
    page = text(reviewer.get(f"/funds/batches/{b.pk}/"))
    assert LAOMO not in page and "2102**********" in page and "劳模、先进" in page
    assert USCC in page  # an enterprise's code is public
    sheet = reviewer.get(f"/funds/batches/{b.pk}/sign-sheet.pdf")
    assert sheet.status_code == 200 and LAOMO.encode() not in b"".join(sheet.streaming_content)
    event = AuditEvent.objects.filter(action="line.add").first()
    assert LAOMO not in str(event.details)


def test_the_precheck_does_not_ask_a_model_worker_for_a_file(fed, users, login):
    b = batch(fed, fed.zs, users["zs"])
    client = login(users["zs"])
    url = f"/funds/batches/{b.pk}/precheck/"
    assert "请先建档" in text(client.post(url, {"id_number": LAOMO}))
    assert "请先建档" not in text(client.post(url, {"id_number": LAOMO, "recipient": "model"}))


def test_the_reviewers_scan_finds_a_model_worker_paid_twice(fed, users):
    give(batch(fed, fed.zs, users["zs"]), users["zs"])
    give(batch(fed, fed.xg, users["xg"]), users["xg"], amount="500")
    groups = duplicates_scan(fed.campaign, fed.city).groups[FlagKind.EXACT]
    assert [len(g.lines) for g in groups] == [2] and groups[0].units == 2
    assert groups[0].key_text == LAOMO[:4] + "*" * 10 + LAOMO[-4:]
