"""Order endpoints: create, get, cancel, list, and the example logistics answer."""

from __future__ import annotations

import math
from dataclasses import fields, replace
from datetime import UTC, timedelta
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import params
from .catalog import Catalog
from .context import authenticate, sandbox_of
from .regions import LazyRegionTable
from .responses import bad_request, not_found, success
from .store import CANCELED, Address, NotCancelable, Order, OrderLine

ORDER_PAGE_MAX = 100
DEFAULT_PAGE_SIZE = 20
CURRENCY = "CNY"


async def create_order(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    customer = authenticate(request)
    body = await params.json_object(request)
    # Everything is checked before anything is stored: a refused order leaves no trace.
    lines = _order_lines(body.get("items"), sandbox.catalog)
    address = _address(body, sandbox.regions)
    # An empty PO number is treated as none: the order still awaits its PO.
    po_number = params.optional_string(body, "po_number") or None
    order = sandbox.store.create(customer, lines, address, po_number)
    return success(
        order_number=order.number,
        order_status=order.status,
        total=float(order.total),
    )


def _order_lines(items: Any, catalog: Catalog) -> list[OrderLine]:
    if not isinstance(items, list) or not items:
        raise bad_request(
            "items is required and must be a non-empty array of {sku, qty}"
        )
    return [_order_line(index, item, catalog) for index, item in enumerate(items)]


def _order_line(index: int, item: Any, catalog: Catalog) -> OrderLine:
    if not isinstance(item, dict):
        raise bad_request(f"items[{index}] must be an object, got {item!r}")
    sku, qty = item.get("sku"), item.get("qty")
    if not isinstance(sku, str):
        raise bad_request(f"items[{index}].sku is required and must be a string")
    product = catalog.product(sku)
    if product is None:
        raise bad_request(f"items[{index}].sku {sku!r} is not a known product")
    if not params.is_integer(qty) or qty < 1:
        raise bad_request(
            f"items[{index}].qty must be an integer of at least 1, got {qty!r}"
        )
    if qty < product.min_sell_qty:
        raise bad_request(
            f"items[{index}].qty {qty} is below the minimum of"
            f" {product.min_sell_qty} for sku {sku}"
        )
    # A quantity above stock is accepted: the documentation is silent on it, and a B2B
    # order may be fulfilled later. The availability check is where stock shows.
    return OrderLine(sku, qty, Decimal(str(product.price)))


def _address(body: dict[str, Any], regions: LazyRegionTable) -> Address:
    given: dict[str, str] = {}
    for field in fields(Address):
        value = params.optional_string(body, field.name)
        if value is not None:
            given[field.name] = value
    state = given.pop("state", "")
    address = Address(**given)
    if not state:
        return address
    if address.country_id.upper() == "CN":
        # The documentation lists the accepted spellings for China without saying what
        # happens to others; refusing them beats silently storing an unknown region.
        code = regions.resolve(state)
        if code is None:
            raise bad_request(f"state {state!r} is not a recognised region of China")
        state = code
    return replace(address, state=state)


async def get_order(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    order = _own_order(request, request.path_params["order_number"])
    created = order.created_at.isoformat()
    if sandbox.config.has_fault("created_at_utc"):
        created = order.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return success(
        response_data={
            "order_number": order.number,
            "order_status": order.status,
            "total": float(order.total),
            "po_number": order.po_number,
            "currency": CURRENCY,
            "items": [
                {"sku": line.sku, "qty": line.qty, "price": float(line.price)}
                for line in order.lines
            ],
            "created_at": created,
        }
    )


def _own_order(request: Request, number: str) -> Order:
    """The caller's order; another customer's order is reported like a missing one."""
    customer = authenticate(request)
    order = sandbox_of(request).store.get(customer, number)
    if order is None:
        raise not_found(f"no order {number!r}")
    return order


async def cancel_order(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    customer = authenticate(request)
    number = request.path_params["orderNum"]
    try:
        order = sandbox.store.cancel(customer, number)
    except NotCancelable as exc:
        raise bad_request(str(exc)) from exc
    if order is None:
        raise not_found(f"no order {number!r}")
    status = (
        "cancelled" if sandbox.config.has_fault("cancel_status_wrong") else CANCELED
    )
    return success(order_number=order.number, order_status=status)


async def list_orders(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    customer = authenticate(request)
    query = request.query_params
    page = params.query_positive_int(query.get("page"), "page", 1)
    size = params.query_positive_int(
        query.get("page_size"), "page_size", DEFAULT_PAGE_SIZE
    )
    size = params.page_size(size, ORDER_PAGE_MAX, sandbox.config.page_size_mode)
    total, orders = sandbox.store.search(
        customer,
        status=query.get("status"),
        start=params.date_bound(query.get("start_date"), "start_date", end=False),
        end=params.date_bound(query.get("end_date"), "end_date", end=True),
        limit=size,
        offset=(page - 1) * size,
    )
    return success(
        response_data={
            "total_count": total,
            "page_size": size,
            "current_page": page,
            "total_pages": math.ceil(total / size),
            "orders": [_summary(order) for order in orders],
        }
    )


def _summary(order: Order) -> dict[str, Any]:
    return {
        "order_number": order.number,
        "order_status": order.status,
        "total": float(order.total),
        "po_number": order.po_number,
        "currency": CURRENCY,
        "created_at": order.created_at.isoformat(),
        "items_count": len(order.lines),
    }


# (hours after the order, message, latitude, longitude): a made-up journey towards
# Erenhot, the fixed delivery area the documentation names for availability checks.
_JOURNEY = (
    (1, "订单已进入仓库,等待出库", "39.9042", "116.4074"),
    (3, "包裹已从仓库发出,正在运往分拣中心", "39.9042", "116.4074"),
    (14, "包裹已到达呼和浩特分拣中心", "40.8424", "111.7490"),
    (26, "包裹正在派送中", "43.6532", "111.9770"),
    (30, "包裹已签收", "43.6532", "111.9770"),
)


async def order_logistics(request: Request) -> JSONResponse:
    # The documentation says this endpoint returns example data and shows it without
    # the usual code/msg envelope, so the sandbox does the same.
    order = _own_order(request, request.path_params["orderId"])
    tracking = f"PKG{int(order.number):013d}"
    track = [
        {
            "track_msg_time": (order.created_at + timedelta(hours=hours)).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "track_content": content,
            "track_operator": "系统",
            "lat": lat,
            "lng": lng,
        }
        for hours, content, lat, lng in _JOURNEY
    ]
    return JSONResponse(
        {
            "order_id": order.number,
            "logistic_info_list": [
                {
                    "order_id": order.number,
                    "delivery_carrier": "快递",
                    "delivery_order_id": tracking,
                }
            ],
            "track_info_list": track,
        }
    )
