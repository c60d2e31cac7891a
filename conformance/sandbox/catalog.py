"""A deterministic product catalog and category tree, generated from a seed without I/O.

The same seed always yields the same catalog, so the harness can rely on its shape: 540
products of type ``test`` (a page of 500 is full and a second page exists), 20 of type
``retail`` interleaved among them, products filed at every level of a three-level
category tree, and six configurable groups of four Color/Size children.
"""

from __future__ import annotations

import dataclasses
import functools
import random
from dataclasses import dataclass

from . import vocabulary as words

TEST_TYPE = "test"
OTHER_TYPE = "retail"
TEST_PRODUCT_COUNT = 540
OTHER_PRODUCT_COUNT = 20
GROUP_COUNT = 6
GROUP_SIZE = 4  # two colours times two sizes
LANGUAGES = ("en", "cn", "mn")

_FIRST_CATEGORY_ID = 28677
_FIRST_SKU = 201806100001


@dataclass(frozen=True)
class Category:
    id: int
    level: int
    name_en: str
    name_mn: str  # as published: may be "" or the English name when untranslated
    name_cn: str
    parent_id: int | None
    children: tuple[int, ...]

    def name(self, language: str) -> str:
        """The name in a language, falling back to English when there is none."""
        local = {"mn": self.name_mn, "cn": self.name_cn}.get(language)
        return local or self.name_en


@dataclass(frozen=True)
class Variant:
    id: int
    name: str
    options: tuple[tuple[int, str], ...]  # (option_id, option_value)


@dataclass(frozen=True)
class VariantGroup:
    id: int
    variants: tuple[Variant, ...]
    skus: tuple[str, ...]


@dataclass(frozen=True)
class Product:
    sku: str
    type: str
    name_en: str
    name_cn: str | None  # None: no translation, shown in English
    name_mn: str | None
    brand: str
    category_id: int
    price: float
    stock: int
    min_sell_qty: int
    pics: tuple[str, ...]
    length: str
    width: str
    height: str
    weight: str
    description: str
    tag: str
    group_id: int | None = None
    variant_options: tuple[tuple[int, int], ...] = ()  # (variant_id, option_id)

    def name(self, language: str) -> str:
        local = {"cn": self.name_cn, "mn": self.name_mn}.get(language)
        return local or self.name_en

    def names(self) -> tuple[str, ...]:
        """Every spelling of the name that exists, for keyword search."""
        return tuple(n for n in (self.name_en, self.name_cn, self.name_mn) if n)


class Catalog:
    """Read-only lookups over generated products and categories."""

    def __init__(
        self,
        products: list[Product],
        categories: list[Category],
        groups: list[VariantGroup],
    ) -> None:
        self.products: tuple[Product, ...] = tuple(
            sorted(products, key=lambda p: p.sku)
        )
        self.categories: dict[int, Category] = {c.id: c for c in categories}
        self.roots: tuple[int, ...] = tuple(c.id for c in categories if c.level == 1)
        self.groups: dict[int, VariantGroup] = {g.id: g for g in groups}
        self._by_sku = {p.sku: p for p in self.products}

    def product(self, sku: str) -> Product | None:
        return self._by_sku.get(sku)

    def group_members(self, product: Product) -> tuple[Product, ...]:
        """The whole configurable group a product belongs to, or just the product."""
        if product.group_id is None:
            return (product,)
        return tuple(self._by_sku[sku] for sku in self.groups[product.group_id].skus)

    def subtree(self, category_id: int) -> frozenset[int]:
        """The category and all its descendants; empty for an unknown id."""
        if category_id not in self.categories:
            return frozenset()
        found: set[int] = set()
        pending = [category_id]
        while pending:
            current = pending.pop()
            found.add(current)
            pending.extend(self.categories[current].children)
        return frozenset(found)

    def category_path(self, category_id: int, language: str) -> str:
        """Names from the root down to the category, joined by " > "."""
        names: list[str] = []
        current: int | None = category_id
        while current is not None:
            category = self.categories[current]
            names.append(category.name(language))
            current = category.parent_id
        return " > ".join(reversed(names))


