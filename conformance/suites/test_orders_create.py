"""Order scenarios: POST /order, its statuses, totals and refusals."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.api import record_reading
from conformance.checks import expect, expect_refused, refused_or_ok
from conformance.orders import OrderBook

pytestmark = pytest.mark.orders


@pytest.mark.clause("orders.create.status.po_submitted")
def test_an_order_with_a_po_number_is_po_submitted(orders: OrderBook) -> None:
    placed = orders.place(po=True)
    expect(placed.status == "po_submitted", "orders.create.status.po_submitted",
           f"order {placed.number} created with a po_number is {placed.status!r}")


@pytest.mark.clause("orders.create.status.waiting_confirmation")
def test_an_order_without_a_po_number_waits_for_confirmation(orders: OrderBook) -> None:
    placed = orders.place(po=False)
    expect(placed.status == "waiting_confirmation", "orders.create.status.waiting_confirmation",
           f"order {placed.number} created without a po_number is {placed.status!r}")


@pytest.mark.clause("orders.create.response.total")
def test_the_total_is_quantity_times_selling_price(orders: OrderBook) -> None:
    placed = orders.place(count=2)
    expected = round(sum(line["qty"] * placed.prices[line["sku"]] for line in placed.lines), 2)
    total = placed.total
    expect(isinstance(total, int | float) and not isinstance(total, bool)
           and abs(total - expected) < 0.011, "orders.create.response.total",
           f"order {placed.number}: total {total!r}, expected {expected} "
           f"(sum of qty x selling_price)")


@pytest.mark.clause("orders.create.default.address")
def test_a_full_address_is_accepted(orders: OrderBook) -> None:
    placed = orders.place(
        firstname="Test", lastname="Partner", street="1 Conformance Road", city="Erenhot",
        postcode="011100", country_id="CN", telephone="+8613800000000", state="CN-NM",
    )
    expect(placed.number, "orders.create.default.address", "no order number")


def refusals(orders: OrderBook) -> list[tuple[str, str, Any]]:
    sku, minimum = orders.lines(1)[0]["sku"], orders.lines(1)[0]["qty"]
    unknown = "no-such-sku-000000"
    cases = [
        ("orders.create.items.required", "no items", {"po_number": orders.next_po()}),
        ("orders.create.items.required", "empty items",
         {"po_number": orders.next_po(), "items": []}),
        ("orders.create.items.fields", "a line without qty",
         {"po_number": orders.next_po(), "items": [{"sku": sku}]}),
        ("orders.create.qty.bounds", "qty 0",
         {"po_number": orders.next_po(), "items": [{"sku": sku, "qty": 0}]}),
        ("orders.create.qty.bounds", "qty -1",
         {"po_number": orders.next_po(), "items": [{"sku": sku, "qty": -1}]}),
        ("orders.create.single_step", "an unknown SKU on the second line",
         {"po_number": orders.next_po(),
          "items": [{"sku": sku, "qty": minimum}, {"sku": unknown, "qty": 1}]}),
    ]
    return cases


@pytest.mark.clause("orders.create.single_step")
def test_refused_orders_are_refused_and_leave_nothing_behind(orders: OrderBook) -> None:
    before = orders.count()
    for clause, what, body in refusals(orders):
        expect_refused(orders.send(body), clause, f"an order with {what}")
    expect_refused(orders.api.call("POST", "/order", raw=b'{"items": [{"sku": '),
                   "orders.create.items.required", "an order whose body is not JSON")
    after = orders.count()
    expect(after == before, "orders.create.single_step",
           f"refused orders changed the order count from {before} to {after}")


@pytest.mark.clause("orders.create.min_sell_qty")
def test_a_quantity_below_the_minimum_is_refused(orders: OrderBook) -> None:
    product = next((p for p in orders.catalog.products
                    if isinstance(p.get("min_sell_qty"), int) and p["min_sell_qty"] >= 2
                    and isinstance(p.get("stock"), int) and p["stock"] >= p["min_sell_qty"]),
                   None)
    if product is None:
        pytest.skip("no product with a min_sell_qty of 2 or more")
    before = orders.count()
    body = {"po_number": orders.next_po(),
            "items": [{"sku": product["sku_id"], "qty": product["min_sell_qty"] - 1}]}
    expect_refused(orders.send(body), "orders.create.min_sell_qty",
                   f"{product['min_sell_qty'] - 1} of {product['sku_id']} "
                   f"(min_sell_qty {product['min_sell_qty']})")
    expect(orders.count() == before, "orders.create.single_step",
           "a refused order still changed the order count")


@pytest.mark.clause("orders.create.above_stock")
def test_a_quantity_above_stock_is_refused_or_accepted(orders: OrderBook, log) -> None:
    product = orders.products(1)[0]
    body = {"po_number": orders.next_po(),
            "items": [{"sku": product["sku_id"], "qty": product["stock"] + 1000}]}
    refused = refused_or_ok(orders.send(body), "orders.create.above_stock", "above stock")
    record_reading(log, "orders.create.above_stock",
                   "a quantity above stock is refused" if refused else
                   "a quantity above stock is accepted")


@pytest.mark.clause("orders.create.state.unrecognised")
def test_an_unrecognised_state_is_refused_or_accepted(orders: OrderBook, log) -> None:
    body = {"po_number": orders.next_po(), "items": orders.lines(1), "country_id": "CN",
            "state": "Atlantis Province"}
    refused = refused_or_ok(orders.send(body), "orders.create.state.unrecognised",
                            "an unrecognised state")
    record_reading(log, "orders.create.state.unrecognised",
                   "an unrecognised state is refused" if refused else "accepted")
