"""建档 from a case goes through an application: a worker's 生活困难 request on the public page
becomes a case; its handler files the application for the worker (the form started from the
case), the application is taken to its approval on the applications side, and the case then
shows the file it opened and pays aid from it. Who may file it, and the ID kept masked."""

import datetime as dt

import pytest
from django.test import Client

from chunfeng.cases.help import case_aid_pay, case_application_submit
from chunfeng.cases.models import Case, EntryKind
from chunfeng.cases.services import case_acknowledge, case_transfer
from chunfeng.core.errors import ApplicationError
from chunfeng.core.personal import mask_id
from chunfeng.register.models import Household
from chunfeng.register.services import household_create
from tests.applications.conftest import advance, app_data, ident, make_standard

from .helpers import call

REQUEST = {
    "caller_name": "陈志强",
    "caller_phone": "13904110005",
    "caller_is_migrant": "on",
    "region": "210202",
    "category": "hardship",
    "description": "妻子重病，孩子上学，生活困难",
}
ID = ident(7)
FORM = {
    "name": "陈志强",
    "id_number": ID,
    "phone": "13904110005",
    "region_code": "210202",
    "street": "青泥洼桥街道",
    "address": "大连市中山区友好路 7 号",
    "employer": "大连示例机床厂",
    "main_cause": "illness",
    "is_migrant": "on",
    "category": "B",
    "m1_name": "陈妻",
    "m1_id_number": ident(507),
    "m1_relation": "配偶",
    "m1_health": "大病",
    "i1_item": "工资",
    "i1_amount": "600",
}


def _public_case(fed) -> Case:
    """A 生活困难 request from the public page, sent on to 青泥洼桥街道 and signed for."""
    response = Client().post("/12351/", REQUEST)
    assert response.status_code == 200 and 'id="hardship-note"' in response.content.decode()
    case = Case.objects.get()
    case = case_transfer(
        case=case, to=fed.zs_g1, reason="住青泥洼桥", actor=fed.user("zs", "filler")
    )
    return case_acknowledge(case=case, actor=fed.user("zsg", "filler"))


def test_the_public_page_says_the_union_helps_with_the_file(db):
    assert 'id="hardship-note"' in Client().get("/12351/").content.decode()


def test_a_public_hardship_request_leads_to_a_file_and_aid(fed, login):
    make_standard(fed)
    case = _public_case(fed)
    g = login(fed.user("zsg", "filler"))
    page = g.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/application/" in page and "实名发放帮扶款物" not in page

    form = g.get(f"/cases/{case.pk}/application/")
    text = form.content.decode()
    assert form.status_code == 200 and 'value="陈志强"' in text and 'value="13904110005"' in text
    assert form.context["form"]["is_migrant"].value() is True

    response = g.post(f"/cases/{case.pk}/application/", FORM | {"unit": fed.xg_g1.code})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    a = case.application
    assert (a.unit, a.name, a.id_number, a.phone, a.is_migrant) == (
        fed.zs_g1,  # the case's union, whatever was posted
        "陈志强",
        ID,
        "13904110005",
        True,
    )
    entry = case.entries.get(kind=EntryKind.HOUSEHOLD)
    assert entry.text.startswith("提交建档申请") and mask_id(ID) in entry.text
    page = g.get(f"/cases/{case.pk}/").content.decode()
    assert "待初审" in page and f"/applications/{a.pk}/" in page
    assert ID not in page and f"/cases/{case.pk}/application/" not in page
    assert ID not in g.get(f"/applications/{a.pk}/").content.decode()  # masked there too

    a = advance(fed, a, "approved")
    assert a.household is not None
    page = g.get(f"/cases/{case.pk}/").content.decode()
    assert f"/register/households/{a.household.pk}/" in page or a.household.name in page
    assert "已建档" in page and "实名发放帮扶款物" in page
    line = case_aid_pay(
        case=case,
        campaign=fed.campaign,
        amount="600",
        aid_type="living",
        paid_on=dt.date(2012, 1, 20),
        actor=fed.user("zsg", "filler"),
    )
    case.refresh_from_db()
    assert line.household == a.household == case.household
    assert "600.00" in g.get(f"/cases/{case.pk}/").content.decode()


def test_a_form_that_does_not_pass_the_application_checks_is_shown_again(fed, login):
    case = _public_case(fed)
    g = login(fed.user("zsg", "filler"))
    response = g.post(f"/cases/{case.pk}/application/", FORM | {"id_number": "210202123"})
    assert response.status_code == 400 and "身份证" in response.content.decode()
    case.refresh_from_db()
    assert case.application is None and not case.entries.filter(kind=EntryKind.HOUSEHOLD).exists()


def test_one_application_per_case(fed):
    make_standard(fed)
    case = _public_case(fed)
    g = fed.user("zsg", "filler")
    case_application_submit(case=case, data=app_data(7, name="陈志强"), actor=g)
    with pytest.raises(ApplicationError):
        case_application_submit(case=case, data=app_data(8), actor=g)


@pytest.mark.parametrize(
    "who, status",
    [("xg_filler", 404), ("zs_viewer", 403), ("zs_reviewer", 403), ("zsg_viewer", 403)],
)
def test_who_may_file_the_application(fed, login, who, status):
    case = _public_case(fed)
    client = login(fed.user(*who.split("_")))
    assert client.get(f"/cases/{case.pk}/application/").status_code == status
    assert client.post(f"/cases/{case.pk}/application/", FORM).status_code == status
    case.refresh_from_db()
    assert case.application is None


def test_the_case_links_a_file_already_on_the_register_and_opens_none(fed, login):
    number = ident(9)
    case = call(fed, unit=fed.zs_g1, caller_id_number=number, category="hardship")
    g = login(fed.user("zsg", "filler"))
    page = g.get(f"/cases/{case.pk}/").content.decode()
    assert number not in page and mask_id(number) in page

    response = g.post(f"/cases/{case.pk}/household/", {"id_number": number}, follow=True)
    assert "没有这位职工在档的困难职工档案" in response.content.decode()
    assert not Household.objects.exists()
    household = household_create(
        unit=fed.zs_g1,
        data={"name": "王大山", "id_number": number, "category": "C", "family_size": 2},
        actor=fed.user("zsg", "filler"),
    )
    g.post(f"/cases/{case.pk}/household/", {"id_number": ""})  # the case's own number
    case.refresh_from_db()
    assert case.household == household
