"""The case pages through the test client: intake with possible duplicates, the case page
with its masked numbers and the actions each role sees, the figures, and the settings."""

import datetime as dt

import pytest

from chunfeng.cases.models import CalendarDay, Case, Status, TimeLimit
from chunfeng.core.audit import audit_for

from .helpers import call, ident

INTAKE = {
    "source": "hotline",
    "caller_name": "刘海燕",
    "caller_phone": "13904110004",
    "caller_id_number": "",
    "request_type": "service",
    "category": "wages",
    "difficulty": "general",
    "description": "包工头拖欠工资",
    "workers": "1",
    "region": "210202",
}


def test_intake_routes_by_region_and_warns_of_an_open_case(fed, login):
    client = login(fed.user("city", "filler"))
    response = client.post("/cases/new/", INTAKE)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.unit == fed.zs and case.intake_unit == fed.city
    again = client.post("/cases/new/", INTAKE)
    assert again.status_code == 400 and case.number in again.content.decode()
    assert Case.objects.count() == 1
    confirmed = client.post("/cases/new/", INTAKE | {"confirmed": "1"})
    assert confirmed.status_code == 302 and Case.objects.count() == 2
    assert list(Case.objects.order_by("pk").last().duplicates.all()) == [case]


def test_a_duplicate_in_another_district_is_only_said_to_exist(fed, login):
    call(fed, region="210203", caller_phone="13904110004")  # 西岗区 holds it
    response = login(fed.user("zs", "filler")).post("/cases/new/", INTAKE)
    page = response.content.decode()
    assert "另有一件未办结的工单" in page and "大连市总工会的审核员核实" in page
    assert "12351-2012-000001" not in page


def test_intake_names_the_field_of_a_bad_id_number(fed, login):
    bad = INTAKE | {"caller_id_number": "210202198502140000"}
    response = login(fed.user("zs", "filler")).post("/cases/new/", bad)
    assert response.status_code == 400 and "校验位" in response.content.decode()
    assert not Case.objects.exists()


def test_the_case_page_masks_numbers_until_a_handler_reveals_them(fed, login):
    case = call(fed, caller_id_number=ident("19850214", 11))
    viewer = login(fed.user("zs", "viewer")).get(f"/cases/{case.pk}/").content.decode()
    assert "139****0001" in viewer and "13904110001" not in viewer and "显示完整号码" not in viewer
    assert (
        "签收" not in viewer.split("办理记录")[0].split("期限")[-1]
        or 'id="acknowledge"' not in viewer
    )
    handler = login(fed.user("zs", "filler"))
    assert 'id="acknowledge"' in handler.get(f"/cases/{case.pk}/").content.decode()
    revealed = handler.post(f"/cases/{case.pk}/reveal/").content.decode()
    assert "13904110001" in revealed and ident("19850214", 11) in revealed
    assert "case.reveal" in [e.action for e in audit_for(case)]
    assert login(fed.user("zs", "reviewer")).post(f"/cases/{case.pk}/reveal/").status_code == 403


def test_a_case_outside_the_subtree_is_404(fed, login):
    case = call(fed)
    assert login(fed.user("xg", "filler")).get(f"/cases/{case.pk}/").status_code == 404
    assert login(fed.user("xg", "admin")).post(f"/cases/{case.pk}/close/", {}).status_code == 404


@pytest.mark.parametrize("version", ["①", "²", "9" * 30])
def test_a_version_that_is_no_number_is_no_version_and_no_crash(fed, login, version):
    """A digit that is not a decimal digit (int() refuses it) or a number no column holds, as
    a posted version: the write is checked as one that sent none."""
    case = call(fed)
    client = login(fed.user("zs", "filler"))
    response = client.post(f"/cases/{case.pk}/acknowledge/", {"version": version})
    assert response.status_code == 302
    assert Case.objects.get().status == Status.HANDLING


def test_acknowledge_transfer_log_close_through_the_pages(fed, login):
    case = call(fed)
    client = login(fed.user("zs", "filler"))
    url = f"/cases/{case.pk}/"
    assert client.post(url + "acknowledge/", {"version": case.version}).status_code == 302
    stale = client.post(
        url + "close/", {"version": case.version, "outcome": "solved", "recovered": "0"}
    )
    assert stale.status_code == 302  # back to the case, with the message
    assert Case.objects.get().status == Status.HANDLING
    response = client.post(url + "transfer/", {"unit": "210202001", "reason": "属街道"})
    assert response.status_code == 302 and Case.objects.get().unit == fed.zs_g1
    client = login(fed.user("zsg", "filler"))
    today = dt.date.today().isoformat()
    assert (
        client.post(
            url + "log/", {"kind": "call", "on": today, "text": "已电话联系企业"}
        ).status_code
        == 302
    )
    bad = client.post(url + "close/", {"outcome": "partly", "recovered": "100"})
    assert bad.status_code == 302 and Case.objects.get().status == Status.HANDLING
    assert (
        client.post(url + "close/", {"outcome": "solved", "recovered": "1200.50"}).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert "已办结" in page and "1200.50" in page and "已电话联系企业" in page


def test_figures_page(fed, login):
    case = call(fed, caller_is_migrant=True)
    response = login(fed.user("city", "viewer")).get(
        "/cases/figures/", {"unit": "210202", "start": "2012-01-01", "end": "2012-12-31"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and case.unit.name in page
    assert 'id="total">1<' in page and 'id="birth-unknown"' in page


@pytest.mark.parametrize(
    "who, status", [("city_admin", 200), ("zs_admin", 403), ("city_reviewer", 403)]
)
def test_only_the_top_admins_configure(fed, login, who, status):
    unit, role = who.split("_")
    client = login(fed.user(unit, role))
    assert client.get("/cases/settings/").status_code == status
    posted = client.post(
        "/cases/settings/days/", {"day": "2099-10-01", "is_workday": "0", "name": "国庆节"}
    )
    assert posted.status_code == (302 if status == 200 else 403)
    limit = client.post(
        "/cases/settings/limits/",
        {"request_type": "complaint", "difficulty": "general", "workdays": "13"},
    )
    assert limit.status_code == (302 if status == 200 else 403)
    assert CalendarDay.objects.exists() == (status == 200)
    assert TimeLimit.objects.exists() == (status == 200)


def test_a_configured_limit_sets_the_deadline(fed):
    TimeLimit.objects.create(request_type="complaint", difficulty="general", workdays=13)
    case = call(fed, request_type="complaint", when="2012-01-20")
    assert case.due == dt.date(2012, 2, 13)  # 13 working days across 春节
    assert call(fed, when="2012-01-20").due == dt.date(2012, 1, 30)
