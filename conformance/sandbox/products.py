"""Catalog endpoints: list products, product detail, availability check, categories."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from . import params
from .catalog import TEST_TYPE, Catalog, Category, Product
from .context import Sandbox, authenticate, sandbox_of
from .responses import ApiError, bad_request, not_found, success

PRODUCT_PAGE_MAX = 500
DEFAULT_PAGE_SIZE = 20
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

    def matches(self, product: Product) -> bool:
        # Only "test" is supported, so any other type lists nothing. The catalog's other
        # products exist solely to expose a server that ignores the type.
        if self.type != TEST_TYPE or product.type != TEST_TYPE:
            return False
        if (
            self.category_ids is not None
            and product.category_id not in self.category_ids
        ):
            return False
        if self.brand and self.brand.casefold() not in product.brand.casefold():
            return False
        if self.keyword:
            needle = self.keyword.casefold()
            return any(needle in name.casefold() for name in product.names())
        return True


async def list_products(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    if not sandbox.config.has_fault("missing_auth_products"):
        authenticate(request)
    query = _product_query(await params.json_object(request), sandbox)
    matches = [p for p in sandbox.catalog.products if query.matches(p)]
    start = (query.page_num - 1) * query.page_size
    page = matches[start : start + query.page_size]
    return success(
        response_data={
            "page_num": query.page_num,
            "page_size": query.page_size,
            "total": len(matches),
            "pages": math.ceil(len(matches) / query.page_size),
            "list": [_list_item(sandbox, p, query.language) for p in page],
        }
    )


def _product_query(body: dict[str, Any], sandbox: Sandbox) -> ProductQuery:
    product_type = params.optional_string(body, "type")
    if product_type is None:
        raise bad_request("type is required")
    size = params.positive_int(body, "page_size", DEFAULT_PAGE_SIZE)
    filters = body.get("filters", {})
    if not isinstance(filters, dict):
        raise bad_request(f"filters must be an object, got {filters!r}")
    return ProductQuery(
        type=product_type,
        page_num=params.positive_int(body, "page_num", 1),
        page_size=params.page_size(
            size, PRODUCT_PAGE_MAX, sandbox.config.page_size_mode
        ),
        language=params.language(body.get("language")),
        category_ids=_category_filter(filters, sandbox.catalog),
        keyword=params.optional_string(filters, "keyword"),
        brand=params.optional_string(filters, "brand"),
    )


def _category_filter(
    filters: dict[str, Any], catalog: Catalog
) -> frozenset[int] | None:
    if "category_id" not in filters:
        return None
    value = filters["category_id"]
    if not params.is_integer(value):
        raise bad_request(f"filters.category_id must be an integer, got {value!r}")
    # An unknown category is not an error: it simply has no products.
    return catalog.subtree(value)


def _list_item(sandbox: Sandbox, product: Product, language: str) -> dict[str, Any]:
    config, catalog = sandbox.config, sandbox.catalog
    price: float | str = product.price
    if config.has_fault("selling_price_string"):
        price = f"{product.price:.2f}"
    stock = product.stock
    if config.has_fault("stock_negative") and product.sku == _first_test_sku(catalog):
        stock = -1
    return {
        "sku_id": product.sku,
        "sku_name": product.name(language),
        "sku_pics": list(product.pics),
        "selling_price": price,
        "stock": stock,
        "min_sell_qty": product.min_sell_qty,
        "category_name": catalog.categories[product.category_id].name(language),
        "category_id": product.category_id,
        "brand_name": product.brand,
        "description": product.description,
        **_dimensions(product),
    }


def _first_test_sku(catalog: Catalog) -> str:
    # The first product of the default listing, so the fault shows on page one.
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
        raise not_found(f"no product with sku {sku!r}")
    variants: list[dict[str, Any]] = []
    if product.group_id is not None:
        group = sandbox.catalog.groups[product.group_id]
        variants = [
            {
                "variant_id": variant.id,
                "variant_name": variant.name,
                "options": [
                    {"option_id": o, "option_value": v} for o, v in variant.options
                ],
            }
            for variant in group.variants
        ]
    members = sandbox.catalog.group_members(product)
    return success(
        variants=variants,
        products=[_detail_item(sandbox.catalog, m, language) for m in members],
    )


def _detail_item(catalog: Catalog, product: Product, language: str) -> dict[str, Any]:
    return {
        "sku_id": product.sku,
        "sku_name": product.name(language),
        "sku_pic": product.pics[0],
        "selling_price": product.price,
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
    authenticate(request)
    wanted = _availability_request(await params.json_object(request))
    # Entries are checked one at a time: the documentation does not say that quantities
    # of a repeated SKU add up. A SKU is listed once however often it fails.
    unavailable: list[str] = []
    for sku, quantity in wanted:
        product = sandbox.catalog.product(sku)
        if (product is None or quantity > product.stock) and sku not in unavailable:
            unavailable.append(sku)
    deliverable = any(sku not in unavailable for sku, _ in wanted)
    return success(
        delivery_price=DELIVERY_PRICE if deliverable else 0.0,
        unavailable_skus=[{"sku": sku, "can_purchase": False} for sku in unavailable],
    )


def _availability_request(body: dict[str, Any]) -> list[tuple[str, int]]:
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
    return success(response_data=[_category_tree(catalog, root) for root in roots])


def _category_tree(catalog: Catalog, category: Category) -> dict[str, Any]:
    return {
        "id": category.id,
        "level": category.level,
        "name_en": category.name_en,
        "name_mn": category.name_mn,
        "children": [
            _category_tree(catalog, catalog.categories[c]) for c in category.children
        ],
    }
