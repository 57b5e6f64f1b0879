"""The HTTP application: the JSON API (/v1, ops endpoints) and the dashboard (/ui) in one app.

The two front ends share :mod:`crossguard.service` and never import each other;
this module puts them together.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from crossguard.api import routes_check, routes_ops, routes_quarantine, routes_verify
from crossguard.api.errors import install_error_handlers
from crossguard.api.schemas import CheckRequest
from crossguard.config import Settings
from crossguard.scan import Guard
from crossguard.service.metrics import Metrics
from crossguard.service.state import AppState, session_secret
from crossguard.store.access import Access
from crossguard.store.store import Store
from crossguard.web import incidents as web_incidents
from crossguard.web import routes as web_routes
from crossguard.web import verify_public, verify_review
from crossguard.web.pages import HERE as WEB_DIR

DESCRIPTION = (
    "Check outbound mail for other customers' personal data, and review what was held. "
    "Every response carries masked values only. Authenticate with "
    "`Authorization: Bearer <token>` (`crossguard token create --role ROLE`)."
)


def create_app(settings: Settings, *, store: Store | None = None,
               guard: Guard | None = None) -> FastAPI:
    """The app over ``store`` and ``guard`` (opened from ``settings`` when not given)."""
    store = store if store is not None else Store.from_settings(settings, instance="api")
    guard = guard if guard is not None else Guard.from_settings(settings, counter=store.counter)
    # No Swagger UI: FastAPI loads it from a CDN (unpinned, no integrity, no CSP); the
    # OpenAPI document at /openapi.json serves any local viewer instead.
    app = FastAPI(title="crossguard", version="1", description=DESCRIPTION,
                  docs_url=None, redoc_url=None)
    app.state.crossguard = AppState(settings, store, guard, Access(store.sessions), Metrics(),
                                    session_secret(settings))
    install_error_handlers(app)
    app.include_router(routes_check.router)
    app.include_router(routes_quarantine.router)
    app.include_router(routes_ops.router)
    app.include_router(routes_verify.router)
    app.include_router(web_routes.router)
    app.include_router(web_incidents.router)
    app.include_router(verify_review.router)
    app.include_router(verify_public.router)
    app.mount("/ui/static", StaticFiles(directory=WEB_DIR / "static"), name="static")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            _add_model(schema, "CheckRequest", CheckRequest.model_json_schema(
                ref_template="#/components/schemas/{model}"))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _add_model(schema: dict[str, Any], name: str, model: dict[str, Any]) -> None:
    """Put a model that only a raw-body operation references into the components."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for key, value in model.pop("$defs", {}).items():
        components.setdefault(key, value)
    components[name] = model
