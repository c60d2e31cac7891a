"""Catalog scenarios: the category tree of GET /categories."""

from __future__ import annotations

import pytest

from conformance.checks import expect
from conformance.discovery import Catalog

pytestmark = pytest.mark.catalog


@pytest.mark.clause("categories.level")
def test_levels_start_at_one_and_grow_by_one(catalog: Catalog) -> None:
    for root in catalog.roots:
        expect(root.get("level") == 1, "categories.level",
               f"top category {root.get('id')} has level {root.get('level')!r}, not 1")
    for category in catalog.categories.values():
        for child_id in category.children:
            child = catalog.categories[child_id]
            expect(child.level == category.level + 1 if isinstance(category.level, int) else False,
                   "categories.level",
                   f"category {child_id} (level {child.level!r}) sits under {category.id} "
                   f"(level {category.level!r})")


@pytest.mark.clause("categories.id")
def test_category_ids_are_unique_integers(catalog: Catalog) -> None:
    ids = []
    pending = list(catalog.roots)
    while pending:
        node = pending.pop()
        ids.append(node.get("id"))
        pending.extend(c for c in node.get("children") or [] if isinstance(c, dict))
    repeated = sorted({i for i in ids if ids.count(i) > 1}, key=repr)
    expect(not repeated, "categories.id", f"category ids used more than once: {repeated[:5]}")
    wrong = [i for i in ids if not isinstance(i, int) or isinstance(i, bool)]
    expect(not wrong, "categories.id", f"category ids that are not integers: {wrong[:5]}")


@pytest.mark.clause("categories.names")
def test_categories_have_string_names(catalog: Catalog) -> None:
    wrong = [c.id for c in catalog.categories.values()
             if not isinstance(c.node.get("name_en"), str)
             or not isinstance(c.node.get("name_mn"), str)]
    expect(not wrong, "categories.names", f"categories without string names: {wrong[:5]}")


@pytest.mark.clause("categories.tree")
def test_every_product_category_is_in_the_tree(catalog: Catalog) -> None:
    if not catalog.products:
        pytest.skip("the server lists no products")
    missing = sorted({p.get("category_id") for p in catalog.products} - set(catalog.categories),
                     key=repr)
    expect(not missing, "categories.tree",
           f"products report categories that the tree does not have: {missing[:5]}")
