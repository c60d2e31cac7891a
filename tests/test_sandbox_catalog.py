"""The generated catalog: deterministic, with data for every documented feature."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from conformance.sandbox.catalog import (
    OTHER_PRODUCT_COUNT,
    TEST_PRODUCT_COUNT,
    TEST_TYPE,
    build_catalog,
)
from conformance.sandbox.config import SandboxConfig

SEED = SandboxConfig().seed


def test_same_seed_same_catalog_and_other_seed_differs() -> None:
    fresh = build_catalog.__wrapped__(SEED)
    cached = build_catalog(SEED)
    other = build_catalog.__wrapped__(SEED + 1)

    assert fresh.products == cached.products
    assert fresh.categories == cached.categories
    assert other.products != cached.products


def test_product_counts_by_type() -> None:
    types = Counter(p.type for p in build_catalog(SEED).products)

    assert types[TEST_TYPE] == TEST_PRODUCT_COUNT >= 520
    assert types["retail"] == OTHER_PRODUCT_COUNT
    assert len(types) == 2


def test_skus_are_unique_and_sorted() -> None:
    skus = [p.sku for p in build_catalog(SEED).products]

    assert skus == sorted(skus)
    assert len(set(skus)) == len(skus)
    assert all(re.fullmatch(r"\d{12}", sku) for sku in skus)


def test_category_tree_has_three_levels_and_products_at_each_node() -> None:
    catalog = build_catalog(SEED)
    levels = Counter(c.level for c in catalog.categories.values())
    with_test_products = {
        p.category_id for p in catalog.products if p.type == TEST_TYPE
    }

    assert set(levels) == {1, 2, 3}
    assert levels[1] >= 3
    assert set(catalog.categories) == with_test_products
    for category in catalog.categories.values():
        for child in category.children:
            assert catalog.categories[child].parent_id == category.id
            assert catalog.categories[child].level == category.level + 1


def test_some_mongolian_category_names_are_missing() -> None:
    categories = build_catalog(SEED).categories.values()

    assert any(c.name_mn == "" for c in categories)
    assert any(c.name_mn == c.name_en for c in categories)


def test_subtree_and_category_path() -> None:
    catalog = build_catalog(SEED)
    root = catalog.categories[catalog.roots[0]]
    child = catalog.categories[root.children[0]]
    grandchild = catalog.categories[child.children[0]]

    assert {root.id, child.id, grandchild.id} <= catalog.subtree(root.id)
    assert catalog.subtree(grandchild.id) == {grandchild.id}
    assert catalog.subtree(-1) == frozenset()
    assert catalog.category_path(grandchild.id, "en") == (
        f"{root.name_en} > {child.name_en} > {grandchild.name_en}"
    )


def test_configurable_groups_have_distinct_option_pairs() -> None:
    catalog = build_catalog(SEED)

    assert catalog.groups
    for group in catalog.groups.values():
        members = [catalog.product(sku) for sku in group.skus]
        declared = {(v.id, o) for v in group.variants for o, _ in v.options}
        pairs = [m.variant_options for m in members if m is not None]

        assert len(pairs) == len(group.skus) == 4
        assert len(set(pairs)) == 4
        assert all(set(pair) <= declared for pair in pairs)
        assert all(m is not None and m.group_id == group.id for m in members)


def test_stock_and_minimum_quantities_vary() -> None:
    products = [p for p in build_catalog(SEED).products if p.type == TEST_TYPE]
    stocks = {p.stock for p in products}

    assert 0 in stocks
    assert stocks & {1, 2, 3, 4, 5}
    assert max(stocks) >= 1000
    assert {1, 5, 10} <= {p.min_sell_qty for p in products}


def test_translations_are_partly_missing() -> None:
    products = build_catalog(SEED).products

    assert any(p.name_cn is None for p in products)
    assert any(p.name_mn is None for p in products)
    assert any(p.name_cn and p.name_mn for p in products)
    missing = next(p for p in products if p.name_cn is None)
    assert missing.name("cn") == missing.name_en


def test_field_formats() -> None:
    for product in build_catalog(SEED).products:
        assert 1 <= len(product.pics) <= 3
        assert all(urlsplit(pic).hostname == "sandbox.invalid" for pic in product.pics)
        assert re.fullmatch(r"\d+/mm", product.length)
        assert re.fullmatch(r"\d+\.\d{6}/kg", product.weight)
        assert round(product.price, 2) == product.price > 0
