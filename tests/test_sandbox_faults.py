"""Every injectable fault of the sandbox breaks what it names, and nothing else."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from conformance.sandbox import FAULTS, SandboxConfig, create_app
from conformance.sandbox.catalog import TEST_TYPE
from conformance.sandbox.orders import ORDER_PAGE_MAX
from conformance.sandbox.regions import RegionTable, alias_forms, named_forms
from conformance.sandbox.store import CHINA_TZ, CUSTOMER_A, Address, OrderLine
from conformance.specfiles import load_clauses, load_regions

from tests.sandbox_support import AUTH_A, AUTH_B, BASE, CATALOG, TestClient

TEST_PRODUCTS = [p for p in CATALOG.products if p.type == TEST_TYPE]
SIMPLE = next(
    p
    for p in TEST_PRODUCTS
    if p.group_id is None and p.min_sell_qty == 1 and p.stock > 10
)
FIVE = next(p for p in TEST_PRODUCTS if p.group_id is None and p.min_sell_qty == 5)
GROUPED = next(p for p in TEST_PRODUCTS if p.group_id is not None)
EMPTY = next(p for p in TEST_PRODUCTS if p.stock == 0)
SCARCE = next(p for p in TEST_PRODUCTS if 0 < p.stock < 10)
DAIRY = next(c.id for c in CATALOG.categories.values() if c.name_en == "Dairy")
ONE_ITEM = [{"sku": SIMPLE.sku, "qty": 1}]


def make_client(*faults: str) -> TestClient:
    # Unhandled errors become 500 answers, as they would over HTTP.
    client = TestClient(
        create_app(SandboxConfig(faults=frozenset(faults))),
        raise_server_exceptions=False,
    )
    # A fixed clock makes answers of two sandboxes comparable field by field.
    client.app.state.sandbox.store.clock = lambda: datetime(
        2026, 12, 4, 23, 53, 7, tzinfo=CHINA_TZ
    )  # type: ignore[attr-defined]
    return client


# ---- requests -----------------------------------------------------------------


def list_status(client: TestClient, body: Any, headers: Any = AUTH_A) -> int:
    return client.post(f"{BASE}/products", json=body, headers=headers).status_code


def products(client: TestClient, **body: Any) -> Any:
    response = client.post(
        f"{BASE}/products", json={"type": "test", **body}, headers=AUTH_A
    )
    assert response.status_code == 200, response.text
    return response.json()["response_data"]


def skus(data: Any) -> list[str]:
    return [item["sku_id"] for item in data["list"]]


def detail(client: TestClient, sku: str) -> Any:
    return client.get(f"{BASE}/product/detail/{sku}", headers=AUTH_A).json()


def availability(client: TestClient, sku: str, quantity: int) -> Any:
    body = {"skus": [{"sku": sku, "quantity": quantity}]}
    response = client.post(f"{BASE}/availability/check", json=body, headers=AUTH_A)
    return response.json()


def category_nodes(client: TestClient) -> list[dict[str, Any]]:
    response = client.get(f"{BASE}/categories", headers=AUTH_A)
    nodes, pending = [], list(response.json()["response_data"])
    while pending:
        node = pending.pop()
        nodes.append(node)
        pending.extend(node["children"])
    return nodes


def create(client: TestClient, headers: Any = AUTH_A, **body: Any) -> Any:
    body = {"items": ONE_ITEM, **body}
    return client.post(f"{BASE}/order", json=body, headers=headers)


def place(client: TestClient, headers: Any = AUTH_A, **body: Any) -> str:
    response = create(client, headers, **body)
    assert response.status_code == 200, response.text
    return response.json()["order_number"]


def get_order(client: TestClient, number: str) -> Any:
    response = client.get(f"{BASE}/orders/{number}", headers=AUTH_A)
    return response.json()["response_data"]


def cancel(client: TestClient, number: str, headers: Any = AUTH_A) -> Any:
    return client.post(f"{BASE}/orders/{number}/cancel", headers=headers)


def list_orders(client: TestClient, headers: Any = AUTH_A, **query: Any) -> Any:
    response = client.get(f"{BASE}/orders", params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["response_data"]


# ---- one probe per fault ------------------------------------------------------

Probe = Callable[[TestClient], bool]
PROBES: dict[str, Probe] = {}


def probe(check: Probe) -> Probe:
    """Register a check, named after its fault, telling whether a sandbox commits it."""
    PROBES[check.__name__] = check
    return check


@probe
def default_page_size_10(client: TestClient) -> bool:
    data = products(client)
    return data["page_size"] == 10 and len(data["list"]) == 10


@probe
def page_size_cap_100(client: TestClient) -> bool:
    data = products(client, page_size=500)
    return data["page_size"] == 100 and len(data["list"]) == 100


@probe
def page_size_uncapped(client: TestClient) -> bool:
    data = products(client, page_size=1000)
    return data["page_size"] == 1000 and len(data["list"]) == len(TEST_PRODUCTS)


@probe
def pages_floor(client: TestClient) -> bool:
    return products(client, page_size=500)["pages"] == 1


@probe
def total_unfiltered(client: TestClient) -> bool:
    data = products(client, page_size=500, filters={"category_id": DAIRY})
    return data["total"] == len(TEST_PRODUCTS) > len(data["list"])


@probe
def page_overlap(client: TestClient) -> bool:
    first, second = products(client), products(client, page_num=2)
    return skus(first)[-1] == skus(second)[0]


@probe
def past_last_repeats(client: TestClient) -> bool:
    last = products(client, page_size=500, page_num=2)
    return skus(products(client, page_size=500, page_num=3)) == skus(last) != []


@probe
def page_size_zero_crash(client: TestClient) -> bool:
    return list_status(client, {"type": "test", "page_size": 0}) == 500


@probe
def page_num_zero_wraps(client: TestClient) -> bool:
    tail = [p.sku for p in TEST_PRODUCTS[-40:]]
    zero = client.post(
        f"{BASE}/products", json={"type": "test", "page_num": 0}, headers=AUTH_A
    )
    return (
        zero.status_code == 200
        and skus(zero.json()["response_data"]) == tail[20:]
        and skus(products(client, page_num=-1)) == tail[:20]
    )


@probe
def type_ignored(client: TestClient) -> bool:
    return skus(products(client, type="retail")) == skus(products(client))


@probe
def type_optional(client: TestClient) -> bool:
    return list_status(client, {}) == 200


@probe
def category_no_descendants(client: TestClient) -> bool:
    data = products(client, page_size=500, filters={"category_id": DAIRY})
    return {item["category_id"] for item in data["list"]} == {DAIRY}


@probe
def keyword_ignored(client: TestClient) -> bool:
    data = products(client, page_size=500, filters={"keyword": "cup noodles"})
    return len(data["list"]) == 500


@probe
def brand_exact(client: TestClient) -> bool:
    lower = products(client, filters={"brand": "rabbit"})["total"]
    whole = products(client, filters={"brand": "Golden Rabbit"})["list"]
    return lower == 0 and {item["brand_name"] for item in whole} == {"Golden Rabbit"}


@probe
def filters_or(client: TestClient) -> bool:
    data = products(
        client, page_size=500, filters={"category_id": DAIRY, "brand": "rabbit"}
    )
    return any(
        item["category_id"] not in CATALOG.subtree(DAIRY) for item in data["list"]
    )


@probe
def language_default_cn(client: TestClient) -> bool:
    items = products(client, language=None)["list"] + products(client)["list"]
    return all(
        item["category_name"] == CATALOG.categories[item["category_id"]].name_cn
        for item in items
    )


@probe
def selling_price_string(client: TestClient) -> bool:
    item = products(client)["list"][0]
    return item["selling_price"] == f"{CATALOG.product(item['sku_id']).price:.2f}"


@probe
def stock_negative(client: TestClient) -> bool:
    return products(client)["list"][0]["stock"] == -1


@probe
def min_sell_qty_zero(client: TestClient) -> bool:
    quantities = [item["min_sell_qty"] for item in products(client)["list"]]
    return quantities[0] == 0 and min(quantities[1:]) >= 1


@probe
def dimensions_no_unit(client: TestClient) -> bool:
    item = products(client)["list"][0]
    product = CATALOG.product(item["sku_id"])
    return (
        item["length"] == product.length.removesuffix("/mm")
        and item["height"].isdigit()
        and item["weight"] == product.weight
    )


@probe
def missing_auth_products(client: TestClient) -> bool:
    return list_status(client, {"type": "test"}, headers={}) == 200


@probe
def detail_price_differs(client: TestClient) -> bool:
    price = detail(client, SIMPLE.sku)["products"][0]["selling_price"]
    return price == round(SIMPLE.price * 1.1, 2)


@probe
def simple_detail_duplicated(client: TestClient) -> bool:
    answer = detail(client, SIMPLE.sku)
    skus = [item["sku_id"] for item in answer["products"]]
    return answer["variants"] == [] and skus == [SIMPLE.sku, SIMPLE.sku]


def offered_and_chosen(client: TestClient) -> tuple[set[Any], list[set[Any]]]:
    """A group's (variant, option) pairs on offer, and each child's pairs."""
    answer = detail(client, GROUPED.sku)
    offered = {
        (variant["variant_id"], option["option_id"])
        for variant in answer["variants"]
        for option in variant["options"]
    }
    chosen = [
        {(pair["variant_id"], pair["option_id"]) for pair in item["variant_options"]}
        for item in answer["products"]
    ]
    return offered, chosen


@probe
def variant_option_dangling(client: TestClient) -> bool:
    offered, chosen = offered_and_chosen(client)
    return [pairs <= offered for pairs in chosen] == [True, True, True, False]


@probe
def variant_combination_duplicate(client: TestClient) -> bool:
    _, chosen = offered_and_chosen(client)
    return chosen[-1] == chosen[0] and len(chosen) == 4


@probe
def detail_unknown_200(client: TestClient) -> bool:
    response = client.get(f"{BASE}/product/detail/nope", headers=AUTH_A)
    return response.status_code == 200 and (
        response.json()["variants"],
        response.json()["products"],
    ) == ([], [])


@probe
def availability_lists_all(client: TestClient) -> bool:
    listed = availability(client, SIMPLE.sku, 1)["unavailable_skus"]
    return listed == [{"sku": SIMPLE.sku, "can_purchase": False}]


@probe
def availability_can_purchase_true(client: TestClient) -> bool:
    listed = availability(client, EMPTY.sku, 1)["unavailable_skus"]
    return listed == [{"sku": EMPTY.sku, "can_purchase": True}]


@probe
def availability_ignores_quantity(client: TestClient) -> bool:
    return availability(client, SCARCE.sku, SCARCE.stock + 1)["unavailable_skus"] == []


@probe
def availability_unknown_available(client: TestClient) -> bool:
    return availability(client, "nope", 1)["unavailable_skus"] == []


@probe
def delivery_price_negative(client: TestClient) -> bool:
    return availability(client, SIMPLE.sku, 1)["delivery_price"] == -25.5


@probe
def availability_missing_skus_ok(client: TestClient) -> bool:
    response = client.post(f"{BASE}/availability/check", json={}, headers=AUTH_A)
    return response.status_code == 200 and response.json()["unavailable_skus"] == []


@probe
def categories_level_zero(client: TestClient) -> bool:
    nodes = category_nodes(client)
    return all(
        node["level"] == CATALOG.categories[node["id"]].level - 1 for node in nodes
    )


@probe
def categories_duplicate_id(client: TestClient) -> bool:
    nodes = category_nodes(client)
    # The copied id makes a category look like its own child.
    selfish = [n for n in nodes if n["id"] in {c["id"] for c in n["children"]}]
    return len(nodes) == len(CATALOG.categories) and len(selfish) == 1


@probe
def category_missing_from_tree(client: TestClient) -> bool:
    nodes = category_nodes(client)
    missing = set(CATALOG.categories) - {node["id"] for node in nodes}
    return (
        len(nodes) == len(CATALOG.categories) - 1
        and [CATALOG.categories[c].level for c in missing] == [3]
        and any(p.category_id in missing for p in TEST_PRODUCTS)
    )


@probe
def server_error_categories(client: TestClient) -> bool:
    return client.get(f"{BASE}/categories", headers=AUTH_A).status_code == 500


@probe
def status_swapped(client: TestClient) -> bool:
    with_po = create(client, po_number="PO-1").json()["order_status"]
    without = get_order(client, place(client))["order_status"]
    return (with_po, without) == ("waiting_confirmation", "po_submitted")


@probe
def total_adds_delivery(client: TestClient) -> bool:
    answer = create(client).json()
    stored = get_order(client, answer["order_number"])["total"]
    return answer["total"] == stored == round(SIMPLE.price + 25.5, 2)


@probe
def region_alias_rejected(client: TestClient) -> bool:
    alias = create(client, state="Tibet").status_code
    return alias == 400 and create(client, state="Xizang").status_code == 200


@probe
def min_sell_qty_ignored(client: TestClient) -> bool:
    below = create(client, items=[{"sku": FIVE.sku, "qty": 1}])
    return below.status_code == 200


@probe
def failed_create_leaves_order(client: TestClient) -> bool:
    refused = create(client, items=[*ONE_ITEM, {"sku": "nope", "qty": 1}])
    orders = list_orders(client)["orders"]
    return refused.status_code == 400 and [o["items_count"] for o in orders] == [1]


@probe
def created_at_utc(client: TestClient) -> bool:
    return get_order(client, place(client))["created_at"] == "2026-12-04T15:53:07Z"


@probe
def get_order_price_wrong(client: TestClient) -> bool:
    return get_order(client, place(client))["items"][0]["price"] == 0.0


@probe
def po_number_dropped(client: TestClient) -> bool:
    return get_order(client, place(client, po_number="PO-1"))["po_number"] is None


@probe
def currency_usd(client: TestClient) -> bool:
    return get_order(client, place(client))["currency"] == "USD"


@probe
def foreign_order_visible(client: TestClient) -> bool:
    number = place(client)
    seen = client.get(f"{BASE}/orders/{number}", headers=AUTH_B)
    tracked = client.get(f"{BASE}/orders/{number}/logistics", headers=AUTH_B)
    return seen.status_code == tracked.status_code == 200


@probe
def orders_page_size_uncapped(client: TestClient) -> bool:
    store = client.app.state.sandbox.store  # type: ignore[attr-defined]
    line = OrderLine(SIMPLE.sku, 1, Decimal("1.00"))
    for _ in range(ORDER_PAGE_MAX + 1):
        store.create(CUSTOMER_A, [line], Address(), None)
    return len(list_orders(client, page_size=150)["orders"]) == ORDER_PAGE_MAX + 1


@probe
def status_filter_ignored(client: TestClient) -> bool:
    place(client)
    return list_orders(client, status="canceled")["orders"] != []


@probe
def date_filter_ignored(client: TestClient) -> bool:
    place(client)
    return list_orders(client, end_date="2000-01-01")["orders"] != []


@probe
def orders_total_count_page(client: TestClient) -> bool:
    for _ in range(3):
        place(client)
    data = list_orders(client, page_size=2)
    return (data["total_count"], data["total_pages"]) == (2, 2)


@probe
def foreign_orders_listed(client: TestClient) -> bool:
    place(client)
    return list_orders(client, AUTH_B)["orders"] != []


@probe
def cancel_status_wrong(client: TestClient) -> bool:
    return cancel(client, place(client)).json()["order_status"] == "cancelled"


@probe
def cancel_twice_ok(client: TestClient) -> bool:
    number = place(client)
    cancel(client, number)
    stored = get_order(client, number)["order_status"]
    again = cancel(client, number)
    return stored == "canceled" and again.status_code == 200


@probe
def cancel_not_stored(client: TestClient) -> bool:
    number = place(client)
    answered = cancel(client, number).json()["order_status"]
    return (answered, get_order(client, number)["order_status"]) == (
        "canceled",
        "waiting_confirmation",
    )


@probe
def foreign_cancel_allowed(client: TestClient) -> bool:
    number = place(client)
    return cancel(client, number, AUTH_B).status_code == 200


@probe
def missing_auth_logistics(client: TestClient) -> bool:
    number = place(client)
    return client.get(f"{BASE}/orders/{number}/logistics").status_code == 200


@probe
def logistics_no_tracking(client: TestClient) -> bool:
    number = place(client)
    answer = client.get(f"{BASE}/orders/{number}/logistics", headers=AUTH_A).json()
    return "track_info_list" not in answer and answer["logistic_info_list"] != []


def test_every_fault_has_a_known_clause_and_a_probe() -> None:
    clauses = load_clauses()

    assert set(PROBES) == set(FAULTS)
    for name, fault in FAULTS.items():
        assert fault.name == name
        assert fault.clause in clauses, fault.clause


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_fault_breaks_what_it_names(name: str) -> None:
    shows_fault = PROBES[name]

    assert shows_fault(make_client(name))
    assert not shows_fault(make_client())


# ---- nothing else changes -----------------------------------------------------

# (method, path, JSON body) of one valid call per documented operation; "{n}" is an
# order number created beforehand.
OPERATIONS = [
    ("POST", "/products", {"type": "test"}),
    ("GET", f"/product/detail/{SIMPLE.sku}", None),
    ("POST", "/availability/check", {"skus": [{"sku": SIMPLE.sku, "quantity": 1}]}),
    ("POST", "/order", {"items": ONE_ITEM}),
    ("GET", "/orders/{n}", None),
    ("POST", "/orders/{n}/cancel", None),
    ("GET", "/orders", None),
    ("GET", "/orders/{n}/logistics", None),
    ("GET", "/categories", None),
]
LIST, DETAIL, AVAILABILITY, CREATE, GET, CANCEL, ORDERS, LOGISTICS, CATEGORIES = range(
    len(OPERATIONS)
)

# The (operation, sent without a token) pairs whose answers a fault changes; a fault
# not named here changes none of them.
FAULT_EFFECTS: dict[str, set[tuple[int, bool]]] = {
    "default_page_size_10": {(LIST, False)},
    "language_default_cn": {(LIST, False)},
    "selling_price_string": {(LIST, False)},
    "stock_negative": {(LIST, False)},
    "min_sell_qty_zero": {(LIST, False)},
    "dimensions_no_unit": {(LIST, False)},
    "missing_auth_products": {(LIST, True)},
    "detail_price_differs": {(DETAIL, False)},
    "simple_detail_duplicated": {(DETAIL, False)},
    "availability_lists_all": {(AVAILABILITY, False)},
    "delivery_price_negative": {(AVAILABILITY, False)},
    "categories_level_zero": {(CATEGORIES, False)},
    "categories_duplicate_id": {(CATEGORIES, False)},
    "category_missing_from_tree": {(CATEGORIES, False)},
    "server_error_categories": {(CATEGORIES, False)},
    "status_swapped": {(CREATE, False), (GET, False), (ORDERS, False)},
    "total_adds_delivery": {(CREATE, False), (GET, False), (ORDERS, False)},
    "created_at_utc": {(GET, False)},
    "get_order_price_wrong": {(GET, False)},
    "currency_usd": {(GET, False)},
    "cancel_status_wrong": {(CANCEL, False)},
    "cancel_not_stored": {(ORDERS, False)},
    "missing_auth_logistics": {(LOGISTICS, True)},
    "logistics_no_tracking": {(LOGISTICS, False)},
}


def transcript(client: TestClient) -> dict[tuple[int, bool], tuple[int, Any]]:
    """Status and body of every operation, with and without a token, in order."""
    number = place(client)
    answers = {}
    for anonymous in (True, False):
        for index, (method, path, body) in enumerate(OPERATIONS):
            response = client.request(
                method,
                BASE + path.format(n=number),
                json=body,
                headers={} if anonymous else AUTH_A,
            )
            answers[(index, anonymous)] = (response.status_code, response.json())
    return answers


@functools.cache
def clean_transcript() -> dict[tuple[int, bool], tuple[int, Any]]:
    return transcript(make_client())


def test_fault_effects_name_known_faults() -> None:
    assert set(FAULT_EFFECTS) <= set(FAULTS)


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_fault_changes_no_other_answer(name: str) -> None:
    clean = clean_transcript()
    faulty = transcript(make_client(name))

    changed = {key for key in clean if clean[key] != faulty[key]}

    assert changed == FAULT_EFFECTS.get(name, set())


# ---- details the probes leave out ---------------------------------------------


def test_region_alias_fault_refuses_only_the_aliases() -> None:
    records = load_regions()
    table = RegionTable(records)

    for record in records:
        for form in named_forms(record):
            assert table.resolve(form, aliases=False) == record["code"], form
        for form in alias_forms(record):
            assert table.resolve(form) == record["code"], form
            assert table.resolve(form, aliases=False) is None, form
    assert {a for r in records for a in alias_forms(r)} == {
        "HK",
        "Macau",
        "MO",
        "Inner Mongolia",
        "Tibet",
    }


def test_failed_create_keeps_only_the_lines_before_the_bad_one() -> None:
    client = make_client("failed_create_leaves_order")
    items = [*ONE_ITEM, {"sku": "nope", "qty": 1}, ONE_ITEM[0]]

    assert create(client, items=items).status_code == 400
    assert create(client, items=[{"sku": "nope", "qty": 1}]).status_code == 400
    (order,) = list_orders(client)["orders"]
    assert get_order(client, order["order_number"])["items"] == [
        {"sku": SIMPLE.sku, "qty": 1, "price": SIMPLE.price}
    ]


def test_availability_faults_keep_the_delivery_price_rule() -> None:
    listed = make_client("availability_lists_all")
    unknown = make_client("availability_unknown_available")

    assert availability(listed, SIMPLE.sku, 1)["delivery_price"] == 25.5
    assert availability(listed, EMPTY.sku, 1)["delivery_price"] == 0.0
    assert availability(unknown, "nope", 1)["delivery_price"] == 25.5
