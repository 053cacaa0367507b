"""The workers' public page: no login, a request as text, the status of one's own case by number
and phone — nothing of another case, nothing else of the system — and a rate limit."""

import pytest
from django.test import Client

from chunfeng.cases.handling import case_close
from chunfeng.cases.models import Case, Source, Status
from chunfeng.core import sms

from .helpers import call

REQUEST = {
    "caller_name": "陈志强",
    "caller_phone": "13904110005",
    "caller_is_migrant": "on",
    "region": "210202",
    "category": "wages",
    "description": "工地老板欠我两个月工资",
}


def test_a_worker_submits_a_request_and_gets_a_number(fed, django_capture_on_commit_callbacks):
    client = Client()
    page = client.get("/12351/")
    assert page.status_code == 200 and "我要求助" in page.content.decode()
    assert "中山区" in page.content.decode() and "/cases/" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/12351/", REQUEST)
    case = Case.objects.get()
    assert response.status_code == 200 and case.number in response.content.decode()
    assert case.source == Source.ONLINE and case.intake_unit == fed.city and case.unit == fed.zs
    assert case.caller_is_migrant and case.caller_new_generation is None
    assert [m.template for m in sms.outbox if m.to == "13904110005"] == ["case_received"]


def test_the_status_shows_only_the_workers_own_case(fed):
    mine = call(fed, caller_phone="13904110005", description="我的诉求")
    case_close(case=mine, outcome="solved", recovered="3000", actor=fed.user("zs", "filler"))
    call(fed, caller_phone="13904110006", description="别人的诉求")
    client = Client()
    page = client.post("/12351/status/", {"number": mine.number, "phone": "139 0411 0005"})
    text = page.content.decode()
    assert page.status_code == 200 and "已办结" in text and "3000.00" in text
    assert "我的诉求" not in text and "别人的诉求" not in text and "12351-2012-000002" not in text
    wrong = client.post("/12351/status/", {"number": mine.number, "phone": "13904110006"})
    assert 'id="not-found"' in wrong.content.decode() and "3000" not in wrong.content.decode()


def test_requests_and_lookups_are_rate_limited(fed, settings):
    settings.CHUNFENG_PUBLIC_SUBMITS_PER_HOUR = 2
    settings.CHUNFENG_PUBLIC_CHECKS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [client.post("/12351/", REQUEST).status_code for _ in range(3)] == [200, 200, 429]
    assert Case.objects.count() == 2
    codes = [
        client.post("/12351/status/", {"number": "x", "phone": "1"}).status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert Client(REMOTE_ADDR="203.0.113.10").post("/12351/", REQUEST).status_code == 200


@pytest.mark.parametrize("path", ["/cases/", "/cases/new/", "/api/v1/cases"])
def test_nothing_else_is_reachable_without_signing_in(db, path):
    assert Client().get(path).status_code in (302, 401)


def test_a_request_without_its_text_is_refused_by_field(fed):
    response = Client().post("/12351/", REQUEST | {"description": ""})
    assert response.status_code == 400 and not Case.objects.exists()
    assert Case.objects.filter(status=Status.NEW).count() == 0
