"""What every endpoint needs: the configuration, the catalog, the orders, the caller."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from .catalog import Catalog
from .config import SandboxConfig
from .regions import LazyRegionTable
from .responses import ApiError
from .store import TOKENS, OrderStore


@dataclass(frozen=True)
class Sandbox:
    config: SandboxConfig
    catalog: Catalog
    store: OrderStore
    regions: LazyRegionTable


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


def authenticate(request: Request) -> int:
    """The customer id behind the request's bearer token, or a 401."""
    header = request.headers.get("authorization")
    if header is None:
        raise ApiError(
            401, "the Authorization header is missing; send 'Bearer <token>'"
        )
    scheme, _, token = header.partition(" ")
    # RFC 6750 makes the scheme name case-insensitive.
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "the Authorization header must be 'Bearer <token>'")
    customer = TOKENS.get(token.strip())
    if customer is None:
        raise ApiError(401, "the bearer token is not associated with any customer")
    return customer
