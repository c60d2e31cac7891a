"""What the suites learn about a server's catalog before checking its rules.

The harness knows nothing of a server's data in advance: it walks the product list and
the category tree once, and the scenario suites pick their examples from what it found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from conformance.api import Api
from conformance.checks import expect, expect_ok

MAX_PAGE_SIZE = 500
MAX_PAGES = 20  # 10,000 products: enough to find examples, bounded for big catalogs


@dataclass
class Category:
    id: Any
    level: Any
    parent: Any
    node: dict[str, Any]
    children: list[Any] = field(default_factory=list)


@dataclass
class Catalog:
    """The products of type ``test`` (as far as walked) and the category tree."""

    products: list[dict[str, Any]]
    total: int
    complete: bool
    roots: list[dict[str, Any]]
    categories: dict[Any, Category]

    def subtree(self, category_id: Any) -> set[Any]:
        """A category and all its descendants."""
        found, pending = set(), [category_id]
        while pending:
            current = pending.pop()
            if current in found or current not in self.categories:
                continue
            found.add(current)
            pending.extend(self.categories[current].children)
        return found

    def by_sku(self) -> dict[str, dict[str, Any]]:
        return {p["sku_id"]: p for p in self.products if isinstance(p, dict) and "sku_id" in p}


def walk_products(api: Api, body: dict[str, Any], page_size: int = MAX_PAGE_SIZE,
                  max_pages: int = MAX_PAGES) -> tuple[list[dict[str, Any]], int, bool]:
    """Every product a filtered listing yields, page by page, with its reported total."""
    products: list[dict[str, Any]] = []
    total = 0
    for page in range(1, max_pages + 1):
        reply = api.products(**body, page_num=page, page_size=page_size)
        data = expect_ok(reply, "products.response.list", f"listing page {page}")
        data = data.get("response_data") or {}
        items = data.get("list") or []
        total = data.get("total", 0)
        products.extend(items)
        expect(isinstance(total, int), "products.response.pagination", "total is not an integer")
        if not items or len(products) >= total:
            return products, total, True
    return products, total, len(products) >= total


def _index(roots: list[dict[str, Any]]) -> dict[Any, Category]:
    categories: dict[Any, Category] = {}
    pending = [(node, None) for node in roots]
    while pending:
        node, parent = pending.pop()
        if not isinstance(node, dict):
            continue
        category = Category(node.get("id"), node.get("level"), parent, node)
        categories.setdefault(category.id, category)
        for child in node.get("children") or []:
            if isinstance(child, dict):
                category.children.append(child.get("id"))
                pending.append((child, category.id))
    return categories


def discover(api: Api) -> Catalog:
    reply = api.categories()
    body = expect_ok(reply, "categories.tree", "listing the categories")
    roots = body.get("response_data")
    expect(isinstance(roots, list), "categories.tree", "response_data is not an array")
    products, total, complete = walk_products(api, {"type": "test"})
    return Catalog(products, total, complete, roots, _index(roots))


def _shared_words(a: list[str], b: list[str]) -> int:
    count = 0
    for left, right in zip(a, b):
        if left != right:
            break
        count += 1
    return count


def variant_candidates(products: list[dict[str, Any]], limit: int) -> list[str]:
    """SKUs most likely to be part of a configurable product, to probe with the detail.

    Variant siblings usually share all but the last words of their name ("Mug 12 Red
    Small", "Mug 12 Blue Large"): products sharing the longest name prefix with a neighbour
    in name order come first, then an even spread over the rest.
    """
    named = sorted(
        (str(p.get("sku_name", "")).lower().split(), str(p.get("sku_id"))) for p in products
    )
    scores = {}
    for index, (words, sku) in enumerate(named):
        neighbours = named[max(0, index - 1): index] + named[index + 1: index + 2]
        scores[sku] = max((_shared_words(words, other) for other, _ in neighbours), default=0)
    likely = sorted((sku for sku in scores if scores[sku] >= 2), key=lambda s: -scores[s])
    step = max(1, math.ceil(len(products) / max(1, limit)))
    spread = [str(p.get("sku_id")) for p in products[::step]]
    half = limit // 2
    ordered = list(dict.fromkeys(likely[:half] + spread))
    return ordered[:limit]
