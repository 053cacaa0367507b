"""The vocabularies of a 12351 case: where it came from, what is asked, how hard it is, where it
stands and how it ended. The labels are what the hotline's own reports use."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    HOTLINE = "hotline", _("12351热线来电")
    VISIT = "visit", _("服务中心来访")
    STATION = "station", _("企业职工服务站报告")
    GRASSROOTS = "grassroots", _("基层工会报告")
    ONLINE = "online", _("职工网上求助")
    REFERRAL = "referral", _("其他工会转来")


class RequestType(models.TextChoices):
    CONSULT = "consult", _("问题咨询")
    SERVICE = "service", _("服务帮扶")
    COMPLAINT = "complaint", _("信访投诉")
    LEGAL_AID = "legal_aid", _("法律援助")
    SUGGESTION = "suggestion", _("意见建议")


class Category(models.TextChoices):
    WAGES = "wages", _("欠薪")
    CONTRACT = "contract", _("劳动合同/劳动争议")
    INJURY = "injury", _("工伤")
    SOCIAL_INSURANCE = "social_insurance", _("社保")
    HARDSHIP = "hardship", _("生活困难")
    MEDICAL = "medical", _("医疗")
    SCHOOLING = "schooling", _("子女上学")
    EMPLOYMENT = "employment", _("就业/培训")
    COUNSELLING = "counselling", _("心理疏导")
    LEGAL_AID = "legal_aid", _("法律援助")
    MEMBERSHIP = "membership", _("入会")
    SUGGESTION = "suggestion", _("意见建议")
    OTHER = "other", _("其他")


# 维权: the categories in which a worker's rights were harmed (附件1 08A counts their workers)
RIGHTS_CATEGORIES = frozenset(
    {
        Category.WAGES,
        Category.CONTRACT,
        Category.INJURY,
        Category.SOCIAL_INSURANCE,
        Category.LEGAL_AID,
    }
)


def is_rights_case(category: str, request_type: str) -> bool:
    return category in RIGHTS_CATEGORIES or request_type == RequestType.LEGAL_AID


class Difficulty(models.TextChoices):
    GENERAL = "general", _("一般")
    HARD = "hard", _("难点")
    COMPLEX = "complex", _("特别复杂")


class Status(models.TextChoices):
    NEW = "new", _("待签收")
    HANDLING = "handling", _("办理中")
    CLOSED = "closed", _("已办结")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("已解决")
    PARTLY = "partly", _("部分解决")
    UNSOLVED = "unsolved", _("未解决")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class EntryKind(models.TextChoices):
    # what a handler records (the handling log proper)
    CALL = "call", _("电话联系")
    VISIT = "visit", _("走访约谈")
    MEDIATION = "mediation", _("调解")
    LEGAL_AID = "legal_aid", _("法律援助")
    INSPECTION = "inspection", _("移交劳动监察")
    REFERRAL = "referral", _("转介其他部门")
    NOTE = "note", _("其他办理情况")
    # what the system writes as the case moves
    INTAKE = "intake", _("受理")
    ACKNOWLEDGE = "acknowledge", _("签收")
    TRANSFER = "transfer", _("转办")
    UPDATE = "update", _("修改工单")
    EXTENSION = "extension", _("申请延期")
    EXTENSION_DECISION = "extension_decision", _("延期审批")
    REMIND = "remind", _("临期提醒")
    ESCALATE = "escalate", _("超期督办")
    HOUSEHOLD = "household", _("困难职工建档")
    PAYMENT = "payment", _("帮扶发放")
    CLOSE = "close", _("办结")
    RETURN_VISIT = "return_visit", _("回访")
    REOPEN = "reopen", _("重新办理")


# the kinds a handler may write in the log by hand
LOGGED_BY_HAND = (
    EntryKind.CALL,
    EntryKind.VISIT,
    EntryKind.MEDIATION,
    EntryKind.LEGAL_AID,
    EntryKind.INSPECTION,
    EntryKind.REFERRAL,
    EntryKind.NOTE,
)


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
