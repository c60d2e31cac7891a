"""Order scenarios: GET /orders/{n}, GET /orders and the logistics of an order."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from conformance.api import Api, record_reading
from conformance.checks import expect, expect_ok, refused_or_ok, violated
from conformance.orders import OrderBook, Placed

pytestmark = pytest.mark.orders

UTC8 = timedelta(hours=8)
MAX_PAGES = 50


@pytest.fixture(scope="module")
def placed(orders: OrderBook) -> Placed:
    return orders.place(po=True, count=2)


@pytest.fixture(scope="module")
def waiting(orders: OrderBook) -> Placed:
    return orders.place(po=False)


def order_data(api: Api, number: str) -> dict[str, Any]:
    body = expect_ok(api.get_order(number), "orders.get.lookup", f"getting order {number}")
    data = body.get("response_data")
    expect(isinstance(data, dict), "orders.get.lookup", f"order {number}: no response_data")
    return data


def utc8(value: Any) -> bool:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.utcoffset() == UTC8


@pytest.mark.clause("orders.get.items")
def test_get_shows_the_lines_and_prices_of_creation(api: Api, placed: Placed) -> None:
    data = order_data(api, placed.number)
    got = {i.get("sku"): i for i in data.get("items") or [] if isinstance(i, dict)}
    for line in placed.lines:
        item = got.get(line["sku"])
        expect(item is not None, "orders.get.items", f"order {placed.number} lost {line['sku']}")
        expect(item.get("qty") == line["qty"], "orders.get.items",
               f"{line['sku']}: qty {item.get('qty')!r}, ordered {line['qty']}")
        price = item.get("price")
        expect(isinstance(price, int | float) and abs(price - placed.prices[line["sku"]]) < 0.005,
               "orders.get.items",
               f"{line['sku']}: price {price!r}, selling price {placed.prices[line['sku']]}")


@pytest.mark.clause("orders.get.total")
def test_get_shows_the_total_of_creation(api: Api, placed: Placed) -> None:
    total = order_data(api, placed.number).get("total")
    expect(isinstance(total, int | float) and abs(total - placed.total) < 0.005,
           "orders.get.total", f"order {placed.number}: total {total!r}, created {placed.total!r}")


@pytest.mark.clause("orders.get.order_status")
def test_get_shows_the_status_of_creation(api: Api, placed: Placed, waiting: Placed) -> None:
    for order in (placed, waiting):
        status = order_data(api, order.number).get("order_status")
        expect(status == order.status, "orders.get.order_status",
               f"order {order.number}: status {status!r}, created as {order.status!r}")


@pytest.mark.clause("orders.po_number")
def test_get_shows_the_po_number(api: Api, log, placed: Placed, waiting: Placed) -> None:
    got = order_data(api, placed.number).get("po_number")
    expect(got == placed.po_number, "orders.po_number",
           f"order {placed.number}: po_number {got!r}, created with {placed.po_number!r}")
    data = order_data(api, waiting.number)
    reading = ("absent" if "po_number" not in data else
               "null" if data["po_number"] is None else
               "an empty string" if data["po_number"] == "" else "system generated")
    record_reading(log, "orders.po_number", f"an order created without one: po_number {reading}")


@pytest.mark.clause("orders.get.currency")
def test_currency_is_cny(api: Api, placed: Placed) -> None:
    currency = order_data(api, placed.number).get("currency")
    expect(currency == "CNY", "orders.get.currency", f"currency is {currency!r}")


@pytest.mark.clause("orders.get.created_at")
def test_created_at_is_iso_8601_in_utc8(api: Api, placed: Placed) -> None:
    created = order_data(api, placed.number).get("created_at")
    expect(utc8(created), "orders.get.created_at",
           f"created_at {created!r} is not an ISO 8601 date-time with a +08:00 offset")


@pytest.mark.clause("orders.get.not_found")
def test_an_unknown_order_is_refused(api: Api, log) -> None:
    reply = api.get_order("999999999999")
    if not refused_or_ok(reply, "orders.get.not_found", "an unknown order"):
        violated("orders.get.not_found", f"an unknown order answered {reply.describe()}")
    record_reading(log, "orders.get.not_found", f"an unknown order gets {reply.status}")


def walk(api: Api, **params: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    found: list[dict[str, Any]] = []
    first: dict[str, Any] = {}
    for page in range(1, MAX_PAGES + 1):
        body = expect_ok(api.list_orders(page=page, page_size=100, **params),
                         "orders.list.orders", f"listing orders, page {page}")
        data = body.get("response_data") or {}
        first = first or data
        orders = data.get("orders") or []
        found.extend(orders)
        if not orders or len(found) >= (data.get("total_count") or 0):
            break
    return found, first


def numbers(found: list[dict[str, Any]]) -> set[str]:
    return {str(o.get("order_number")) for o in found if isinstance(o, dict)}


@pytest.mark.clause("orders.list.orders")
def test_new_orders_are_listed(api: Api, placed: Placed, waiting: Placed) -> None:
    found, _ = walk(api)
    missing = {placed.number, waiting.number} - numbers(found)
    expect(not missing, "orders.list.orders", f"new orders missing from the list: {missing}")


@pytest.mark.clause("orders.list.response.counts")
def test_counts_agree_with_the_pages(api: Api, placed: Placed) -> None:
    found, first = walk(api)
    total, pages = first.get("total_count"), first.get("total_pages")
    if isinstance(total, int) and total > MAX_PAGES * 100:
        pytest.skip("too many orders to walk them all")
    expect(total == len(found), "orders.list.response.counts",
           f"total_count {total!r}, but the pages hold {len(found)} orders")
    expected = math.ceil(total / 100) if isinstance(total, int) else None
    expect(pages in ({expected, 1} if total == 0 else {expected}), "orders.list.response.counts",
           f"total_pages {pages!r} for {total} orders at 100 a page, expected {expected}")


@pytest.mark.clause("orders.list.page_size.default")
def test_the_default_page_size_is_twenty(api: Api, placed: Placed) -> None:
    data = expect_ok(api.list_orders(), "orders.list.orders", "listing orders").get(
        "response_data") or {}
    total = data.get("total_count") or 0
    got = len(data.get("orders") or [])
    expect(got == min(20, total), "orders.list.page_size.default",
           f"a list without page_size holds {got} orders of {total}, expected {min(20, total)}")


@pytest.mark.clause("orders.list.page_size.max")
def test_page_size_above_the_maximum_is_refused_or_clamped(api: Api, log) -> None:
    # The region suite, which runs first, leaves the customer well over 100 orders.
    reply = api.list_orders(page_size=1000)
    if refused_or_ok(reply, "orders.list.page_size.max", "page_size 1000"):
        record_reading(log, "orders.list.page_size.max", "page_size 1000 refused")
        return
    got = len((reply.data or {}).get("orders") or [])
    expect(got <= 100, "orders.list.page_size.max", f"page_size 1000 answered {got} orders")
    if ((reply.data or {}).get("total_count") or 0) <= 100:
        pytest.skip("100 orders or fewer: a clamp and no clamp look alike")
    record_reading(log, "orders.list.page_size.max", "page_size 1000 clamped to 100")


@pytest.mark.clause("orders.list.page.below_one")
def test_page_below_one_is_refused_or_read_as_one(api: Api, log, placed: Placed) -> None:
    reply = api.list_orders(page=0, page_size=5)
    expect(reply.status < 500, "orders.list.page.below_one", f"page 0: {reply.describe()}")
    if refused_or_ok(reply, "orders.list.page.below_one", "page 0"):
        record_reading(log, "orders.list.page.below_one", "page 0 refused")
        return
    first = expect_ok(api.list_orders(page=1, page_size=5), "orders.list.orders", "page 1")
    expect(numbers((reply.data or {}).get("orders") or []) ==
           numbers((first.get("response_data") or {}).get("orders") or []),
           "orders.list.page.below_one", "page 0 answered other orders than page 1")
    record_reading(log, "orders.list.page.below_one", "page 0 read as 1")


@pytest.mark.clause("orders.list.status_filter")
def test_the_status_filter_keeps_only_that_status(api: Api, placed: Placed,
                                                  waiting: Placed) -> None:
    found, _ = walk(api, status="waiting_confirmation")
    others = sorted({str(o.get("order_status")) for o in found} - {"waiting_confirmation"})
    expect(not others, "orders.list.status_filter",
           f"status=waiting_confirmation listed orders in {others}")
    expect(waiting.number in numbers(found), "orders.list.status_filter",
           f"status=waiting_confirmation left out order {waiting.number}")
    expect(placed.number not in numbers(found), "orders.list.status_filter",
           f"status=waiting_confirmation listed po_submitted order {placed.number}")


@pytest.mark.clause("orders.list.start_date")
def test_date_filters_include_and_exclude_by_creation(api: Api, placed: Placed) -> None:
    today = datetime.now(timezone(UTC8)).date()
    inside, _ = walk(api, start_date=str(today - timedelta(days=2)),
                     end_date=str(today + timedelta(days=2)))
    expect(placed.number in numbers(inside), "orders.list.start_date",
           f"order {placed.number} of today is missing from {today - timedelta(days=2)} .. "
           f"{today + timedelta(days=2)}")
    future, _ = walk(api, start_date=str(today + timedelta(days=3)))
    expect(placed.number not in numbers(future), "orders.list.start_date",
           f"start_date {today + timedelta(days=3)} still lists order {placed.number} of today")
    past, _ = walk(api, end_date=str(today - timedelta(days=3)))
    expect(placed.number not in numbers(past), "orders.list.end_date",
           f"end_date {today - timedelta(days=3)} still lists order {placed.number} of today")


@pytest.mark.clause("orders.list.order.fields")
def test_listed_orders_carry_utc8_timestamps(api: Api, placed: Placed) -> None:
    found, _ = walk(api)
    mine = next((o for o in found if str(o.get("order_number")) == placed.number), None)
    expect(mine is not None, "orders.list.orders", f"order {placed.number} is not listed")
    expect(utc8(mine.get("created_at")), "orders.list.order.fields",
           f"listed created_at {mine.get('created_at')!r} has no +08:00 offset")


@pytest.mark.clause("logistics.track_info_list")
def test_logistics_of_an_order_have_the_documented_shape(api: Api, placed: Placed) -> None:
    body = expect_ok(api.logistics(placed.number), "logistics.order_id",
                     f"logistics of {placed.number}")
    fields = {
        "logistic_info_list": ("order_id", "delivery_carrier", "delivery_order_id"),
        "track_info_list": ("track_msg_time", "track_content", "track_operator", "lat", "lng"),
    }
    for name, keys in fields.items():
        entries = body.get(name)
        expect(isinstance(entries, list), f"logistics.{name}", f"{name} is {entries!r}")
        wrong = [e for e in entries if not isinstance(e, dict)
                 or not all(isinstance(e.get(k), str) for k in keys)]
        expect(not wrong, f"logistics.{name}", f"{name} entries without string {keys}: "
               f"{wrong[:2]}")


@pytest.mark.clause("logistics.example_data")
def test_logistics_of_an_unknown_order_are_refused_or_example_data(api: Api, log) -> None:
    # The endpoint answers example data for now, so answering any id is a reading too.
    reply = api.logistics("999999999999")
    refused = refused_or_ok(reply, "logistics.example_data", "logistics of an unknown order")
    record_reading(log, "logistics.example_data",
                   "an unknown order's logistics are refused" if refused else
                   "logistics answer example data for any order id")