@functools.cache
def build_catalog(seed: int) -> Catalog:
    """Generate the catalog for a seed; cached because it is immutable."""
    rng = random.Random(seed)
    categories = _build_categories(rng)
    return _ProductFactory(rng, categories).build()


def _build_categories(rng: random.Random) -> list[Category]:
    """Categories in tree order (each followed by its descendants), ids rising."""
    built: list[Category] = []
    next_id = _FIRST_CATEGORY_ID

    def visit(node: words.CategoryWords, level: int, parent: int | None) -> int:
        nonlocal next_id
        own_id = next_id
        next_id += rng.randint(3, 40)
        index = len(built)
        built.append(Category(own_id, level, node.en, "", node.cn, parent, ()))
        children = tuple(visit(child, level + 1, own_id) for child in node.children)
        shown_mn = node.en if node.mn is None else node.mn
        built[index] = Category(
            own_id, level, node.en, shown_mn, node.cn, parent, children
        )
        return own_id

    for root in words.CATEGORY_TREE:
        visit(root, 1, None)
    return built


class _ProductFactory:
    """Turns a random stream into products; one instance per catalog build."""

    def __init__(self, rng: random.Random, categories: list[Category]) -> None:
        self.rng = rng
        self.categories = {c.id: c for c in categories}
        self.category_list = categories
        self.products: list[Product] = []
        self.groups: list[VariantGroup] = []
        self._next_sku = _FIRST_SKU

    def build(self) -> Catalog:
        simple_test = TEST_PRODUCT_COUNT - GROUP_COUNT * GROUP_SIZE
        slots = (
            ["test"] * simple_test
            + ["group"] * GROUP_COUNT
            + ["other"] * OTHER_PRODUCT_COUNT
        )
        self.rng.shuffle(slots)
        test_categories = self._test_categories(simple_test)
        for slot in slots:
            if slot == "test":
                self.products.append(self._simple(TEST_TYPE, test_categories.pop()))
            elif slot == "other":
                self.products.append(
                    self._simple(OTHER_TYPE, self._weighted_category())
                )
            else:
                self._group()
        return Catalog(self.products, self.category_list, self.groups)

    def _test_categories(self, count: int) -> list[int]:
        # Every category, whatever its level, gets at least one test product, so a
        # category filter on a root or a middle node has direct members as well as
        # descendants' members.
        chosen = [c.id for c in self.category_list]
        chosen += [self._weighted_category() for _ in range(count - len(chosen))]
        self.rng.shuffle(chosen)
        return chosen

    def _weighted_category(self) -> int:
        weights = [4 if not c.children else 1 for c in self.category_list]
        return self.rng.choices(self.category_list, weights)[0].id

    def _take_sku(self) -> str:
        self._next_sku += self.rng.randint(1, 7)
        return str(self._next_sku)

    def _simple(self, product_type: str, category_id: int) -> Product:
        return self._product(
            self._take_sku(), product_type, category_id, self._naming(category_id)
        )

    def _group(self) -> None:
        leaves = [c for c in self.category_list if not c.children]
        apparel = [c for c in leaves if self._root(c.id).name_en == "Apparel"]
        category_id = self.rng.choice(apparel).id
        naming = self._naming(category_id)
        colors = sorted(self.rng.sample(sorted(words.COLORS), 2))
        sizes = sorted(self.rng.sample(sorted(words.SIZES), 2))
        group_id = len(self.groups) + 1
        combinations = [(color, size) for color in colors for size in sizes]
        # The children of a group get consecutive SKUs.
        first = int(self._take_sku())
        skus = tuple(str(first + offset) for offset in range(len(combinations)))
        for sku, (color, size) in zip(skus, combinations, strict=True):
            suffix = _option_suffix(color, size)
            product = self._product(sku, TEST_TYPE, category_id, naming, suffix)
            options = ((words.COLOR_VARIANT_ID, color), (words.SIZE_VARIANT_ID, size))
            self.products.append(
                dataclasses.replace(product, group_id=group_id, variant_options=options)
            )
        self._next_sku = int(skus[-1])
        self.groups.append(VariantGroup(group_id, _variants(colors, sizes), skus))

    def _root(self, category_id: int) -> Category:
        category = self.categories[category_id]
        while category.parent_id is not None:
            category = self.categories[category.parent_id]
        return category

    def _naming(self, category_id: int) -> dict[str, str]:
        """Brand and the name in each language (a missing translation is left out)."""
        rng = self.rng
        category = self.categories[category_id]
        brand_en, brand_cn = rng.choice(words.BRANDS[self._root(category_id).name_en])
        desc_en, desc_cn, desc_mn = rng.choice(words.DESCRIPTORS)
        noun_en, noun_cn, noun_mn = category.name_en, category.name_cn, category.name_mn
        if category.children:
            extra_en, extra_cn, extra_mn = words.ASSORTMENT
            noun_en, noun_cn = f"{noun_en} {extra_en}", f"{noun_cn}{extra_cn}"
            noun_mn = f"{noun_mn} {extra_mn}" if noun_mn else ""
        model = rng.randint(1000, 9999)
        naming = {
            "brand": brand_en,
            "en": f"{brand_en} {desc_en} {noun_en} {model}",
            "description": f"{desc_en} {noun_en.lower()} from {brand_en}.",
        }
        if rng.random() >= 0.15:
            naming["cn"] = f"{brand_cn}{desc_cn}{noun_cn} {model}"
        # A category without a real Mongolian name leaves the product untranslated too.
        if rng.random() >= 0.25 and noun_mn and noun_mn != category.name_en:
            naming["mn"] = f"{brand_en} {desc_mn} {noun_mn} {model}"
        return naming

    def _product(
        self,
        sku: str,
        product_type: str,
        category_id: int,
        naming: dict[str, str],
        suffix: tuple[str, ...] = ("", "", ""),
    ) -> Product:
        rng = self.rng

        def named(language: str, index: int) -> str | None:
            base = naming.get(language)
            return f"{base} {suffix[index]}".rstrip() if base else None

        return Product(
            sku=sku,
            type=product_type,
            name_en=named("en", 0) or "",
            name_cn=named("cn", 1),
            name_mn=named("mn", 2),
            brand=naming["brand"],
            category_id=category_id,
            price=rng.randint(150, 60000) / 100,
            stock=_stock(rng),
            min_sell_qty=rng.choice((1, 1, 1, 1, 2, 5, 10, 12)),
            pics=tuple(_picture(rng) for _ in range(rng.randint(1, 3))),
            length=f"{rng.randint(20, 900)}/mm",
            width=f"{rng.randint(20, 600)}/mm",
            height=f"{rng.randint(10, 400)}/mm",
            weight=f"{rng.randint(20, 9000) / 1000:.6f}/kg",
            description=naming["description"],
            tag=rng.choice(words.TAGS),
        )


