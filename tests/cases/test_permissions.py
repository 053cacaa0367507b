"""Who may do what with a case held by 中山区 (the rulebook, through the services): its fillers
and admins and the city's handle it; reviewers and admins above it supervise it (extensions,
reopening); viewers only look; another district does not even see it (404 on the pages)."""

import pytest

from chunfeng.cases.handling import case_close, case_reopen, extension_decide, extension_request
from chunfeng.cases.services import case_acknowledge, case_numbers_reveal
from chunfeng.core.errors import NotPermitted
from chunfeng.core.rules import can_configure_cases, can_take_cases

from .helpers import call

USERS = [
    f"{u}_{r}"
    for u in ("city", "zs", "zsg", "xg")
    for r in ("filler", "reviewer", "admin", "viewer")
]
HANDLERS = {"city_filler", "city_admin", "zs_filler", "zs_admin"}
SUPERVISORS = {"city_reviewer", "city_admin"}  # above 中山区


def _user(fed, key):
    unit, role = key.split("_")
    return fed.user(unit, role)


def _allowed(call_) -> bool:
    try:
        call_()
    except NotPermitted:
        return False
    return True


@pytest.mark.parametrize("who", USERS)
def test_handling_a_district_case(fed, who):
    user, case = _user(fed, who), call(fed)
    assert _allowed(lambda: case_acknowledge(case=case, actor=user)) == (who in HANDLERS)
    assert _allowed(lambda: case_numbers_reveal(case=case, actor=user)) == (who in HANDLERS)
    assert _allowed(lambda: case_close(case=case, outcome="solved", actor=user)) == (
        who in HANDLERS
    )


@pytest.mark.parametrize("who", USERS)
def test_supervising_a_district_case(fed, who):
    user, case = _user(fed, who), call(fed)
    extension = extension_request(
        case=case, days=3, reason="待鉴定", actor=fed.user("zs", "filler")
    )
    assert _allowed(
        lambda: extension_decide(extension=extension, approve=True, note="", actor=user)
    ) == (who in SUPERVISORS)
    case_close(case=case, outcome="solved", actor=fed.user("zs", "filler"))
    assert _allowed(lambda: case_reopen(case=case, reason="不满意", actor=user)) == (
        who in SUPERVISORS
    )


@pytest.mark.parametrize("who", USERS)
def test_taking_calls_and_configuring(fed, who):
    user = _user(fed, who)
    assert can_take_cases(user, user.unit) == who.endswith(("filler", "admin"))
    assert can_configure_cases(user) == (who == "city_admin")


def test_a_case_held_at_the_top_is_supervised_by_its_own_reviewers(fed):
    case = call(fed, region="", unit=None)  # no region: stays with the city that took it
    assert case.unit == fed.city
    extension = extension_request(
        case=case, days=2, reason="复杂", actor=fed.user("city", "filler")
    )
    decided = extension_decide(
        extension=extension, approve=True, note="", actor=fed.user("city", "reviewer")
    )
    assert decided.status == "approved"
