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
from .context import Sandbox, authenticate, sandbox_of
from .products import DELIVERY_PRICE
from .responses import ApiError, bad_request, not_found, success
from .store import (
    CANCELED,
    PO_SUBMITTED,
    WAITING_CONFIRMATION,
    Address,
    NotCancelable,
    Order,
    OrderLine,
    initial_status,
    order_total,
)

ORDER_PAGE_MAX = 100
DEFAULT_PAGE_SIZE = 20
CURRENCY = "CNY"


async def create_order(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    customer = authenticate(request)
    body = await params.json_object(request)
    # Everything is checked before anything is stored: a refused order leaves no trace.
    lines: list[OrderLine] = []
    try:
        for index, item in enumerate(_items(body)):
            lines.append(_order_line(index, item, sandbox))
    except ApiError:
        if lines and sandbox.config.has_fault("failed_create_leaves_order"):
            # As if each line were written as soon as it was read.
            _place(sandbox, customer, lines, Address(), None)
        raise
    address = _address(body, sandbox)
    # An empty PO number is treated as none: the order still awaits its PO.
    po_number = params.optional_string(body, "po_number") or None
    order = _place(sandbox, customer, lines, address, po_number)
    return success(
        order_number=order.number,
        order_status=order.status,
        total=float(order.total),
    )


def _place(
    sandbox: Sandbox,
    customer: int,
    lines: list[OrderLine],
    address: Address,
    po_number: str | None,
) -> Order:
    config = sandbox.config
    status = initial_status(po_number)
    if config.has_fault("status_swapped"):
        status = WAITING_CONFIRMATION if po_number else PO_SUBMITTED
    total = order_total(lines)
    if config.has_fault("total_adds_delivery"):
        total += Decimal(str(DELIVERY_PRICE))
    return sandbox.store.create(
        customer, lines, address, po_number, status=status, total=total
    )


def _items(body: dict[str, Any]) -> list[Any]:
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise bad_request(
            "items is required and must be a non-empty array of {sku, qty}"
        )
    return items


def _order_line(index: int, item: Any, sandbox: Sandbox) -> OrderLine:
    if not isinstance(item, dict):
        raise bad_request(f"items[{index}] must be an object, got {item!r}")
    sku, qty = item.get("sku"), item.get("qty")
    if not isinstance(sku, str):
        raise bad_request(f"items[{index}].sku is required and must be a string")
    product = sandbox.catalog.product(sku)
    if product is None:
        raise bad_request(f"items[{index}].sku {sku!r} is not a known product")
    if not params.is_integer(qty) or qty < 1:
        raise bad_request(
            f"items[{index}].qty must be an integer of at least 1, got {qty!r}"
        )
    below_minimum = qty < product.min_sell_qty
    if below_minimum and not sandbox.config.has_fault("min_sell_qty_ignored"):
        raise bad_request(
            f"items[{index}].qty {qty} is below the minimum of"
            f" {product.min_sell_qty} for sku {sku}"
        )
    # A quantity above stock is accepted: the documentation is silent on it, and a B2B
    # order may be fulfilled later. The availability check is where stock shows.
    return OrderLine(sku, qty, Decimal(str(product.price)))


def _address(body: dict[str, Any], sandbox: Sandbox) -> Address:
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
        aliases = not sandbox.config.has_fault("region_alias_rejected")
        code = sandbox.regions.resolve(state, aliases=aliases)
        if code is None:
            raise bad_request(f"state {state!r} is not a recognised region of China")
        state = code
    return replace(address, state=state)


async def get_order(request: Request) -> JSONResponse:
    config = sandbox_of(request).config
    order = _own_order(request, request.path_params["order_number"])
    created = order.created_at.isoformat()
    if config.has_fault("created_at_utc"):
        created = order.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        {"sku": line.sku, "qty": line.qty, "price": float(line.price)}
        for line in order.lines
    ]
    if config.has_fault("get_order_price_wrong"):
        lines = [{**line, "price": 0.0} for line in lines]
    po_number = order.po_number
    if config.has_fault("po_number_dropped"):
        po_number = None
    return success(
        response_data={
            "order_number": order.number,
            "order_status": order.status,
            "total": float(order.total),
            "po_number": po_number,
            "currency": "USD" if config.has_fault("currency_usd") else CURRENCY,
            "items": lines,
            "created_at": created,
        }
    )


def _own_order(request: Request, number: str, *, check_token: bool = True) -> Order:
    """The caller's order; another customer's order is reported like a missing one.

    Without ``check_token`` there is no caller, and any customer's order is found.
    """
    sandbox = sandbox_of(request)
    owner = authenticate(request) if check_token else None
    if sandbox.config.has_fault("foreign_order_visible"):
        owner = None
    order = sandbox.store.get(owner, number)
    if order is None:
        raise not_found(f"no order {number!r}")
    return order


async def cancel_order(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    config = sandbox.config
    customer = authenticate(request)
    owner = None if config.has_fault("foreign_cancel_allowed") else customer
    number = request.path_params["orderNum"]
    try:
        order = sandbox.store.cancel(
            owner, number, persist=not config.has_fault("cancel_not_stored")
        )
    except NotCancelable as exc:
        if exc.order.status != CANCELED or not config.has_fault("cancel_twice_ok"):
            raise bad_request(str(exc)) from exc
        order = exc.order
    if order is None:
        raise not_found(f"no order {number!r}")
    status = "cancelled" if config.has_fault("cancel_status_wrong") else CANCELED
    return success(order_number=order.number, order_status=status)


async def list_orders(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    config = sandbox.config
    customer = authenticate(request)
    owner = None if config.has_fault("foreign_orders_listed") else customer
    query = request.query_params
    page = params.query_positive_int(query.get("page"), "page", 1)
    size = params.query_positive_int(
        query.get("page_size"), "page_size", DEFAULT_PAGE_SIZE
    )
    if not config.has_fault("orders_page_size_uncapped"):
        size = params.page_size(size, ORDER_PAGE_MAX, config.page_size_mode)
    status = query.get("status")
    start = params.date_bound(query.get("start_date"), "start_date", end=False)
    end = params.date_bound(query.get("end_date"), "end_date", end=True)
    if config.has_fault("status_filter_ignored"):
        status = None
    if config.has_fault("date_filter_ignored"):
        start = end = None
    total, orders = sandbox.store.search(
        owner,
        status=status,
        start=start,
        end=end,
        limit=size,
        offset=(page - 1) * size,
    )
    count = total
    if config.has_fault("orders_total_count_page"):
        count = len(orders)
    return success(
        response_data={
            "total_count": count,
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
    config = sandbox_of(request).config
    order = _own_order(
        request,
        request.path_params["orderId"],
        check_token=not config.has_fault("missing_auth_logistics"),
    )
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
    answer = {
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
    if config.has_fault("logistics_no_tracking"):
        del answer["track_info_list"]
    return JSONResponse(answer)
