"""Catalog scenarios: POST /availability/check against the stock the list reports."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.api import Api, Reply, record_reading
from conformance.checks import expect, expect_ok, expect_refused, refused_or_ok
from conformance.discovery import Catalog

pytestmark = pytest.mark.catalog

UNKNOWN = "no-such-sku-000000"


def in_stock(catalog: Catalog, count: int) -> list[dict[str, Any]]:
    """Products whose stock comfortably covers their minimum order quantity."""
    found = [p for p in catalog.products
             if isinstance(p.get("stock"), int) and isinstance(p.get("min_sell_qty"), int)
             and p["stock"] >= max(10, 2 * p["min_sell_qty"])]
    if len(found) < count:
        pytest.skip(f"fewer than {count} products with ample stock")
    return found[:count]


def order_qty(product: dict[str, Any]) -> int:
    return max(1, product["min_sell_qty"])


def unavailable(reply: Reply, what: str) -> dict[str, Any]:
    body = expect_ok(reply, "availability.only_unavailable", what)
    entries = body.get("unavailable_skus")
    expect(isinstance(entries, list), "availability.unavailable_skus",
           f"{what}: unavailable_skus is not an array")
    return {e.get("sku"): e for e in entries if isinstance(e, dict)}


@pytest.mark.clause("availability.consistent_with_stock")
def test_a_quantity_in_stock_is_available(api: Api, catalog: Catalog) -> None:
    product = in_stock(catalog, 1)[0]
    listed = unavailable(api.availability([{"sku": product["sku_id"],
                                            "quantity": order_qty(product)}]), "in stock")
    expect(product["sku_id"] not in listed, "availability.consistent_with_stock",
           f"{product['sku_id']} with stock {product['stock']} is reported unavailable "
           f"for {order_qty(product)}")


@pytest.mark.clause("availability.consistent_with_stock")
def test_a_quantity_above_stock_is_unavailable(api: Api, catalog: Catalog) -> None:
    product = in_stock(catalog, 1)[0]
    quantity = product["stock"] + 1000
    listed = unavailable(api.availability([{"sku": product["sku_id"], "quantity": quantity}]),
                         "above stock")
    expect(product["sku_id"] in listed, "availability.consistent_with_stock",
           f"{product['sku_id']} with stock {product['stock']} is reported available "
           f"for {quantity}")


@pytest.mark.clause("availability.consistent_with_stock")
def test_a_product_without_stock_is_unavailable(api: Api, catalog: Catalog) -> None:
    empty = next((p for p in catalog.products if p.get("stock") == 0), None)
    if empty is None:
        pytest.skip("no product with stock 0")
    quantity = max(1, empty.get("min_sell_qty") or 1)
    listed = unavailable(api.availability([{"sku": empty["sku_id"], "quantity": quantity}]),
                         "no stock")
    expect(empty["sku_id"] in listed, "availability.consistent_with_stock",
           f"{empty['sku_id']} has stock 0 but is reported available")


@pytest.mark.clause("availability.only_unavailable")
def test_only_unavailable_skus_are_listed(api: Api, catalog: Catalog) -> None:
    first, second, third = in_stock(catalog, 3)
    request = [
        {"sku": first["sku_id"], "quantity": order_qty(first)},
        {"sku": second["sku_id"], "quantity": second["stock"] + 1000},
        {"sku": third["sku_id"], "quantity": order_qty(third)},
    ]
    listed = unavailable(api.availability(request), "mixed request")
    expect(set(listed) == {second["sku_id"]}, "availability.only_unavailable",
           f"expected only {second['sku_id']} listed, got {sorted(listed)}")


@pytest.mark.clause("availability.can_purchase_false")
def test_listed_skus_cannot_be_purchased(api: Api, catalog: Catalog) -> None:
    product = in_stock(catalog, 1)[0]
    request = [{"sku": product["sku_id"], "quantity": product["stock"] + 1000}]
    listed = unavailable(api.availability(request), "above stock")
    wrong = [s for s, e in listed.items() if e.get("can_purchase") is not False]
    expect(not wrong, "availability.can_purchase_false",
           f"unavailable entries without can_purchase false: {wrong}")


@pytest.mark.clause("general.unknown_resource")
def test_an_unknown_sku_is_unavailable(api: Api, log) -> None:
    reply = api.availability([{"sku": UNKNOWN, "quantity": 1}])
    if refused_or_ok(reply, "general.unknown_resource", "unknown SKU"):
        record_reading(log, "general.unknown_resource", "an unknown SKU is refused with a 4xx")
        return
    listed = unavailable(reply, "unknown SKU")
    expect(UNKNOWN in listed, "general.unknown_resource",
           "an unknown SKU is reported available (not in unavailable_skus)")
    record_reading(log, "general.unknown_resource", "an unknown SKU is listed unavailable")


@pytest.mark.clause("availability.delivery_price")
def test_delivery_price_is_a_non_negative_number(api: Api, catalog: Catalog) -> None:
    product = in_stock(catalog, 1)[0]
    body = expect_ok(api.availability([{"sku": product["sku_id"],
                                        "quantity": order_qty(product)}]),
                     "availability.only_unavailable", "in stock")
    price = body.get("delivery_price")
    expect(isinstance(price, int | float) and not isinstance(price, bool) and price >= 0,
           "availability.delivery_price", f"delivery_price is {price!r}")


@pytest.mark.clause("availability.skus.required")
@pytest.mark.parametrize("body", [{}, {"skus": "SKU"}, {"skus": {"sku": "A", "quantity": 1}}],
                         ids=["no-skus", "skus-string", "skus-object"])
def test_a_request_without_a_skus_array_is_refused(api: Api, body: dict) -> None:
    expect_refused(api.call("POST", "/availability/check", json_body=body),
                   "availability.skus.required", f"body {body}")


@pytest.mark.clause("availability.skus.fields")
@pytest.mark.parametrize("entry", [{"sku": "A"}, {"quantity": 1}], ids=["no-quantity", "no-sku"])
def test_an_entry_without_sku_or_quantity_is_refused(api: Api, entry: dict) -> None:
    expect_refused(api.availability([entry]), "availability.skus.fields", f"entry {entry}")


@pytest.mark.clause("availability.skus.required")
def test_a_malformed_body_is_refused(api: Api) -> None:
    expect_refused(api.call("POST", "/availability/check", raw=b'{"skus": ['),
                   "availability.skus.required", "a body that is not JSON")


@pytest.mark.clause("availability.skus.empty")
def test_an_empty_skus_array_is_refused_or_all_available(api: Api, log) -> None:
    reply = api.availability([])
    if refused_or_ok(reply, "availability.skus.empty", "empty skus"):
        record_reading(log, "availability.skus.empty", "an empty skus array is refused")
        return
    listed = unavailable(reply, "empty skus")
    expect(not listed, "availability.skus.empty", f"empty skus listed {sorted(listed)}")
    record_reading(log, "availability.skus.empty", "an empty skus array lists nothing")
