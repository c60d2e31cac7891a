"""Catalog scenarios: filters and languages of POST /products."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from conformance.api import Api, record_reading
from conformance.checks import expect, expect_ok, refused_or_ok
from conformance.discovery import Catalog, walk_products

pytestmark = pytest.mark.catalog

NONSENSE = "zqxvjkqzzvwpq"


def listing(api: Api, what: str, **body: Any) -> dict:
    data = expect_ok(api.products(**body), "products.response.list", what).get("response_data")
    expect(isinstance(data, dict), "products.response.list", f"{what}: no response_data")
    return data


def filtered(api: Api, **filters: Any) -> list[dict[str, Any]]:
    products, _, _ = walk_products(api, {"type": "test", "filters": filters})
    return products


def words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", text) if len(w) >= 4 and not w.isdigit()]


def pick_keyword(catalog: Catalog) -> tuple[str, dict[str, Any]]:
    """A word of some product's name that not every product's name contains."""
    names = [str(p.get("sku_name", "")).lower() for p in catalog.products]
    for product in catalog.products:
        for word in words(str(product.get("sku_name", ""))):
            if sum(word.lower() in name for name in names) < len(names):
                return word, product
    pytest.skip("no product name has a word that narrows the list")


def brand_word(catalog: Catalog) -> tuple[str, str]:
    """A word that is only part of some brand name (partial match), and that brand."""
    for product in catalog.products:
        brand = str(product.get("brand_name", ""))
        for word in words(brand):
            if word.lower() != brand.lower():
                return word, brand
    pytest.skip("no brand name has several words to match partially")


def deep_category(catalog: Catalog) -> tuple[Any, set[Any]]:
    """A category with descendants whose products include some in a descendant."""
    product_categories = Counter(p.get("category_id") for p in catalog.products)
    for category in catalog.categories.values():
        subtree = catalog.subtree(category.id)
        below = subtree - {category.id}
        if below and any(product_categories[c] for c in below):
            return category.id, subtree
    pytest.skip("no category with products in its descendants")


@pytest.mark.clause("products.filters.category_id")
def test_category_filter_includes_every_descendant(api: Api, catalog: Catalog) -> None:
    category_id, subtree = deep_category(catalog)
    if not catalog.complete:
        pytest.skip("the catalog is too big to walk completely")
    expected = {p["sku_id"] for p in catalog.products if p.get("category_id") in subtree}
    got = {p.get("sku_id"): p.get("category_id") for p in filtered(api, category_id=category_id)}
    outside = {s: c for s, c in got.items() if c not in subtree}
    missing = sorted(expected - set(got))
    expect(not outside, "products.filters.category_id",
           f"category {category_id} listed products of other categories: {list(outside)[:5]}")
    expect(not missing, "products.filters.category_id",
           f"category {category_id} left out {len(missing)} products of its descendants, "
           f"e.g. {missing[:5]}")


@pytest.mark.clause("products.filters.category_id.unknown")
def test_unknown_category_lists_nothing(api: Api, log, catalog: Catalog) -> None:
    numeric = [c for c in catalog.categories if isinstance(c, int)]
    unknown = max(numeric, default=0) + 1_000_000
    reply = api.products(type="test", filters={"category_id": unknown})
    if refused_or_ok(reply, "products.filters.category_id.unknown", f"category {unknown}"):
        record_reading(log, "products.filters.category_id.unknown", "refused with a 4xx")
        return
    data = reply.data or {}
    expect(not data.get("list"), "products.filters.category_id.unknown",
           f"unknown category {unknown} listed {data.get('total')} products")
    record_reading(log, "products.filters.category_id.unknown", "an empty list")


@pytest.mark.clause("products.filters.keyword")
def test_keyword_finds_a_product_by_a_word_of_its_name(api: Api, catalog: Catalog) -> None:
    word, product = pick_keyword(catalog)
    for variant in (word, word.upper()):
        found = {p.get("sku_id") for p in filtered(api, keyword=variant)}
        expect(product["sku_id"] in found, "products.filters.keyword",
               f"keyword {variant!r} did not find {product['sku_id']} "
               f"named {product.get('sku_name')!r}")


@pytest.mark.clause("products.filters.keyword")
def test_keyword_narrows_the_list(api: Api, catalog: Catalog) -> None:
    if catalog.total == 0:
        pytest.skip("the server lists no products")
    data = listing(api, "nonsense keyword", type="test", filters={"keyword": NONSENSE})
    # Only the list: whether total agrees with it is the pagination suite's question.
    found = data.get("list") or []
    expect(not found, "products.filters.keyword",
           f"keyword {NONSENSE!r} matched {len(found)} products, e.g. "
           f"{[p.get('sku_name') for p in found[:3]]}")


@pytest.mark.clause("products.filters.brand")
def test_brand_matches_part_of_the_brand_name(api: Api, catalog: Catalog) -> None:
    word, brand = brand_word(catalog)
    expected = {
        p["sku_id"] for p in catalog.products
        if word.lower() in [w.lower() for w in words(str(p.get("brand_name", "")))]
    }
    for variant in (word, word.lower()):
        got = {p.get("sku_id"): str(p.get("brand_name", "")) for p in filtered(api, brand=variant)}
        others = {s: b for s, b in got.items() if word.lower() not in b.lower()}
        expect(not others, "products.filters.brand",
               f"brand {variant!r} listed other brands: {sorted(set(others.values()))[:5]}")
        if catalog.complete:
            missing = sorted(expected - set(got))
            expect(not missing, "products.filters.brand",
                   f"brand {variant!r} (part of {brand!r}) missed {len(missing)} products, "
                   f"e.g. {missing[:5]}")


def combinable(catalog: Catalog) -> tuple[Any, set[Any], str]:
    """A category and a brand word that each keep products the other drops."""
    for category in catalog.categories.values():
        subtree = catalog.subtree(category.id)
        inside = [p for p in catalog.products if p.get("category_id") in subtree]
        outside = [p for p in catalog.products if p.get("category_id") not in subtree]
        for product in inside:
            for word in words(str(product.get("brand_name", ""))):
                if any(word.lower() in str(p.get("brand_name", "")).lower() for p in outside):
                    return category.id, subtree, word
    pytest.skip("no category and brand whose products overlap only in part")


@pytest.mark.clause("products.filters.combine")
def test_filters_apply_together(api: Api, catalog: Catalog) -> None:
    category_id, subtree, word = combinable(catalog)
    got = filtered(api, category_id=category_id, brand=word)
    outside = [p.get("sku_id") for p in got if p.get("category_id") not in subtree]
    other_brand = [p.get("sku_id") for p in got
                   if word.lower() not in str(p.get("brand_name", "")).lower()]
    expect(got, "products.filters.combine",
           f"category {category_id} with brand {word!r} listed nothing, yet both match products")
    expect(not outside, "products.filters.combine",
           f"category {category_id} with brand {word!r} listed products outside the "
           f"category: {outside[:5]}")
    expect(not other_brand, "products.filters.combine",
           f"category {category_id} with brand {word!r} listed other brands: {other_brand[:5]}")


@pytest.mark.clause("products.response.pagination")
def test_total_counts_the_filtered_products(api: Api, catalog: Catalog) -> None:
    category_id, _ = deep_category(catalog)
    body = {"type": "test", "filters": {"category_id": category_id}}
    products, total, complete = walk_products(api, body)
    if not complete:
        pytest.skip("too many products match to walk them all")
    expect(total == len(products), "products.response.pagination",
           f"category {category_id}: total says {total}, the pages hold {len(products)} "
           "products")


def names(api: Api, language: Any, *, omit: bool = False) -> dict[str, str]:
    body: dict[str, Any] = {"type": "test", "page_size": 50}
    if not omit:
        body["language"] = language
    data = listing(api, f"language {'omitted' if omit else repr(language)}", **body)
    return {p.get("sku_id"): p.get("sku_name") for p in data.get("list") or []}


@pytest.mark.clause("products.language.default")
@pytest.mark.parametrize("language", ["omitted", None, ""])
def test_omitted_null_or_empty_language_means_english(api: Api, language: Any) -> None:
    english = names(api, "en")
    got = names(api, language, omit=language == "omitted")
    differ = [s for s in english if got.get(s) != english[s]]
    expect(not differ, "products.language.default",
           f"language {language!r} gave other names than 'en' for {len(differ)} products, "
           f"e.g. {differ[:3]}")


@pytest.mark.clause("products.language.values")
@pytest.mark.parametrize("language", ["cn", "mn"])
def test_languages_translate_names_of_the_same_products(api: Api, log, language: str) -> None:
    english = listing(api, "language 'en'", type="test", language="en")
    translated = listing(api, f"language {language!r}", type="test", page_size=50,
                         language=language)
    expect(translated.get("total") == english.get("total"), "products.language.values",
           f"language {language!r} counts {translated.get('total')} products, 'en' counts "
           f"{english.get('total')}: a language translates, it does not filter")
    names_en = names(api, "en")
    got = {p.get("sku_id"): p.get("sku_name") for p in translated.get("list") or []}
    expect(all(isinstance(n, str) and n for n in got.values()), "products.language.values",
           f"language {language!r} gave an empty or missing name")
    # List order is unspecified and may follow the translated names: compare shared SKUs.
    shared = [s for s in got if s in names_en]
    changed = sum(got[s] != names_en[s] for s in shared)
    record_reading(log, "products.language.values",
                   f"{language}: {changed} of {len(shared)} names translated, the rest English")


@pytest.mark.clause("language.unknown")
def test_unknown_language_is_refused_or_english(api: Api, log) -> None:
    reply = api.products(type="test", page_size=50, language="xx")
    if refused_or_ok(reply, "language.unknown", "language 'xx'"):
        record_reading(log, "language.unknown", "an unknown language is refused with a 4xx")
        return
    english = names(api, "en")
    got = {p.get("sku_id"): p.get("sku_name") for p in (reply.data or {}).get("list") or []}
    expect(got == english, "language.unknown", "language 'xx' gave neither a 4xx nor English")
    record_reading(log, "language.unknown", "an unknown language falls back to English")
