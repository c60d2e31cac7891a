"""The sandbox as a Starlette application: routes, error rendering and lifetime."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import orders, products
from .catalog import build_catalog
from .config import SandboxConfig
from .context import Sandbox
from .regions import LazyRegionTable
from .responses import ApiError, error_response
from .store import OrderStore

BASE_PATH = "/rest/V1/external"

Endpoint = Callable[[Request], Awaitable[Response]]


def _routes() -> list[Route]:
    def route(path: str, endpoint: Endpoint, method: str) -> Route:
        return Route(BASE_PATH + path, endpoint, methods=[method])

    return [
        route("/products", products.list_products, "POST"),
        route("/product/detail/{sku}", products.product_detail, "GET"),
        route("/availability/check", products.check_availability, "POST"),
        route("/categories", products.list_categories, "GET"),
        route("/order", orders.create_order, "POST"),
        route("/orders", orders.list_orders, "GET"),
        route("/orders/{order_number}", orders.get_order, "GET"),
        route("/orders/{orderNum}/cancel", orders.cancel_order, "POST"),
        route("/orders/{orderId}/logistics", orders.order_logistics, "GET"),
    ]


def create_app(config: SandboxConfig | None = None) -> Starlette:
    """Build a sandbox application; each call has its own order store."""
    config = config or SandboxConfig()
    sandbox = Sandbox(
        config=config,
        catalog=build_catalog(config.seed),
        store=OrderStore(config.db_path),
        regions=LazyRegionTable(),
    )

    async def api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(config.error_style, exc.status, exc.message)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        # Starlette's own 404 (unknown path) and 405 (undeclared method, with its Allow
        # header) take the same body shape as the API's errors.
        assert isinstance(exc, HTTPException)
        return error_response(
            config.error_style, exc.status_code, exc.detail, exc.headers
        )

    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        return error_response(config.error_style, 500, "internal server error")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        sandbox.store.close()

    app = Starlette(
        routes=_routes(),
        exception_handlers={
            ApiError: api_error,
            HTTPException: http_error,
            Exception: server_error,
        },
        lifespan=lifespan,
    )
    # A trailing slash names no documented path; answer 404 rather than redirect.
    app.router.redirect_slashes = False
    app.state.sandbox = sandbox
    return app
