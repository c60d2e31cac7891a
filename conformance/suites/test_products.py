"""Catalog scenarios: pagination, filters and fields of POST /products."""

from __future__ import annotations

import math

import pytest

from conformance.api import Api, record_reading
from conformance.checks import expect, expect_ok, refused_or_ok
from conformance.discovery import Catalog, walk_products

pytestmark = pytest.mark.catalog

LIST = "products.response.list"


def page(api: Api, what: str, **body: object) -> dict:
    """response_data of a 200 listing."""
    data = expect_ok(api.products(**body), LIST, what).get("response_data")
    expect(isinstance(data, dict), LIST, f"{what}: response_data is not an object")
    return data


def skus(data: dict) -> list[str]:
    return [p.get("sku_id") for p in data.get("list") or []]


def need_products(catalog: Catalog, count: int = 1) -> None:
    if catalog.total < count:
        pytest.skip(f"the server lists fewer than {count} products of type test")


@pytest.mark.clause("products.page_num.default")
def test_omitted_page_num_is_page_one(api: Api, catalog: Catalog) -> None:
    need_products(catalog)
    omitted = page(api, "page_num omitted", type="test", page_size=5)
    first = page(api, "page_num 1", type="test", page_num=1, page_size=5)
    expect(omitted.get("page_num") == 1, "products.page_num.default",
           f"page_num omitted reported page_num {omitted.get('page_num')!r}, not 1")
    expect(skus(omitted) == skus(first), "products.page_num.default",
           "page_num omitted did not answer the same products as page_num 1")


@pytest.mark.clause("products.page_size.default")
def test_omitted_page_size_is_twenty(api: Api, catalog: Catalog) -> None:
    data = page(api, "page_size omitted", type="test")
    expected = min(20, catalog.total)
    expect(data.get("page_size") == 20, "products.page_size.default",
           f"page_size omitted reported page_size {data.get('page_size')!r}, not 20")
    expect(len(skus(data)) == expected, "products.page_size.default",
           f"page_size omitted gave {len(skus(data))} products, expected {expected}")


@pytest.mark.clause("products.page_size.default")
@pytest.mark.parametrize("size", [1, 7, 100, 500])
def test_page_sizes_up_to_the_maximum_are_honoured(api: Api, catalog: Catalog, size: int) -> None:
    data = page(api, f"page_size {size}", type="test", page_size=size)
    expected = min(size, catalog.total)
    expect(len(skus(data)) == expected, "products.page_size.default",
           f"page_size {size} gave {len(skus(data))} products, expected {expected} "
           f"(total {catalog.total})")


@pytest.mark.clause("products.page_size.max")
@pytest.mark.parametrize("size", [501, 1000])
def test_page_size_above_the_maximum_is_refused_or_clamped(api: Api, log, size: int) -> None:
    reply = api.products(type="test", page_size=size)
    if refused_or_ok(reply, "products.page_size.max", f"page_size {size}"):
        record_reading(log, "products.page_size.max", f"page_size {size} refused with a 4xx")
        return
    items = (reply.data or {}).get("list") or []
    expect(len(items) <= 500, "products.page_size.max",
           f"page_size {size} answered {len(items)} products, more than the maximum 500")
    record_reading(log, "products.page_size.max", f"page_size {size} clamped to 500")


@pytest.mark.clause("products.response.pagination")
@pytest.mark.parametrize("size", [7, 20, 500])
def test_pages_is_total_over_page_size_rounded_up(api: Api, size: int) -> None:
    data = page(api, f"page_size {size}", type="test", page_size=size)
    total, pages = data.get("total"), data.get("pages")
    expected = math.ceil(total / size) if isinstance(total, int) else None
    allowed = {expected, 1} if total == 0 else {expected}
    expect(pages in allowed, "products.response.pagination",
           f"total {total} at page_size {size} reported pages {pages!r}, expected {expected}")


