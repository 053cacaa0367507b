"""The rulebook, the system actor, the one error path of the pages and the panels."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from chunfeng.core import rules
from chunfeng.core.actors import SYSTEM, user_or_none
from chunfeng.core.audit import audit_record
from chunfeng.core.errors import ApplicationError, NotPermitted
from chunfeng.core.panels import Panel, collect, contribute, render_panels
from chunfeng.core.web import ApplicationErrorMiddleware, attempt, back_on_error, caught

ROLES = ("filler", "reviewer", "admin", "viewer")

# rule → the roles of 中山区 that pass it for (中山区 itself, its grassroots union, 西岗区)
EXPECTED = {
    "can_fill": ({"filler"}, set(), set()),
    "can_review": (set(), {"reviewer"}, set()),
    "can_manage": ({"admin"}, {"admin"}, set()),
    "can_remind": (set(), {"reviewer", "admin"}, set()),
    "can_close_campaign": ({"reviewer", "admin"}, set(), set()),  # its own unit's campaigns
    "can_edit_households": ({"filler", "admin"}, {"filler", "admin"}, set()),
    "can_write_funds": ({"filler", "admin"}, {"filler", "admin"}, set()),
    "can_see_full_ids": ({"filler", "admin"}, {"filler", "admin"}, set()),
    "can_approve_personal_change": ({"reviewer"}, {"reviewer"}, set()),
    "can_approve_batch": (set(), {"reviewer"}, set()),
    "can_audit": (set(), {"viewer", "admin"}, set()),
}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_each_rule_by_role_and_place(fed, rule):
    check = getattr(rules, rule)
    for unit, allowed in zip((fed.zs, fed.zs_g1, fed.xg), EXPECTED[rule], strict=True):
        passing = {role for role in ROLES if check(fed.user("zs", role), unit)}
        assert passing == allowed, (rule, unit.code)
        assert check(SYSTEM, unit)


def test_inactive_users_pass_no_rule(fed):
    admin = fed.user("zs", "admin")
    admin.is_active = False
    assert not rules.can_manage(admin, fed.zs) and not rules.can_keep_records(admin, fed.zs)


def test_reviewing_and_flags(fed):
    assert rules.can_review_as(fed.user("zs", "reviewer"), fed.zs)
    assert not rules.can_review_as(fed.user("city", "reviewer"), fed.zs)
    assert not rules.can_review_as(fed.user("zs", "reviewer"), None)
    assert rules.can_resolve_flag(fed.user("city", "reviewer"), fed.zs, fed.city)
    assert rules.can_resolve_flag(fed.user("city", "reviewer"), fed.city, fed.city)
    assert not rules.can_resolve_flag(fed.user("zs", "reviewer"), fed.zs, fed.city)
    # a flag against another district's line: the reviewers who see both sides decide it
    zs_reviewer, city_reviewer = fed.user("zs", "reviewer"), fed.user("city", "reviewer")
    assert rules.can_resolve_flag(zs_reviewer, fed.zs_g1, fed.city, fed.zs)
    assert not rules.can_resolve_flag(zs_reviewer, fed.zs_g1, fed.city, fed.xg_g1)
    assert rules.can_resolve_flag(city_reviewer, fed.zs_g1, fed.city, fed.xg_g1)


def test_who_reads_the_id_access_log(fed):
    passing = {r for r in ROLES if rules.audits_at_all(fed.user("zs", r))}
    assert passing == {"viewer", "admin"} and rules.audits_at_all(SYSTEM)


def test_the_system_is_recorded_as_such(fed):
    event = audit_record(actor=SYSTEM, action="test.system", target=fed.zs)
    assert event.by_system and event.actor is None and event.who == "系统"
    assert user_or_none(SYSTEM) is None
    with pytest.raises(TypeError):
        audit_record(actor=None, action="test.none", target=fed.zs)
    with pytest.raises(TypeError):
        user_or_none(None)


# --- the error path ----------------------------------------------------------------------------


def middleware_answer(exc):
    request = RequestFactory().get("/")
    middleware = ApplicationErrorMiddleware(lambda r: HttpResponse())
    return middleware.process_exception(request, exc)


def test_not_permitted_becomes_the_403_page_and_an_error_the_400_page(db):
    with pytest.raises(PermissionDenied, match="不能这样做"):
        middleware_answer(NotPermitted("不能这样做"))
    response = middleware_answer(ApplicationError("金额应大于 0"))
    assert response.status_code == 400 and "金额应大于 0" in response.content.decode()
    assert middleware_answer(ValueError("a bug")) is None  # a bug stays a 500


class _Form:
    def __init__(self):
        self.fields = {"amount": None}
        self.errors = []

    def add_error(self, field, message):
        self.errors.append((field, message))


def test_attempt_puts_the_error_under_its_field():
    form = _Form()
    failing = ApplicationError(
        "有误",
        details=[
            {"field": "amount", "message": "应大于 0"},
            {"field": "paid_on", "message": "不能为空"},
        ],
    )

    def fail():
        raise failing

    assert attempt(form, fail, {"paid_on": "发放日期"}) is None
    assert form.errors == [("amount", "应大于 0"), (None, "发放日期：不能为空")]
    assert attempt(_Form(), lambda: 42) == 42
    with pytest.raises(NotPermitted):
        attempt(_Form(), lambda: (_ for _ in ()).throw(NotPermitted()))
    assert caught(fail) == (None, failing)


def test_back_on_error_flashes_and_returns(rf, db):
    from django.contrib.messages.storage.fallback import FallbackStorage  # the test's request

    @back_on_error(lambda request: "/back/")
    def view(request):
        raise ApplicationError("报表当前状态为“草稿”，不能审核通过")

    request = rf.post("/x/")
    request.session = {}
    request._messages = FallbackStorage(request)
    response = view(request)
    assert response.status_code == 302 and response["Location"] == "/back/"
    assert [str(m) for m in get_messages(request)] == ["报表当前状态为“草稿”，不能审核通过"]


# --- panels --------------------------------------------------------------------------------


def test_panels_contributed_from_above_are_rendered_in_order(rf, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [Path(__file__).with_name("templates")]}
    ]

    def second(request, **context):
        return Panel("panel_test.html", {"text": "second"}, data={"mark": 2})

    def first(request, **context):
        return Panel("panel_test.html", {"text": context["what"]}, data={"mark": 1})

    def nothing(request, **context):
        return None

    contribute("test.slot", second, order=60)
    contribute("test.slot", first, order=10)
    contribute("test.slot", nothing)
    contribute("test.slot", first, order=10)  # once only
    html, data = collect("test.slot", rf.get("/"), what="first")
    assert html == "first|second|" and data == {"mark": 2}
    assert render_panels("no.such.slot", rf.get("/")) == ""
