"""Order endpoints of the sandbox: create, read, list, cancel, logistics, isolation."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from conformance.sandbox import SandboxConfig, create_app
from conformance.sandbox.catalog import TEST_TYPE
from conformance.sandbox.params import date_bound
from conformance.sandbox.regions import region_forms
from conformance.sandbox.store import CHINA_TZ, Address, OrderLine, OrderStore
from conformance.specfiles import load_regions

from tests.sandbox_support import AUTH_A, AUTH_B, BASE, CATALOG, TestClient

SIMPLE = [p for p in CATALOG.products if p.type == TEST_TYPE and p.group_id is None]
ONE = next(p for p in SIMPLE if p.min_sell_qty == 1 and p.stock > 10)
FIVE = next(p for p in SIMPLE if p.min_sell_qty == 5)


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(SandboxConfig()))


def create(client: TestClient, body: Any, headers: dict[str, str] = AUTH_A) -> Any:
    return client.post(f"{BASE}/order", json=body, headers=headers)


def place(client: TestClient, headers: dict[str, str] = AUTH_A, **extra: Any) -> str:
    response = create(client, {"items": [{"sku": ONE.sku, "qty": 2}], **extra}, headers)
    assert response.status_code == 200, response.text
    return response.json()["order_number"]


def orders_page(
    client: TestClient, headers: dict[str, str] = AUTH_A, **query: Any
) -> Any:
    response = client.get(f"{BASE}/orders", params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["response_data"]


def stored(client: TestClient, number: str) -> Any:
    order = client.app.state.sandbox.store.get(1, number)  # type: ignore[attr-defined]
    assert order is not None
    return order


# ---- create -------------------------------------------------------------------


def test_create_with_and_without_po_number(client: TestClient) -> None:
    with_po = create(
        client, {"po_number": "PO-1", "items": [{"sku": ONE.sku, "qty": 3}]}
    ).json()
    without = create(client, {"items": [{"sku": FIVE.sku, "qty": 5}]}).json()

    assert with_po == {
        "code": 200,
        "msg": "success",
        "order_number": "000000001",
        "order_status": "po_submitted",
        "total": round(3 * ONE.price, 2),
    }
    assert without["order_number"] == "000000002"
    assert without["order_status"] == "waiting_confirmation"


def test_total_is_rounded_sum_of_lines(client: TestClient) -> None:
    items = [{"sku": ONE.sku, "qty": 7}, {"sku": FIVE.sku, "qty": 11}]
    total = create(client, {"items": items}).json()["total"]

    assert isinstance(total, float)
    assert total == round(7 * ONE.price + 11 * FIVE.price, 2)


def test_address_defaults_and_quantity_above_stock(client: TestClient) -> None:
    scarce = next(p for p in SIMPLE if p.stock == 0 and p.min_sell_qty == 1)
    number = place(client, items=[{"sku": scarce.sku, "qty": 1}])
    address = stored(client, number).address

    assert (address.firstname, address.lastname, address.street, address.city) == (
        "Shoppy",
        "MN",
        "UB",
        "UB",
    )
    assert (address.postcode, address.country_id, address.telephone) == (
        "18010",
        "CN",
        "111-222-3333",
    )
    assert address.state is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"items": []},
        {"items": {"sku": "x", "qty": 1}},
        {"items": [{"sku": "no-such-sku", "qty": 1}]},
        {"items": [{"qty": 1}]},
        {"items": [{"sku": ONE.sku}]},
        {"items": [{"sku": ONE.sku, "qty": 0}]},
        {"items": [{"sku": ONE.sku, "qty": 1.5}]},
        {"items": [{"sku": ONE.sku, "qty": True}]},
        {"items": [{"sku": FIVE.sku, "qty": 4}]},
        {"items": [{"sku": ONE.sku, "qty": 1}, {"sku": "no-such-sku", "qty": 1}]},
        {"items": [{"sku": ONE.sku, "qty": 1}], "po_number": 12},
        {"items": [{"sku": ONE.sku, "qty": 1}], "city": ["UB"]},
        {"items": [{"sku": ONE.sku, "qty": 1}], "state": "Atlantis"},
        {"items": [{"sku": ONE.sku, "qty": 1}], "po_number": None},
        {"items": [{"sku": ONE.sku, "qty": 1}], "telephone": None},
    ],
)
def test_invalid_orders_are_400_and_store_nothing(
    client: TestClient, body: Any
) -> None:
    assert create(client, body).status_code == 400
    assert orders_page(client)["total_count"] == 0
    assert place(client) == "000000001"


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(f"{BASE}/order", content=b"items=1", headers=AUTH_A)

    assert response.status_code == 400


def test_every_form_of_every_region_is_accepted(client: TestClient) -> None:
    regions = load_regions()
    assert len(regions) == 34
    for region in regions:
        for form in region_forms(region):
            spellings = {form, form.upper(), form.lower()} if form.isascii() else {form}
            for spelling in spellings:
                number = place(client, state=spelling)
                assert stored(client, number).address.state == region["code"], spelling


def test_state_outside_china_is_stored_as_given(client: TestClient) -> None:
    number = place(client, country_id="MN", state="Ulaanbaatar")

    assert stored(client, number).address.state == "Ulaanbaatar"


# ---- get, cancel, logistics ---------------------------------------------------


def test_get_order(client: TestClient) -> None:
    number = place(client, po_number="PO-7")
    body = client.get(f"{BASE}/orders/{number}", headers=AUTH_A).json()
    data = body["response_data"]
    created = datetime.fromisoformat(data["created_at"])

    assert body["code"] == 200
    assert data["order_number"] == number
    assert (data["order_status"], data["po_number"], data["currency"]) == (
        "po_submitted",
        "PO-7",
        "CNY",
    )
    assert data["items"] == [{"sku": ONE.sku, "qty": 2, "price": ONE.price}]
    assert data["total"] == round(2 * ONE.price, 2)
    assert data["created_at"].endswith("+08:00")
    assert abs(datetime.now(CHINA_TZ) - created) < timedelta(minutes=1)


def test_order_without_po_number_reports_null(client: TestClient) -> None:
    number = place(client)
    data = client.get(f"{BASE}/orders/{number}", headers=AUTH_A).json()["response_data"]

    assert data["po_number"] is None
    assert data["order_status"] == "waiting_confirmation"


def test_cancel_once_then_400(client: TestClient) -> None:
    number = place(client)
    url = f"{BASE}/orders/{number}/cancel"

    first = client.post(url, headers=AUTH_A)
    second = client.post(url, headers=AUTH_A)
    data = client.get(f"{BASE}/orders/{number}", headers=AUTH_A).json()["response_data"]

    assert first.json() == {
        "code": 200,
        "msg": "success",
        "order_number": number,
        "order_status": "canceled",
    }
    assert second.status_code == 400
    assert data["order_status"] == "canceled"


def test_logistics_example_data(client: TestClient) -> None:
    number = place(client)
    body = client.get(f"{BASE}/orders/{number}/logistics", headers=AUTH_A).json()

    assert "code" not in body
    assert body["order_id"] == number
    assert body["logistic_info_list"][0]["order_id"] == number
    assert len(body["track_info_list"]) >= 2
    for event in body["track_info_list"]:
        assert all(isinstance(value, str) for value in event.values())
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", event["track_msg_time"])


@pytest.mark.parametrize(
    "path", ["orders/{n}", "orders/{n}/cancel", "orders/{n}/logistics"]
)
def test_foreign_and_unknown_orders_are_404(client: TestClient, path: str) -> None:
    number = place(client, headers=AUTH_B)
    method = client.post if path.endswith("cancel") else client.get

    for missing in (number, "000000999", "abc"):
        assert (
            method(f"{BASE}/{path.format(n=missing)}", headers=AUTH_A).status_code
            == 404
        )
    assert method(f"{BASE}/{path.format(n=number)}", headers=AUTH_B).status_code == 200


# ---- list ---------------------------------------------------------------------


def test_list_is_newest_first_and_per_customer(client: TestClient) -> None:
    mine = [place(client) for _ in range(3)]
    theirs = place(client, headers=AUTH_B)
    data = orders_page(client)

    assert [o["order_number"] for o in data["orders"]] == mine[::-1]
    assert theirs not in {o["order_number"] for o in data["orders"]}
    assert (
        data["total_count"],
        data["page_size"],
        data["current_page"],
        data["total_pages"],
    ) == (
        3,
        20,
        1,
        1,
    )
    assert data["orders"][0]["items_count"] == 1
    assert data["orders"][0]["currency"] == "CNY"


def test_list_pagination_and_status_filter(client: TestClient) -> None:
    numbers = [place(client, po_number=f"PO-{i}") for i in range(5)]
    client.post(f"{BASE}/orders/{numbers[0]}/cancel", headers=AUTH_A)

    page2 = orders_page(client, page=2, page_size=2)
    past = orders_page(client, page=9, page_size=2)
    canceled = orders_page(client, status="canceled")

    assert [o["order_number"] for o in page2["orders"]] == [numbers[2], numbers[1]]
    assert page2["total_pages"] == 3 and page2["current_page"] == 2
    assert past["orders"] == [] and past["total_count"] == 5
    assert [o["order_number"] for o in canceled["orders"]] == [numbers[0]]


def test_list_page_size_clamp_and_reject() -> None:
    clamped = orders_page(TestClient(create_app(SandboxConfig())), page_size=101)
    strict = TestClient(create_app(SandboxConfig(page_size_mode="reject")))

    assert clamped["page_size"] == 100
    assert (
        strict.get(
            f"{BASE}/orders", params={"page_size": 101}, headers=AUTH_A
        ).status_code
        == 400
    )


def test_list_date_filters(client: TestClient) -> None:
    place(client)
    today = datetime.now(CHINA_TZ).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)

    assert orders_page(client, end_date=today.isoformat())["total_count"] == 1
    assert orders_page(client, start_date=today.isoformat())["total_count"] == 1
    assert orders_page(client, end_date=yesterday.isoformat())["total_count"] == 0
    assert orders_page(client, start_date=tomorrow.isoformat())["total_count"] == 0
    assert (
        orders_page(client, start_date=f"{yesterday}T00:00:00+08:00")["total_count"]
        == 1
    )


def test_date_bounds_against_a_fixed_clock() -> None:
    moments = iter(
        [
            datetime(2026, 12, 3, 23, 59, 59, tzinfo=CHINA_TZ),
            datetime(2026, 12, 4, 0, 0, 0, tzinfo=CHINA_TZ),
            datetime(2026, 12, 4, 23, 59, 59, tzinfo=CHINA_TZ),
            datetime(2026, 12, 5, 0, 0, 0, tzinfo=CHINA_TZ),
        ]
    )
    store = OrderStore(clock=lambda: next(moments))
    for _ in range(4):
        store.create(1, [OrderLine(ONE.sku, 1, Decimal("1.00"))], Address(), None)

    def count(start: str | None, end: str | None) -> int:
        bounds = date_bound(start, "start", end=False), date_bound(end, "end", end=True)
        return store.search(1, start=bounds[0], end=bounds[1])[0]

    assert count("2026-12-04", "2026-12-04") == 2
    assert count(None, "2026-12-04T00:00:00") == 2
    assert count("2026-12-03T16:00:00Z", None) == 3
    assert count("2026-12-05", None) == 1


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "x"},
        {"page_size": "0"},
        {"page_size": "2.5"},
        {"start_date": "yesterday"},
        {"end_date": "2026-13-01"},
        {"start_date": ""},
        {"page": ""},
    ],
)
def test_bad_list_query_is_400(client: TestClient, query: dict[str, str]) -> None:
    assert client.get(f"{BASE}/orders", params=query, headers=AUTH_A).status_code == 400


def test_orders_persist_in_a_database_file(tmp_path: Any) -> None:
    path = str(tmp_path / "orders.sqlite")
    first = TestClient(create_app(SandboxConfig(db_path=path)))
    number = place(first)
    again = TestClient(create_app(SandboxConfig(db_path=path)))

    assert again.get(f"{BASE}/orders/{number}", headers=AUTH_A).status_code == 200
    assert place(again) == "000000002"


def test_a_page_number_beyond_64_bits_is_an_empty_page():
    from starlette.testclient import TestClient

    from conformance.sandbox import TOKEN_A, create_app

    client = TestClient(create_app())
    answer = client.get("/rest/V1/external/orders", params={"page": 2**70},
                        headers={"Authorization": f"Bearer {TOKEN_A}"})
    assert answer.status_code == 200
    assert answer.json()["response_data"]["orders"] == []
