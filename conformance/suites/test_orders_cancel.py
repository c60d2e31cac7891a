"""Order scenarios: POST /orders/{n}/cancel on the run's own orders."""

from __future__ import annotations

import pytest

from conformance.api import Api, record_reading
from conformance.checks import expect, expect_ok, refused_or_ok, violated
from conformance.orders import OrderBook

pytestmark = pytest.mark.orders


def status_of(api: Api, number: str) -> object:
    body = expect_ok(api.get_order(number), "orders.get.lookup", f"getting order {number}")
    return (body.get("response_data") or {}).get("order_status")


def listed_status(api: Api, number: str) -> object:
    for page in range(1, 51):
        body = expect_ok(api.list_orders(page=page, page_size=100), "orders.list.orders",
                         f"listing orders, page {page}")
        orders = (body.get("response_data") or {}).get("orders") or []
        for order in orders:
            if str(order.get("order_number")) == number:
                return order.get("order_status")
        if not orders:
            break
    return None


@pytest.mark.clause("orders.cancel.allowed_states")
@pytest.mark.parametrize("po", [True, False], ids=["po_submitted", "waiting_confirmation"])
def test_an_open_order_can_be_canceled(api: Api, orders: OrderBook, po: bool) -> None:
    placed = orders.place(po=po)
    body = expect_ok(api.cancel_order(placed.number), "orders.cancel.allowed_states",
                     f"canceling {placed.status} order {placed.number}")
    orders.canceled(placed.number)
    expect(body.get("order_status") == "canceled", "orders.cancel.response.order_status",
           f"cancel answered order_status {body.get('order_status')!r}")
    expect(str(body.get("order_number")) == placed.number, "orders.cancel.response.order_number",
           f"cancel answered order_number {body.get('order_number')!r} for {placed.number}")
    expect(status_of(api, placed.number) == "canceled", "orders.cancel.allowed_states",
           f"after cancel, get shows {status_of(api, placed.number)!r}")
    expect(listed_status(api, placed.number) == "canceled", "orders.cancel.allowed_states",
           f"after cancel, the list shows {listed_status(api, placed.number)!r}")


@pytest.mark.clause("orders.cancel.refused")
def test_a_canceled_order_cannot_be_canceled_again(api: Api, orders: OrderBook, log) -> None:
    placed = orders.place()
    expect_ok(api.cancel_order(placed.number), "orders.cancel.allowed_states",
              f"canceling {placed.number}")
    orders.canceled(placed.number)
    again = api.cancel_order(placed.number)
    if not refused_or_ok(again, "orders.cancel.refused", "canceling twice"):
        violated("orders.cancel.allowed_states",
                 f"a canceled order was canceled again: {again.describe()}")
    record_reading(log, "orders.cancel.refused", f"a second cancel gets {again.status}")
    expect(status_of(api, placed.number) == "canceled", "orders.cancel.allowed_states",
           "a refused second cancel changed the order's status")


@pytest.mark.clause("general.unknown_resource")
def test_canceling_an_unknown_order_is_refused(api: Api) -> None:
    reply = api.cancel_order("999999999999")
    if not refused_or_ok(reply, "general.unknown_resource", "canceling an unknown order"):
        violated("general.unknown_resource",
                 f"canceling an unknown order answered {reply.describe()}")
