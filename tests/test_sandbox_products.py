"""Catalog endpoints of the sandbox: list, detail, availability and categories."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.sandbox import TOKEN_A, SandboxConfig, create_app
from conformance.sandbox.catalog import TEST_TYPE

from tests.sandbox_support import BASE, CATALOG, TestClient

AUTH = {"Authorization": f"Bearer {TOKEN_A}"}
TEST_PRODUCTS = [p for p in CATALOG.products if p.type == TEST_TYPE]


def make_client(**config: Any) -> TestClient:
    return TestClient(create_app(SandboxConfig(**config)))


@pytest.fixture(scope="module")
def client() -> TestClient:
    # The catalog endpoints never write, so one client serves the whole module.
    return make_client()


def list_products(client: TestClient, **body: Any) -> Any:
    response = client.post(
        f"{BASE}/products", json={"type": "test", **body}, headers=AUTH
    )
    assert response.status_code == 200, response.text
    return response.json()["response_data"]


def list_status(client: TestClient, body: Any) -> int:
    return client.post(f"{BASE}/products", json=body, headers=AUTH).status_code


def all_skus(client: TestClient, **body: Any) -> list[str]:
    return [
        item["sku_id"] for item in list_products(client, page_size=500, **body)["list"]
    ]


# ---- list: type and pagination ------------------------------------------------


def test_defaults_envelope_and_item_fields(client: TestClient) -> None:
    response = client.post(f"{BASE}/products", json={"type": "test"}, headers=AUTH)
    body = response.json()
    data = body["response_data"]
    item = data["list"][0]

    assert (body["code"], body["msg"]) == (200, "success")
    assert (data["page_num"], data["page_size"]) == (1, 20)
    assert data["total"] == len(TEST_PRODUCTS)
    assert data["pages"] == -(-len(TEST_PRODUCTS) // 20)
    assert [i["sku_id"] for i in data["list"]] == [p.sku for p in TEST_PRODUCTS[:20]]
    assert isinstance(item["selling_price"], float)
    assert isinstance(item["sku_pics"], list) and item["sku_pics"]
    assert {"length", "width", "height", "weight", "category_name"} <= set(item)


def test_other_types_are_never_listed(client: TestClient) -> None:
    listed = set(all_skus(client)) | set(all_skus(client, page_num=2))
    retail = {p.sku for p in CATALOG.products if p.type != TEST_TYPE}

    assert listed == {p.sku for p in TEST_PRODUCTS}
    assert not listed & retail
    assert list_products(client, type="retail") == {
        "page_num": 1,
        "page_size": 20,
        "total": 0,
        "pages": 0,
        "list": [],
    }


def test_full_page_of_500_then_second_page(client: TestClient) -> None:
    first = list_products(client, page_size=500)
    second = list_products(client, page_size=500, page_num=2)
    beyond = list_products(client, page_size=500, page_num=3)

    assert len(first["list"]) == 500
    assert len(second["list"]) == len(TEST_PRODUCTS) - 500
    assert first["pages"] == second["pages"] == 2
    assert beyond["list"] == [] and beyond["total"] == len(TEST_PRODUCTS)


def test_page_size_above_500_is_clamped_or_rejected() -> None:
    clamped = list_products(make_client(), page_size=501)

    assert clamped["page_size"] == 500 and len(clamped["list"]) == 500
    assert (
        list_status(
            make_client(page_size_mode="reject"), {"type": "test", "page_size": 501}
        )
        == 400
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"type": None},
        {"type": 7},
        {"type": "test", "page_num": 0},
        {"type": "test", "page_size": 0},
        {"type": "test", "page_num": "2"},
        {"type": "test", "page_size": 2.5},
        {"type": "test", "page_num": True},
        {"type": "test", "language": "fr"},
        {"type": "test", "filters": []},
        {"type": "test", "filters": {"category_id": "28677"}},
        {"type": "test", "filters": {"keyword": 5}},
        {"type": "test", "filters": {"brand": None}},
        {"type": "test", "filters": None},
        {"type": "test", "page_num": None},
    ],
)
def test_bad_list_input_is_400(client: TestClient, body: dict[str, Any]) -> None:
    assert list_status(client, body) == 400


def test_malformed_bodies_are_400(client: TestClient) -> None:
    url = f"{BASE}/products"

    assert client.post(url, content=b"{not json", headers=AUTH).status_code == 400
    assert client.post(url, json=["test"], headers=AUTH).status_code == 400
    assert client.post(url, headers=AUTH).status_code == 400


# ---- list: filters and language -----------------------------------------------


def test_category_filter_includes_descendants(client: TestClient) -> None:
    root = CATALOG.categories[CATALOG.roots[0]]
    subtree = CATALOG.subtree(root.id)
    expected = [p.sku for p in TEST_PRODUCTS if p.category_id in subtree]
    direct = [p.sku for p in TEST_PRODUCTS if p.category_id == root.id]

    got = all_skus(client, filters={"category_id": root.id})

    assert got == expected
    assert direct and len(expected) > len(direct)
    assert all_skus(client, filters={"category_id": 1}) == []


def test_keyword_matches_any_language_case_insensitively(client: TestClient) -> None:
    english = all_skus(client, filters={"keyword": "CUP NOODLES"})
    chinese = all_skus(client, filters={"keyword": "杯面"})

    assert english and all(
        "cup noodles" in CATALOG.product(s).name_en.lower() for s in english
    )
    assert chinese and set(chinese) <= set(english)


def test_brand_is_a_partial_match_and_filters_combine(client: TestClient) -> None:
    rabbit = all_skus(client, filters={"brand": "rabbit"})
    brands = {CATALOG.product(sku).brand for sku in rabbit}
    dairy = CATALOG.subtree(
        next(c.id for c in CATALOG.categories.values() if c.name_en == "Dairy")
    )
    combined = list_products(
        client,
        page_size=500,
        filters={"brand": "rabbit", "category_id": min(dairy), "keyword": "milk"},
    )

    assert brands == {"Rabbit Foods", "Golden Rabbit"}
    assert combined["total"] == len(combined["list"]) > 0
    for item in combined["list"]:
        assert "rabbit" in item["brand_name"].lower()
        assert item["category_id"] in dairy
        assert "milk" in CATALOG.product(item["sku_id"]).name_en.lower()


@pytest.mark.parametrize("language", ["cn", "mn"])
def test_language_with_english_fallback(client: TestClient, language: str) -> None:
    items = list_products(client, page_size=500, language=language)["list"]

    for item in items:
        product = CATALOG.product(item["sku_id"])
        assert item["sku_name"] == (
            getattr(product, f"name_{language}") or product.name_en
        )
    assert any(
        item["sku_name"] != CATALOG.product(item["sku_id"]).name_en for item in items
    )


def test_null_and_empty_language_mean_english(client: TestClient) -> None:
    english = list_products(client, language="en")["list"]

    assert list_products(client, language=None)["list"] == english
    assert list_products(client, language="")["list"] == english


# ---- detail -------------------------------------------------------------------


def test_detail_of_a_simple_product(client: TestClient) -> None:
    product = next(p for p in TEST_PRODUCTS if p.group_id is None)
    body = client.get(f"{BASE}/product/detail/{product.sku}", headers=AUTH).json()
    item = body["products"][0]
    category = CATALOG.categories[product.category_id]

    assert (body["code"], body["msg"], body["variants"]) == (200, "success", [])
    assert len(body["products"]) == 1
    assert item["sku_pic"] == product.pics[0]
    assert item["variant_options"] == []
    assert item["category_path"].endswith(category.name_en)
    assert item["category_path"].count(" > ") == category.level - 1


def test_detail_of_any_member_returns_the_whole_group(client: TestClient) -> None:
    group = next(iter(CATALOG.groups.values()))
    answers = [
        client.get(f"{BASE}/product/detail/{sku}", headers=AUTH).json()
        for sku in group.skus
    ]
    body = answers[0]
    options = {
        (v["variant_id"], o["option_id"])
        for v in body["variants"]
        for o in v["options"]
    }
    combos = [
        tuple((vo["variant_id"], vo["option_id"]) for vo in p["variant_options"])
        for p in body["products"]
    ]

    assert all(answer == body for answer in answers)
    assert [p["sku_id"] for p in body["products"]] == list(group.skus)
    assert [v["variant_name"] for v in body["variants"]] == ["Color", "Size"]
    assert all(set(combo) <= options for combo in combos)
    assert len(set(combos)) == len(combos) == 4


def test_detail_language_unknown_sku_and_bad_language(client: TestClient) -> None:
    product = next(p for p in TEST_PRODUCTS if p.name_cn)
    url = f"{BASE}/product/detail/{product.sku}"

    chinese = client.get(url, params={"language": "cn"}, headers=AUTH).json()
    assert chinese["products"][0]["sku_name"] == product.name_cn
    assert client.get(url, params={"language": "xx"}, headers=AUTH).status_code == 400
    assert (
        client.get(f"{BASE}/product/detail/000000000000", headers=AUTH).status_code
        == 404
    )


# ---- availability -------------------------------------------------------------


def check(client: TestClient, body: Any) -> Any:
    return client.post(f"{BASE}/availability/check", json=body, headers=AUTH)


def test_availability_lists_only_unavailable_skus(client: TestClient) -> None:
    empty = next(p for p in TEST_PRODUCTS if p.stock == 0)
    scarce = next(p for p in TEST_PRODUCTS if 1 <= p.stock <= 5)
    plenty = next(p for p in TEST_PRODUCTS if p.stock >= 100)
    body = check(
        client,
        {
            "skus": [
                {"sku": empty.sku, "quantity": 1},
                {"sku": scarce.sku, "quantity": scarce.stock + 1},
                {"sku": plenty.sku, "quantity": plenty.stock},
                {"sku": "no-such-sku", "quantity": 1},
            ]
        },
    ).json()

    assert body["code"] == 200 and body["delivery_price"] >= 0
    assert body["unavailable_skus"] == [
        {"sku": sku, "can_purchase": False}
        for sku in (empty.sku, scarce.sku, "no-such-sku")
    ]


def test_availability_all_available_and_none_available(client: TestClient) -> None:
    plenty = next(p for p in TEST_PRODUCTS if p.stock >= 100)
    ok = check(client, {"skus": [{"sku": plenty.sku, "quantity": 1}]}).json()
    none = check(client, {"skus": [{"sku": "no-such-sku", "quantity": 1}]}).json()

    assert ok["unavailable_skus"] == [] and ok["delivery_price"] > 0
    assert none["delivery_price"] == 0.0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"skus": []},
        {"skus": "abc"},
        {"skus": [{"quantity": 1}]},
        {"skus": [{"sku": "x"}]},
        {"skus": [{"sku": "x", "quantity": 0}]},
        {"skus": [{"sku": "x", "quantity": "1"}]},
        {"skus": [{"sku": "x", "quantity": False}]},
    ],
)
def test_bad_availability_input_is_400(client: TestClient, body: Any) -> None:
    assert check(client, body).status_code == 400


# ---- categories ---------------------------------------------------------------


def test_categories_tree(client: TestClient) -> None:
    body = client.get(f"{BASE}/categories", headers=AUTH).json()
    roots = body["response_data"]

    def walk(nodes: list[dict[str, Any]], level: int) -> int:
        count = 0
        for node in nodes:
            assert set(node) == {"id", "level", "name_en", "name_mn", "children"}
            assert node["level"] == level and isinstance(node["id"], int)
            count += 1 + walk(node["children"], level + 1)
        return count

    assert body["code"] == 200
    assert [r["id"] for r in roots] == list(CATALOG.roots)
    assert walk(roots, 1) == len(CATALOG.categories)