@pytest.mark.clause("products.pagination.partition")
def test_walking_the_pages_yields_every_product_once(api: Api, catalog: Catalog) -> None:
    need_products(catalog, 3)
    size = min(500, max(1, math.ceil(catalog.total / 3)))
    if math.ceil(catalog.total / size) > 20:
        pytest.skip("the catalog is too big to walk in 20 pages")
    products, total, _ = walk_products(api, {"type": "test"}, page_size=size)
    seen = [p.get("sku_id") for p in products]
    repeated = sorted({s for s in seen if seen.count(s) > 1})
    expect(not repeated, "products.pagination.partition",
           f"walking pages of {size} returned some products twice: {repeated[:5]}")
    expect(len(seen) == total, "products.pagination.partition",
           f"walking pages of {size} returned {len(seen)} products, but total is {total}")


@pytest.mark.clause("products.pagination.partition")
def test_a_page_past_the_last_is_empty(api: Api, log, catalog: Catalog) -> None:
    need_products(catalog)
    size = 20
    last = math.ceil(catalog.total / size)
    reply = api.products(type="test", page_num=last + 1, page_size=size)
    if refused_or_ok(reply, "products.pagination.partition", f"page {last + 1} of {last}"):
        record_reading(log, "products.pagination.partition", "a page past the last is refused")
        return
    data = reply.data or {}
    expect(not data.get("list"), "products.pagination.partition",
           f"page {last + 1} of {last} is not empty: {len(data.get('list') or [])} products")
    expect(data.get("total") == catalog.total, "products.pagination.partition",
           f"page {last + 1} reported total {data.get('total')}, page 1 reported {catalog.total}")


@pytest.mark.clause("products.paging.below_one")
@pytest.mark.parametrize("field", ["page_num", "page_size"])
@pytest.mark.parametrize("value", [0, -1])
def test_values_below_one_are_refused_or_read_as_one(
    api: Api, log, catalog: Catalog, field: str, value: int
) -> None:
    body = {"type": "test", "page_size": 5, field: value}
    reply = api.products(**body)
    # Refused or read as 1, the documentation's readings; a crash is neither.
    expect(reply.status < 500, "products.paging.below_one", f"{field} {value}: {reply.describe()}")
    if refused_or_ok(reply, "products.paging.below_one", f"{field} {value}"):
        record_reading(log, "products.paging.below_one", f"{field} {value} refused with a 4xx")
        return
    got = skus(reply.data or {})
    if field == "page_num":
        first = skus(page(api, "page 1", type="test", page_size=5))
        expect(got == first, "products.paging.below_one",
               f"page_num {value} answered other products than page 1")
    else:
        expect(len(got) <= min(1, catalog.total), "products.paging.below_one",
               f"page_size {value} answered {len(got)} products; read as 1 it allows one")
    record_reading(log, "products.paging.below_one", f"{field} {value} read as 1")


@pytest.mark.clause("products.type.required")
def test_type_is_required(api: Api) -> None:
    reply = api.products(page_num=1, page_size=5)
    expect(reply.status < 500, "general.server_error", f"no type: {reply.describe()}")
    expect(reply.refused, "products.type.required",
           f"a listing without type was answered {reply.describe()}")


@pytest.mark.clause("products.type.only_test")
@pytest.mark.parametrize("value", ["no-such-type", "TEST-other"])
def test_other_types_list_nothing(api: Api, log, catalog: Catalog, value: str) -> None:
    need_products(catalog)
    reply = api.products(type=value)
    if refused_or_ok(reply, "products.type.only_test", f"type {value!r}"):
        record_reading(log, "products.type.only_test", "another type is refused with a 4xx")
        return
    data = reply.data or {}
    expect(not data.get("list") and data.get("total") == 0, "products.type.only_test",
           f"type {value!r} listed {len(data.get('list') or [])} products "
           f"(total {data.get('total')!r})")
    record_reading(log, "products.type.only_test", "another type gives an empty list")
