"""The JSON API (v1): token auth, one error handler, routers per domain."""

from ninja import NinjaAPI

api = NinjaAPI(title="春风 API", version="1", urls_namespace="api")