def _option_suffix(color: int, size: int) -> tuple[str, ...]:
    """What a group child's name adds in each language (en, cn, mn): "Red Small"."""
    pairs = zip(words.COLORS[color], words.SIZES[size], strict=True)
    return tuple(f"{color_word} {size_word}" for color_word, size_word in pairs)


def _variants(colors: list[int], sizes: list[int]) -> tuple[Variant, ...]:
    color_options = tuple((option, words.COLORS[option][0]) for option in colors)
    size_options = tuple((option, words.SIZES[option][0]) for option in sizes)
    return (
        Variant(words.COLOR_VARIANT_ID, "Color", color_options),
        Variant(words.SIZE_VARIANT_ID, "Size", size_options),
    )


def _stock(rng: random.Random) -> int:
    # Empty and nearly empty stock gives the availability check something to refuse.
    roll = rng.random()
    if roll < 0.06:
        return 0
    if roll < 0.16:
        return rng.randint(1, 5)
    if roll < 0.30:
        return rng.randint(6, 99)
    return rng.randint(100, 10000)


def _picture(rng: random.Random) -> str:
    # The .invalid top-level domain never resolves, so no client can fetch these.
    digest = f"{rng.getrandbits(128):032X}"
    return f"https://sandbox.invalid/media/catalog/product/I/D/ID_{digest}.jpeg"
