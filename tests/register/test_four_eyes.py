"""Four eyes on a household's bank account and ID number: a filler's edit asks for the change, a
reviewer of the keeping union or above approves it (it takes effect) or rejects it with a reason;
every step audited. On the page and through the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.models import AuditEvent
from chunfeng.register.changes import change_approve, change_reject
from chunfeng.register.models import ChangeStatus, Household, PendingChange, Person
from chunfeng.register.services import household_update

from .conftest import make_id, new_household

BANK, NEW_BANK = "6222023400000016", "6222029999888877776"


@pytest.fixture
def family(fed):
    return new_household(fed, fed.zs_g1, 1, bank_account=BANK)


def edit(client, household, **fields):
    data = {
        "name": household.name,
        "category": household.category,
        "family_size": household.family_size,
        "income": str(household.income),
        "phone": household.phone,
        "version": household.version,
    } | fields
    return client.post(reverse("household-edit", args=[household.pk]), data)


def test_a_new_bank_account_waits_for_a_reviewer(fed, login, family):
    filler = login(fed.user("zsg", "filler"))
    form = filler.get(reverse("household-edit", args=[family.pk])).content.decode()
    assert BANK not in form and "6222********0016" in form  # the number is not shown in full
    response = edit(filler, family, bank_account=NEW_BANK, phone="13800000009")
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.bank_account == BANK and family.phone == "13800000009"  # the phone at once
    change = PendingChange.objects.get()
    assert (change.field, change.status, change.masked) == (
        "bank_account",
        ChangeStatus.PENDING,
        "6222***********7776",
    )
    page = filler.get(reverse("household-detail", args=[family.pk])).content.decode()
    assert "待审核的变更" in page and "6222***********7776" in page and NEW_BANK not in page
    assert reverse("household-change-approve", args=[change.pk]) not in page  # not for fillers
    assert filler.post(reverse("household-change-approve", args=[change.pk])).status_code == 403

    reviewer = login(fed.user("zs", "reviewer"))
    queue = reviewer.get(reverse("household-changes")).content.decode()
    assert family.name in queue and "6222***********7776" in queue
    page = reviewer.get(reverse("household-detail", args=[family.pk])).content.decode()
    assert reverse("household-change-approve", args=[change.pk]) in page
    reviewer.post(reverse("household-change-approve", args=[change.pk]), {"reason": "核对存折"})
    family.refresh_from_db()
    change.refresh_from_db()
    assert family.bank_account == NEW_BANK and change.status == ChangeStatus.APPROVED
    assert change.decided_by == fed.user("zs", "reviewer") and change.reason == "核对存折"
    actions = list(
        AuditEvent.objects.filter(target_id=str(family.pk)).values_list("action", flat=True)
    )
    assert {"household.change_request", "household.change_approve"} <= set(actions)


def test_a_rejection_needs_a_reason_and_changes_nothing(fed, login, family):
    household_update(
        household=family, data={"bank_account": NEW_BANK}, actor=fed.user("zs", "filler")
    )
    change = PendingChange.objects.get()
    reviewer = login(fed.user("city", "reviewer"))  # a reviewer above the keeping union
    url = reverse("household-change-reject", args=[change.pk])
    refused = reviewer.post(url, {"reason": " "}, follow=True)
    assert "驳回时请填写理由" in refused.content.decode()
    reviewer.post(url, {"reason": "卡号与本人不符"})
    change.refresh_from_db()
    family.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED and change.reason == "卡号与本人不符"
    assert family.bank_account == BANK
    page = reviewer.get(reverse("household-detail", args=[family.pk])).content.decode()
    assert "驳回变更" in page and "卡号与本人不符" in page
    with pytest.raises(ApplicationError, match="已经审核过"):
        change_approve(change=change, actor=fed.user("city", "reviewer"))


@pytest.mark.parametrize(
    "who, allowed",
    [
        (("zsg", "reviewer"), True),  # the keeping union's own reviewer
        (("zs", "reviewer"), True),
        (("city", "reviewer"), True),
        (("xg", "reviewer"), False),
        (("zs", "admin"), False),
        (("zs", "filler"), False),
        (("city", "viewer"), False),
    ],
)
def test_who_decides(fed, family, who, allowed):
    household_update(
        household=family, data={"bank_account": NEW_BANK}, actor=fed.user("zsg", "filler")
    )
    change = PendingChange.objects.get()
    if allowed:
        change_approve(change=change, actor=fed.user(*who))
        assert Household.objects.get().bank_account == NEW_BANK
    else:
        with pytest.raises(NotPermitted):
            change_reject(change=change, actor=fed.user(*who), reason="x")


def test_a_corrected_id_number_moves_the_file_once_approved(fed, family):
    household_update(
        household=family,
        data={"id_number": make_id(7, birth="19750505")},
        actor=fed.user("zs", "filler"),
    )
    assert Household.objects.get().id_number == make_id(1)
    change_approve(change=PendingChange.objects.get(), actor=fed.user("zs", "reviewer"))
    household = Household.objects.get()
    assert household.id_number == make_id(7, birth="19750505")
    assert str(household.birth_date) == "1975-05-05" and household.version == 2
    assert list(Person.objects.values_list("id_number", flat=True)) == [household.id_number]
    assert Household.objects.filter(id_token=household.id_token).count() == 1


def test_a_corrected_id_number_filed_meanwhile_elsewhere_is_refused(fed, family):
    household_update(
        household=family, data={"id_number": make_id(8)}, actor=fed.user("zs", "filler")
    )
    new_household(fed, fed.xg, 8)  # 西岗区 files that person meanwhile
    with pytest.raises(ApplicationError, match="一户一档"):
        change_approve(change=PendingChange.objects.get(), actor=fed.user("city", "reviewer"))
    assert Household.objects.get(pk=family.pk).id_number == make_id(1)


def test_the_api_asks_and_a_reviewer_decides(fed, family, api):
    filler = api(fed.token("zs", "filler"))
    response = filler.patch(
        f"/api/v1/households/{family.pk}",
        {"bank_account": NEW_BANK},
        content_type="application/json",
    )
    assert response.status_code == 200
    got = response.json()
    assert got["bank_account"] == "6222********0016"
    [pending] = got["pending"]
    assert (pending["field"], pending["value"]) == ("bank_account", "6222***********7776")
    assert NEW_BANK not in response.content.decode()
    listed = filler.get("/api/v1/households/changes").json()
    assert [c["id"] for c in listed] == [pending["id"]]
    url = f"/api/v1/households/changes/{pending['id']}"
    refused = filler.post(f"{url}/approve", {}, content_type="application/json")
    assert refused.status_code == 403
    outside = api(fed.token("xg", "reviewer"))
    assert outside.post(f"{url}/approve", {}, content_type="application/json").status_code == 404
    reviewer = api(fed.token("zs", "reviewer"))
    no_reason = reviewer.post(f"{url}/reject", {}, content_type="application/json")
    assert no_reason.status_code == 400 and no_reason.json()["details"][0]["field"] == "reason"
    approved = reviewer.post(f"{url}/approve", {"reason": "ok"}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = reviewer.post(f"{url}/approve", {}, content_type="application/json")
    assert again.status_code == 409
    assert Household.objects.get().bank_account == NEW_BANK


@pytest.mark.parametrize(
    "who, queue, decide",
    [
        (("zs", "reviewer"), 200, 302),
        (("city", "reviewer"), 200, 302),
        (("zsg", "reviewer"), 200, 302),
        (("xg", "reviewer"), 200, 404),  # its queue is empty; the change is out of reach
        (("zs", "filler"), 403, 403),
        (("zs", "admin"), 403, 403),
        (("city", "viewer"), 403, 403),
    ],
)
def test_the_pages_permission_matrix(fed, login, family, who, queue, decide):
    household_update(
        household=family, data={"bank_account": NEW_BANK}, actor=fed.user("zsg", "filler")
    )
    change = PendingChange.objects.get()
    client = login(fed.user(*who))
    listed = client.get(reverse("household-changes"))
    assert listed.status_code == queue
    if queue == 200:
        assert (family.name in listed.content.decode()) == (decide == 302)
    url = reverse("household-change-approve", args=[change.pk])
    assert client.post(url, {"reason": "x"}).status_code == decide
    change.refresh_from_db()
    assert (change.status == ChangeStatus.APPROVED) == (decide == 302)
