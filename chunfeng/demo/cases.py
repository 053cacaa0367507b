"""A dozen 12351 cases in 中山区 in every state: closed during the 2012 campaign (wages
recovered, a cross-region case, one with a household file and aid, one reopened after an
unsatisfied visit, one closed late), and open ones dated from today (new, acknowledged, near
the limit, overdue and escalated, an extension waiting, an online request) — so that the clock,
the supervision and the figures (附件1 08A/08C, 附件2 10D) all show something."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from chunfeng.applications.filing import application_approve
from chunfeng.applications.services import document_add
from chunfeng.applications.workflow import (
    application_check,
    application_notice,
    application_review,
    application_verify,
    application_visit,
)
from chunfeng.cases.handling import case_close, case_reopen, case_return_visit, extension_request
from chunfeng.cases.help import case_aid_pay, case_application_submit
from chunfeng.cases.public import public_request_submit
from chunfeng.cases.services import case_acknowledge, case_create, case_log, case_transfer
from chunfeng.cases.supervision import cases_supervise

from .register import ident

BEIJING = ZoneInfo("Asia/Shanghai")


def _at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=BEIJING)


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


CALLER = {"request_type": "service", "category": "wages", "region": "210202"}


def _file_through_application(case, g1, centre) -> None:
    """建档 from the case: the application filed for the worker, taken to its approval (the
    steps of ``demo.applications``; the standards are there too)."""
    data = {
        "name": case.caller_name,
        "id_number": case.caller_id_number,
        "phone": case.caller_phone,
        "region_code": "210202",
        "street": "青泥洼桥街道",
        "address": "大连市中山区友好路 33 号",
        "employer": case.employer,
        "main_cause": "accident",
        "category": "D",
        "income_items": [{"item": "抚恤金", "amount": "840"}],
        "members": [
            {"name": "郑家属1", "relation": "子女"},
            {"name": "郑家属2", "relation": "子女"},
        ],
    }
    a = case_application_submit(case=case, data=data, actor=g1)
    a = application_check(application=a, actor=g1, note="材料齐全")
    for kind, file in (("signed", "申请书.pdf"), ("consent", "核对授权书.pdf")):
        document_add(application=a, kind=kind, upload=ContentFile(b"%PDF-1.4 demo", file), actor=g1)
    a = application_visit(
        application=a,
        actor=g1,
        visited_on=dt.date(2012, 1, 4),
        visitors="街道工会 王干事",
        findings="丈夫工伤去世，独自抚养两个孩子",
    )
    a = application_review(application=a, actor=centre, note="同意")
    a = application_verify(
        application=a, actor=centre, matched=True, reference="大民核〔2012〕第 3 号"
    )
    a = application_notice(application=a, actor=centre, start=dt.date(2012, 1, 5))
    application_approve(application=a, actor=centre, on=dt.date(2012, 1, 13))


def _call(users, when, **data):
    taker = users["city_filler"]
    fields = CALLER | data
    return case_create(intake_unit=taker.unit, data=fields, actor=taker, received_at=when)


def demo_cases(campaign, users: dict, units: dict) -> None:
    zs, g1, reviewer = users["zs_filler"], users["qnwq_filler"], users["city_reviewer"]
    street = units["210202001"]
    # --- during the 2012 campaign -------------------------------------------------------------
    c = _call(
        users,
        _at("2011-12-21"),
        caller_name="周大勇",
        caller_phone="13504110101",
        caller_is_migrant=True,
        caller_id_number=ident("19860310", 31),
        workers=12,
        migrants=12,
        amount_involved="96000",
        employer="大连某建筑公司",
        description="12 名农民工被拖欠三个月工资",
    )
    case_acknowledge(case=c, actor=zs, at=_at("2011-12-21", 15))
    case_log(
        case=c,
        kind="inspection",
        text="移交区劳动监察大队，联合约谈企业",
        actor=zs,
        on=dt.date(2011, 12, 22),
    )
    case_close(case=c, outcome="solved", recovered="96000", actor=zs, at=_at("2011-12-23"))
    case_return_visit(case=c, satisfaction="satisfied", actor=reviewer, on=dt.date(2011, 12, 24))

    c = _call(
        users,
        _at("2011-12-12"),
        caller_name="吴小兵",
        caller_phone="13504110102",
        caller_is_migrant=True,
        caller_birth_year=1979,
        cross_region=True,
        amount_involved="18000",
        description="四川籍农民工，原工地在甘井子区，老板回了中山区",
    )
    case_close(case=c, outcome="solved", recovered="18000", actor=zs, at=_at("2011-12-28"))

    c = _call(
        users,
        _at("2012-01-04"),
        caller_name="郑春梅",
        caller_phone="13504110103",
        category="hardship",
        caller_id_number=ident("19700405", 33),
        description="丈夫工伤去世，独自抚养两个孩子，生活困难",
    )
    c = case_transfer(case=c, to=street, reason="户籍在青泥洼桥街道", actor=zs)
    case_acknowledge(case=c, actor=g1, at=_at("2012-01-04", 16))
    _file_through_application(c, g1, users["zs_reviewer"])
    case_aid_pay(
        case=c,
        campaign=campaign,
        amount="1500",
        aid_type="living",
        paid_on=dt.date(2012, 1, 13),
        actor=g1,
    )
    case_close(case=c, outcome="solved", actor=g1, at=_at("2012-01-13"))

    c = _call(
        users,
        _at("2012-01-05"),
        caller_name="冯国庆",
        caller_phone="13504110104",
        category="injury",
        caller_is_migrant=True,
        difficulty="hard",
        description="工伤认定后企业拒付停工留薪期工资",
    )
    case_close(
        case=c,
        outcome="partly",
        note="企业支付了一半",
        recovered="4000",
        actor=zs,
        at=_at("2012-01-18"),
    )
    case_return_visit(
        case=c, satisfaction="unsatisfied", note="还差一半", actor=reviewer, on=dt.date(2012, 1, 19)
    )
    case_reopen(case=c, reason="回访不满意，继续督促企业支付", actor=reviewer)

    c = _call(
        users,
        _at("2012-01-10"),
        caller_name="何丽",
        caller_phone="13504110105",
        category="contract",
        description="企业不签劳动合同",
    )
    case_close(case=c, outcome="solved", actor=zs, at=_at("2012-01-20"))  # late: due 13 Jan

    c = _call(
        users,
        _at("2012-01-12"),
        caller_name="曹立",
        caller_phone="13504110106",
        request_type="consult",
        category="social_insurance",
        description="咨询社保断缴补缴",
    )
    case_close(case=c, outcome="solved", actor=zs, at=_at("2012-01-12", 16))
    case_return_visit(case=c, satisfaction="basic", actor=reviewer, on=dt.date(2012, 1, 13))

    # --- open, dated from today ----------------------------------------------------------------
    _call(
        users,
        _ago(0),
        caller_name="韩冰",
        caller_phone="13504110107",
        category="counselling",
        request_type="service",
        description="工作压力大，失眠，需要心理疏导",
    )
    c = _call(
        users,
        _ago(1),
        caller_name="唐军",
        caller_phone="13504110108",
        request_type="legal_aid",
        category="legal_aid",
        difficulty="hard",
        description="申请劳动仲裁需要法律援助",
    )
    case_acknowledge(case=c, actor=zs)
    case_log(case=c, kind="legal_aid", text="指派区职工法律援助站律师代理仲裁", actor=zs)
    c = _call(
        users,
        _ago(4),
        caller_name="冯娟",
        caller_phone="13504110109",
        description="超市拖欠两个月工资",
    )
    c = case_transfer(case=c, to=street, reason="企业在青泥洼桥街道", actor=zs)
    case_acknowledge(case=c, actor=g1)
    _call(
        users,
        _ago(16),
        caller_name="蒋涛",
        caller_phone="13504110110",
        category="injury",
        caller_is_migrant=True,
        description="受伤后企业不申报工伤",
    )
    c = _call(
        users,
        _ago(2),
        caller_name="沈丹",
        caller_phone="13504110111",
        difficulty="complex",
        description="企业破产，职工欠薪和社保需清算",
    )
    case_acknowledge(case=c, actor=zs)
    extension_request(case=c, days=10, reason="等待破产管理人清算结果", actor=zs)
    public_request_submit(
        data={
            "caller_name": "韩梅",
            "caller_phone": "13504110112",
            "region": "210202",
            "category": "schooling",
            "description": "孩子上学需要资助",
        },
        address="demo",
    )
    # reminders and escalations due now, whatever the hour the demo is loaded at
    cases_supervise(any_hour=True)
