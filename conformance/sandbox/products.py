"""Catalog endpoints: list products, product detail, availability check, categories."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import params
from .catalog import TEST_TYPE, Catalog, Category, Product, Variant
from .config import SandboxConfig
from .context import Sandbox, authenticate, sandbox_of
from .responses import ApiError, bad_request, not_found, success

PRODUCT_PAGE_MAX = 500
DEFAULT_PAGE_SIZE = 20
# Page limits a careless server might take for the documented ones.
WRONG_DEFAULT_PAGE_SIZE = 10
WRONG_PAGE_MAX = 100
# The documentation gives 25.50 as its example and says nothing of how it is computed,
# so the sandbox charges a flat fee whenever anything can be delivered.
DELIVERY_PRICE = 25.5


@dataclass(frozen=True)
class ProductQuery:
    type: str
    page_num: int
    page_size: int
    language: str
    category_ids: frozenset[int] | None
    keyword: str | None
    brand: str | None

    def matches(self, product: Product, config: SandboxConfig) -> bool:
        # Only "test" is supported, so any other type lists nothing. The catalog's other
        # products exist solely to expose a server that ignores the type.
        if self.type != TEST_TYPE or product.type != TEST_TYPE:
            return False
        if (
            self.category_ids is not None
            and product.category_id not in self.category_ids
        ):
            return False
        if self.brand and not _brand_matches(self.brand, product.brand, config):
            return False
        if self.keyword:
            needle = self.keyword.casefold()
            return any(needle in name.casefold() for name in product.names())
        return True


def _brand_matches(wanted: str, brand: str, config: SandboxConfig) -> bool:
    if config.has_fault("brand_exact"):
        return wanted == brand
    return wanted.casefold() in brand.casefold()


async def list_products(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    config = sandbox.config
    if not config.has_fault("missing_auth_products"):
        authenticate(request)
    query = _product_query(await params.json_object(request), sandbox)
    matches = [p for p in sandbox.catalog.products if query.matches(p, config)]
    total = len(matches)
    if config.has_fault("total_unfiltered"):
        total = sum(p.type == TEST_TYPE for p in sandbox.catalog.products)
    pages = math.ceil(len(matches) / query.page_size)
    if config.has_fault("pages_floor"):
        pages = len(matches) // query.page_size
    page = _page(matches, query, config)
    return success(
        response_data={
            "page_num": query.page_num,
            "page_size": query.page_size,
            "total": total,
            "pages": pages,
            "list": [_list_item(sandbox, p, query.language) for p in page],
        }
    )


def _page(
    matches: list[Product], query: ProductQuery, config: SandboxConfig
) -> list[Product]:
    start = (query.page_num - 1) * query.page_size
    if config.has_fault("page_overlap") and query.page_num > 1:
        start -= 1
    if config.has_fault("past_last_repeats") and 0 < len(matches) <= start:
        start = (math.ceil(len(matches) / query.page_size) - 1) * query.page_size
    # Sliced in two steps so that a negative start, which only the page_num_zero_wraps
    # fault lets through, takes a page counted from the end of the list.
    return matches[start:][: query.page_size]


def _product_query(body: dict[str, Any], sandbox: Sandbox) -> ProductQuery:
    config = sandbox.config
    product_type = params.optional_string(body, "type")
    if product_type is None and config.has_fault("type_optional"):
        product_type = TEST_TYPE
    if product_type is None:
        raise bad_request("type is required")
    size = params.positive_int(
        body,
        "page_size",
        _default_page_size(config),
        minimum=0 if config.has_fault("page_size_zero_crash") else 1,
    )
    filters = body.get("filters", {})
    if not isinstance(filters, dict):
        raise bad_request(f"filters must be an object, got {filters!r}")
    page_num = params.positive_int(
        body,
        "page_num",
        1,
        minimum=None if config.has_fault("page_num_zero_wraps") else 1,
    )
    default_language = "cn" if config.has_fault("language_default_cn") else "en"
    query = ProductQuery(
        type=product_type,
        page_num=page_num,
        page_size=_capped_page_size(size, config),
        language=params.language(body.get("language"), default_language),
        category_ids=_category_filter(filters, sandbox),
        keyword=params.optional_string(filters, "keyword"),
        brand=params.optional_string(filters, "brand"),
    )
    return _misread_filters(query, config)


def _default_page_size(config: SandboxConfig) -> int:
    if config.has_fault("default_page_size_10"):
        return WRONG_DEFAULT_PAGE_SIZE
    return DEFAULT_PAGE_SIZE


def _capped_page_size(size: int, config: SandboxConfig) -> int:
    if not config.has_fault("page_size_uncapped"):
        size = params.page_size(size, PRODUCT_PAGE_MAX, config.page_size_mode)
    if config.has_fault("page_size_cap_100"):
        size = min(size, WRONG_PAGE_MAX)
    return size


def _misread_filters(query: ProductQuery, config: SandboxConfig) -> ProductQuery:
    """The validated query as a server that mishandles type or filters would run it."""
    if config.has_fault("type_ignored"):
        query = replace(query, type=TEST_TYPE)
    if config.has_fault("filters_or") and (query.brand or query.keyword):
        query = replace(query, category_ids=None)
    if config.has_fault("keyword_ignored"):
        query = replace(query, keyword=None)
    return query


def _category_filter(
    filters: dict[str, Any], sandbox: Sandbox
) -> frozenset[int] | None:
    if "category_id" not in filters:
        return None
    value = filters["category_id"]
    if not params.is_integer(value):
        raise bad_request(f"filters.category_id must be an integer, got {value!r}")
    if sandbox.config.has_fault("category_no_descendants"):
        return frozenset({value})
    # An unknown category is not an error: it simply has no products.
    return sandbox.catalog.subtree(value)


def _list_item(sandbox: Sandbox, product: Product, language: str) -> dict[str, Any]:
    config, catalog = sandbox.config, sandbox.catalog
    price: float | str = product.price
    if config.has_fault("selling_price_string"):
        price = f"{product.price:.2f}"
    is_first = product.sku == _first_test_sku(catalog)
    stock = product.stock
    if config.has_fault("stock_negative") and is_first:
        stock = -1
    min_sell_qty = product.min_sell_qty
    if config.has_fault("min_sell_qty_zero") and is_first:
        min_sell_qty = 0
    dimensions = _dimensions(product)
    if config.has_fault("dimensions_no_unit"):
        for name in ("length", "width", "height"):
            dimensions[name] = dimensions[name].removesuffix("/mm")
    return {
        "sku_id": product.sku,
        "sku_name": product.name(language),
        "sku_pics": list(product.pics),
        "selling_price": price,
        "stock": stock,
        "min_sell_qty": min_sell_qty,
        "category_name": catalog.categories[product.category_id].name(language),
        "category_id": product.category_id,
        "brand_name": product.brand,
        "description": product.description,
        **dimensions,
    }


def _first_test_sku(catalog: Catalog) -> str:
    # The first product of the default listing, so a fault shows on page one.
    return next(p.sku for p in catalog.products if p.type == TEST_TYPE)


def _dimensions(product: Product) -> dict[str, str]:
    return {
        "length": product.length,
        "width": product.width,
        "height": product.height,
        "weight": product.weight,
    }


async def product_detail(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    authenticate(request)
    language = params.language(request.query_params.get("language"))
    sku = request.path_params["sku"]
    product = sandbox.catalog.product(sku)
    if product is None:
        if sandbox.config.has_fault("detail_unknown_200"):
            return success(variants=[], products=[])
        raise not_found(f"no product with sku {sku!r}")
    variants, members = _configuration(sandbox, product)
    return success(
        variants=[_variant(variant) for variant in variants],
        products=[_detail_item(sandbox, m, language) for m in members],
    )


def _configuration(
    sandbox: Sandbox, product: Product
) -> tuple[tuple[Variant, ...], tuple[Product, ...]]:
    """The variants a product is offered in, and the products that make them up."""
    catalog, config = sandbox.catalog, sandbox.config
    if product.group_id is None:
        if config.has_fault("simple_detail_duplicated"):
            # A join against an image or stock table that repeats the row.
            return (), (product, product)
        return (), (product,)
    variants = catalog.groups[product.group_id].variants
    *others, last = catalog.group_members(product)
    if config.has_fault("variant_option_dangling"):
        # Beyond every offered option: the variant exists, the option does not.
        unknown = max(option for v in variants for option, _ in v.options) + 1
        *kept, (variant_id, _) = last.variant_options
        last = replace(last, variant_options=(*kept, (variant_id, unknown)))
    if config.has_fault("variant_combination_duplicate"):
        last = replace(last, variant_options=others[0].variant_options)
    return variants, (*others, last)


def _variant(variant: Variant) -> dict[str, Any]:
    return {
        "variant_id": variant.id,
        "variant_name": variant.name,
        "options": [{"option_id": o, "option_value": v} for o, v in variant.options],
    }


def _detail_item(sandbox: Sandbox, product: Product, language: str) -> dict[str, Any]:
    catalog = sandbox.catalog
    price = product.price
    if sandbox.config.has_fault("detail_price_differs"):
        price = round(product.price * 1.1, 2)
    return {
        "sku_id": product.sku,
        "sku_name": product.name(language),
        "sku_pic": product.pics[0],
        "selling_price": price,
        "stock": product.stock,
        "description": product.description,
        "category_path": catalog.category_path(product.category_id, language),
        "category_id": product.category_id,
        "brand_name": product.brand,
        "tag": product.tag,
        **_dimensions(product),
        "variant_options": [
            {"variant_id": variant, "option_id": option}
            for variant, option in product.variant_options
        ],
    }


async def check_availability(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    config = sandbox.config
    authenticate(request)
    wanted = _availability_request(await params.json_object(request), config)
    # Entries are checked one at a time: the documentation does not say that quantities
    # of a repeated SKU add up. A SKU is listed once however often it fails.
    unavailable: list[str] = []
    for sku, quantity in wanted:
        if not _purchasable(sandbox, sku, quantity) and sku not in unavailable:
            unavailable.append(sku)
    deliverable = any(sku not in unavailable for sku, _ in wanted)
    listed = unavailable
    if config.has_fault("availability_lists_all"):
        listed = list(dict.fromkeys(sku for sku, _ in wanted))
    fee = DELIVERY_PRICE
    if config.has_fault("delivery_price_negative"):
        fee = -DELIVERY_PRICE
    can_purchase = config.has_fault("availability_can_purchase_true")
    return success(
        delivery_price=fee if deliverable else 0.0,
        unavailable_skus=[{"sku": sku, "can_purchase": can_purchase} for sku in listed],
    )


def _purchasable(sandbox: Sandbox, sku: str, quantity: int) -> bool:
    product = sandbox.catalog.product(sku)
    if product is None:
        return sandbox.config.has_fault("availability_unknown_available")
    if sandbox.config.has_fault("availability_ignores_quantity"):
        return product.stock > 0
    return quantity <= product.stock


def _availability_request(
    body: dict[str, Any], config: SandboxConfig
) -> list[tuple[str, int]]:
    if "skus" not in body and config.has_fault("availability_missing_skus_ok"):
        return []
    entries = body.get("skus")
    if not isinstance(entries, list) or not entries:
        raise bad_request("skus must be a non-empty array of {sku, quantity} objects")
    wanted: list[tuple[str, int]] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise bad_request(f"skus[{index}] must be an object, got {entry!r}")
        sku = entry.get("sku")
        if not isinstance(sku, str):
            raise bad_request(f"skus[{index}].sku is required and must be a string")
        quantity = entry.get("quantity")
        if not params.is_integer(quantity) or quantity < 1:
            raise bad_request(
                f"skus[{index}].quantity must be an integer of at least 1,"
                f" got {quantity!r}"
            )
        wanted.append((sku, quantity))
    return wanted


async def list_categories(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    authenticate(request)
    if sandbox.config.has_fault("server_error_categories"):
        raise ApiError(500, "internal server error while loading categories")
    catalog = sandbox.catalog
    roots = [catalog.categories[c] for c in catalog.roots]
    return success(response_data=[_category_tree(sandbox, root) for root in roots])


def _category_tree(sandbox: Sandbox, category: Category) -> dict[str, Any]:
    catalog, config = sandbox.catalog, sandbox.config
    singled_out = _first_level_three(catalog)
    category_id = category.id
    if (
        config.has_fault("categories_duplicate_id")
        and category.id == singled_out
        and category.parent_id is not None
    ):
        category_id = category.parent_id
    level = category.level
    if config.has_fault("categories_level_zero"):
        level -= 1
    children = [catalog.categories[c] for c in category.children]
    if config.has_fault("category_missing_from_tree"):
        children = [child for child in children if child.id != singled_out]
    return {
        "id": category_id,
        "level": level,
        "name_en": category.name_en,
        "name_mn": category.name_mn,
        "children": [_category_tree(sandbox, child) for child in children],
    }


def _first_level_three(catalog: Catalog) -> int:
    # Every category holds test products, so leaving this one out of the tree leaves
    # products whose category the tree does not know.
    return next(c.id for c in catalog.categories.values() if c.level == 3)
