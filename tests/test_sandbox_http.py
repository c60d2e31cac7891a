"""Cross-cutting sandbox behaviour: auth, error styles and HTTP conventions.

The faults have their own module, test_sandbox_faults.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from conformance.sandbox import TOKEN_A, TOKEN_B, SandboxConfig, create_app
from conformance.sandbox.catalog import TEST_TYPE
from conformance.sandbox.store import CHINA_TZ

from tests.sandbox_support import BASE, CATALOG, TestClient

AUTH = {"Authorization": f"Bearer {TOKEN_A}"}
SIMPLE = next(
    p for p in CATALOG.products if p.type == TEST_TYPE and p.min_sell_qty == 1
)

# (method, path, JSON body) of one valid call per documented operation; "{n}" is an
# order number created beforehand.
OPERATIONS = [
    ("POST", "/products", {"type": "test"}),
    ("GET", f"/product/detail/{SIMPLE.sku}", None),
    ("POST", "/availability/check", {"skus": [{"sku": SIMPLE.sku, "quantity": 1}]}),
    ("POST", "/order", {"items": [{"sku": SIMPLE.sku, "qty": 1}]}),
    ("GET", "/orders/{n}", None),
    ("POST", "/orders/{n}/cancel", None),
    ("GET", "/orders", None),
    ("GET", "/orders/{n}/logistics", None),
    ("GET", "/categories", None),
]


def make_client(**config: Any) -> TestClient:
    client = TestClient(create_app(SandboxConfig(**config)))
    # A fixed clock makes answers of two sandboxes comparable field by field.
    client.app.state.sandbox.store.clock = lambda: datetime(
        2026, 12, 4, 23, 53, 7, tzinfo=CHINA_TZ
    )  # type: ignore[attr-defined]
    return client


def call(
    client: TestClient,
    operation: tuple[str, str, Any],
    number: str,
    headers: dict[str, str],
) -> Any:
    method, path, body = operation
    return client.request(
        method, BASE + path.format(n=number), json=body, headers=headers
    )


def place_order(client: TestClient) -> str:
    response = client.post(
        f"{BASE}/order", json={"items": [{"sku": SIMPLE.sku, "qty": 1}]}, headers=AUTH
    )
    return response.json()["order_number"]


# ---- authentication -----------------------------------------------------------


@pytest.mark.parametrize(
    "operation", OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": TOKEN_A},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer nope"},
    ],
    ids=["missing", "no-scheme", "basic", "unknown-token"],
)
def test_every_operation_requires_a_known_bearer_token(
    operation: tuple[str, str, Any], headers: dict[str, str]
) -> None:
    client = make_client()
    number = place_order(client)

    response = call(client, operation, number, headers)

    assert response.status_code == 401
    assert isinstance(response.json(), dict) and response.json()["message"]
    assert call(client, operation, number, AUTH).status_code == 200


def test_both_tokens_work_and_scheme_is_case_insensitive() -> None:
    client = make_client()

    for header in (f"Bearer {TOKEN_B}", f"bearer {TOKEN_A}"):
        assert (
            client.get(
                f"{BASE}/categories", headers={"Authorization": header}
            ).status_code
            == 200
        )


# ---- error bodies and HTTP conventions ----------------------------------------


def test_magento_error_style() -> None:
    response = make_client().get(f"{BASE}/product/detail/nope", headers=AUTH)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"message", "parameters"}
    assert response.json()["parameters"] == []


def test_envelope_error_style() -> None:
    client = make_client(error_style="envelope")

    missing = client.get(f"{BASE}/product/detail/nope", headers=AUTH).json()
    bad = client.post(f"{BASE}/products", json={}, headers=AUTH).json()
    anonymous = client.get(f"{BASE}/categories").json()

    assert missing["code"] == 404 and missing["msg"]
    assert bad["code"] == 400 and set(bad) == {"code", "msg"}
    assert anonymous["code"] == 401


def test_undeclared_method_is_405_with_allow() -> None:
    client = make_client()

    put = client.put(f"{BASE}/products", headers=AUTH)
    delete = client.delete(f"{BASE}/orders/000000001", headers=AUTH)

    assert put.status_code == 405 and put.headers["allow"] == "POST"
    assert delete.status_code == 405 and "GET" in delete.headers["allow"]
    assert "message" in put.json()


@pytest.mark.parametrize(
    "path", ["/rest/V1/external/nothing", "/", f"{BASE}/categories/"]
)
def test_unknown_path_is_404_json(path: str) -> None:
    response = make_client().get(path, headers=AUTH)

    assert response.status_code == 404
    assert isinstance(response.json(), dict)


def test_config_rejects_unknown_settings() -> None:
    with pytest.raises(ValueError, match="stock_negative"):
        SandboxConfig(faults={"no_such_fault"})
    with pytest.raises(ValueError):
        SandboxConfig(error_style="xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SandboxConfig(page_size_mode="wrap")  # type: ignore[arg-type]
    assert SandboxConfig(faults="stock_negative").faults == {"stock_negative"}  # type: ignore[arg-type]
