"""Orders the suites create: recognisable, recorded, and canceled when the run ends."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from conformance.api import Api, Reply
from conformance.checks import expect, expect_ok
from conformance.discovery import Catalog

if TYPE_CHECKING:
    from conformance.context import RunContext

CREATE = "orders.create.single_step"


@dataclass
class Placed:
    """An order the run placed, with what it asked for and what creation answered."""

    number: str
    po_number: str | None
    status: str
    total: Any
    lines: list[dict[str, Any]]
    prices: dict[str, float]


class OrderBook:
    """Places orders for the suites and records each for the end-of-run cancellation."""

    def __init__(self, api: Api, context: RunContext, catalog: Catalog) -> None:
        self.api = api
        self.context = context
        self.catalog = catalog
        self._serial = itertools.count(1)

    @property
    def po_prefix(self) -> str:
        return f"PC-{self.context.settings.run_id}-"

    def next_po(self) -> str:
        return f"{self.po_prefix}{next(self._serial)}"

    def products(self, count: int) -> list[dict[str, Any]]:
        """Products whose stock comfortably covers an order of their minimum quantity."""
        found = [p for p in self.catalog.products
                 if isinstance(p.get("stock"), int) and isinstance(p.get("min_sell_qty"), int)
                 and p["min_sell_qty"] >= 1 and p["stock"] >= max(20, 4 * p["min_sell_qty"])
                 and isinstance(p.get("selling_price"), int | float)]
        if len(found) < count:
            pytest.skip(f"fewer than {count} products with ample stock to order")
        return found[:count]

    def lines(self, count: int = 1) -> list[dict[str, Any]]:
        return [{"sku": p["sku_id"], "qty": p["min_sell_qty"]} for p in self.products(count)]

    def send(self, body: Any) -> Reply:
        """Send a create request and record the order if one was made."""
        if self.context.order_budget_left() <= 0:
            pytest.skip(f"the run's order budget (--max-orders "
                        f"{self.context.settings.max_orders}) is spent")
        reply = self.api.create_order(body)
        number = reply.body.get("order_number") if isinstance(reply.body, dict) else None
        if reply.status // 100 == 2 and isinstance(number, str | int) and str(number):
            self.context.record_order(str(number), "suite")
        return reply

    def place(self, *, po: bool = True, count: int = 1, **extra: Any) -> Placed:
        """Place a valid order; a refusal breaks the create clause."""
        lines = self.lines(count)
        body: dict[str, Any] = {"items": lines, **extra}
        po_number = self.next_po() if po else None
        if po_number:
            body["po_number"] = po_number
        answer = expect_ok(self.send(body), CREATE, "creating a valid order")
        number = answer.get("order_number")
        expect(isinstance(number, str) and number, "orders.create.response.order_number",
               f"order_number is {number!r}")
        prices = {p["sku_id"]: p["selling_price"] for p in self.products(count)}
        return Placed(number, po_number, answer.get("order_status"), answer.get("total"),
                      lines, prices)

    def canceled(self, number: str) -> None:
        """Note that a suite canceled one of the run's orders itself."""
        for order in self.context.created_orders:
            if order.order_number == number:
                order.cancel_outcome = "canceled"

    def count(self) -> int:
        """The customer's total number of orders, from the list."""
        data = expect_ok(self.api.list_orders(), "orders.list.orders", "listing orders")
        total = (data.get("response_data") or {}).get("total_count")
        expect(isinstance(total, int), "orders.list.response.counts",
               f"total_count is {total!r}")
        return total
