"""The JSON API (v1): token auth, one error handler, routers per domain."""

from ninja import NinjaAPI

from . import (
    applications,
    campaigns,
    case_actions,
    cases,
    completeness,
    confirmations,
    dashboards,
    file_reviews,
    forms,
    funds,
    household_changes,
    household_search,
    households,
    orgunits,
    passdown,
    payments,
    reports,
    rollups,
    sheets,
    validate,
    workflow,
)
from .auth import TokenAuth
from .errors import document_common_errors, install_error_handlers
from .parser import DecimalJsonParser

# Parameters as the demo data has them (README: demo accounts), so that the docs show a call
# that answers and a schema-driven client (CI's schemathesis) gets past the 404 of a random code.
PARAMETER_EXAMPLES = {
    "campaign_id": 1,
    "campaign": 1,
    "unit_code": "210202",
    "unit": "210202",
    "form_code": "F1",
    "code": "F1",
    "household_id": 1,
    "application_id": 1,
    "batch_id": 1,
}


class ChunfengAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path in schema["paths"].values():
            for operation in path.values():
                for parameter in operation.get("parameters", ()):
                    if parameter["name"] in PARAMETER_EXAMPLES:
                        parameter["example"] = PARAMETER_EXAMPLES[parameter["name"]]
        return document_common_errors(schema)


api = ChunfengAPI(
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
api.add_router("/campaigns", passdown.router)
api.add_router("/campaigns", completeness.router)
api.add_router("", reports.router)
api.add_router("", workflow.router)
api.add_router("", rollups.router)
api.add_router("", validate.router)
api.add_router("", sheets.router)
api.add_router("/households", household_changes.router)
api.add_router("/households", household_search.router)
api.add_router("/households", households.router)
api.add_router("/payments", confirmations.router)
api.add_router("/payments", payments.router)
api.add_router("", funds.router)
api.add_router("/applications", file_reviews.router)
api.add_router("/applications", applications.router)
api.add_router("/cases", case_actions.router)
api.add_router("/cases", cases.router)
api.add_router("", dashboards.router)
