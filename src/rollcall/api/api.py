"""The JSON API (django-ninja) and its OpenAPI schema at /api/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="rollcall", version="1", urls_namespace="api")
