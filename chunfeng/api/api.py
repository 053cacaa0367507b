"""The JSON API (v1): token auth, one error handler, routers per domain."""

from ninja import NinjaAPI

from . import (
    campaigns,
    case_actions,
    cases,
    forms,
    funds,
    households,
    orgunits,
    payments,
    reports,
    rollups,
    sheets,
    validate,
    workflow,
)
from .auth import TokenAuth
from .errors import install_error_handlers
from .parser import DecimalJsonParser

api = NinjaAPI(
    title="春风 API",
    version="1",
    description="送温暖活动报表、困难职工档案与实名发放的 JSON 接口。除文档外，每个请求需带 `Authorization: Bearer <令牌>`。",
    urls_namespace="api",
    auth=TokenAuth(),
    parser=DecimalJsonParser(),
)
install_error_handlers(api)
api.add_router("/forms", forms.router)
api.add_router("/orgunits", orgunits.router)
api.add_router("/campaigns", campaigns.router)
api.add_router("", reports.router)
api.add_router("", workflow.router)
api.add_router("", rollups.router)
api.add_router("", validate.router)
api.add_router("", sheets.router)
api.add_router("/households", households.router)
api.add_router("/payments", payments.router)
api.add_router("", funds.router)
api.add_router("/cases", case_actions.router)
api.add_router("/cases", cases.router)
