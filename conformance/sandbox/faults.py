"""Named deviations the sandbox can be told to commit, one broken clause each.

A conformance harness is only trustworthy if it notices when a server breaks the
contract. Each fault below makes the sandbox break exactly one documented promise, so
the harness's own tests can start a faulty sandbox and assert that the matching clause
is reported.

Adding a fault takes two lines: an entry in ``FAULTS`` and one ``config.has_fault(...)``
check at the place in the app where a real implementation would slip.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """One injectable deviation and the documentation clause it breaks."""

    name: str
    clause: str
    description: str


def _registry(*faults: Fault) -> dict[str, Fault]:
    return {fault.name: fault for fault in faults}


FAULTS: dict[str, Fault] = _registry(
    # List Products: paging
    Fault(
        "default_page_size_10",
        "products.page_size.default",
        "listProducts pages by 10 when page_size is omitted",
    ),
    Fault(
        "page_size_cap_100",
        "products.page_size.default",
        "listProducts silently cuts any page_size above 100 to 100",
    ),
    Fault(
        "page_size_uncapped",
        "products.page_size.max",
        "listProducts serves a page_size above 500 in full",
    ),
    Fault(
        "pages_floor",
        "products.response.pagination",
        "listProducts rounds pages down (total // page_size)",
    ),
    Fault(
        "total_unfiltered",
        "products.response.pagination",
        "listProducts reports as total every test product, whatever the filters",
    ),
    Fault(
        "page_overlap",
        "products.pagination.partition",
        "listProducts starts every page after the first one product early",
    ),
    Fault(
        "past_last_repeats",
        "products.pagination.partition",
        "listProducts answers a page_num past the last page with the last page",
    ),
    Fault(
        "page_size_zero_crash",
        "products.paging.below_one",
        "listProducts lets page_size 0 through and fails with a 500",
    ),
    Fault(
        "page_num_zero_wraps",
        "products.paging.below_one",
        "listProducts accepts a page_num below 1, serving a page counted from the end",
    ),
    # List Products: type, filters, language
    Fault(
        "type_ignored",
        "products.type.only_test",
        "listProducts lists the test products whatever the type",
    ),
    Fault(
        "type_optional",
        "products.type.required",
        'listProducts accepts a missing type as "test"',
    ),
    Fault(
        "category_no_descendants",
        "products.filters.category_id",
        "listProducts' category filter leaves out the categories below the one named",
    ),
    Fault(
        "keyword_ignored",
        "products.filters.keyword",
        "listProducts ignores the keyword filter",
    ),
    Fault(
        "brand_exact",
        "products.filters.brand",
        "listProducts' brand filter needs the whole brand name, case and all",
    ),
    Fault(
        "filters_or",
        "products.filters.combine",
        "listProducts drops the category filter when brand or keyword is given too",
    ),
    Fault(
        "language_default_cn",
        "products.language.default",
        "listProducts answers in Chinese when language is omitted or null",
    ),
    # List Products: fields
    Fault(
        "selling_price_string",
        "products.field.selling_price",
        'listProducts returns selling_price as a string such as "10.80"',
    ),
    Fault(
        "stock_negative",
        "products.field.stock",
        "one product reports a stock of -1",
    ),
    Fault(
        "min_sell_qty_zero",
        "products.field.min_sell_qty",
        "one product reports a min_sell_qty of 0",
    ),
    Fault(
        "dimensions_no_unit",
        "products.field.dimensions",
        'listProducts gives length, width and height without their unit ("715")',
    ),
    Fault(
        "missing_auth_products",
        "auth.bearer_required",
        "listProducts answers without checking the bearer token",
    ),
    # Get Product Details
    Fault(
        "detail_price_differs",
        "detail.consistent_with_list",
        "getProductDetail quotes a selling_price 10% above the list's",
    ),
    Fault(
        "simple_detail_duplicated",
        "detail.simple_product",
        "getProductDetail lists a simple product twice in products",
    ),
    Fault(
        "variant_option_dangling",
        "detail.variant_options.link",
        "getProductDetail points the last child of a group at an option not offered",
    ),
    Fault(
        "variant_combination_duplicate",
        "detail.variant_options.link",
        "getProductDetail gives the last child of a group the first child's options",
    ),
    Fault(
        "detail_unknown_200",
        "general.unknown_resource",
        "getProductDetail answers an unknown SKU with 200 and nothing in it",
    ),
    # Check Availability
    Fault(
        "availability_lists_all",
        "availability.only_unavailable",
        "checkAvailability lists the available SKUs too",
    ),
    Fault(
        "availability_can_purchase_true",
        "availability.can_purchase_false",
        "checkAvailability marks unavailable SKUs can_purchase true",
    ),
    Fault(
        "availability_ignores_quantity",
        "availability.consistent_with_stock",
        "checkAvailability finds any SKU in stock available, whatever the quantity",
    ),
    Fault(
        "availability_unknown_available",
        "general.unknown_resource",
        "checkAvailability treats unknown SKUs as available",
    ),
    Fault(
        "delivery_price_negative",
        "availability.delivery_price",
        "checkAvailability quotes a delivery_price of -25.5",
    ),
    Fault(
        "availability_missing_skus_ok",
        "availability.skus.required",
        "checkAvailability answers a body without skus with 200",
    ),
    # Get Categories
    Fault(
        "categories_level_zero",
        "categories.level",
        "getCategories counts levels from 0",
    ),
    Fault(
        "categories_duplicate_id",
        "categories.id",
        "getCategories gives one level-3 category its parent's id",
    ),
    Fault(
        "category_missing_from_tree",
        "categories.tree",
        "getCategories leaves out one level-3 category that has products",
    ),
    Fault(
        "server_error_categories",
        "general.server_error",
        "getCategories answers 500",
    ),
    # Create Order
    Fault(
        "status_swapped",
        "orders.create.status.po_submitted",
        "createOrder swaps the two initial statuses (with and without po_number)",
    ),
    Fault(
        "total_adds_delivery",
        "orders.create.response.total",
        "createOrder adds a delivery price of 25.5 to the order total",
    ),
    Fault(
        "region_alias_rejected",
        "orders.create.state.cn_formats",
        "createOrder refuses the China region table's aliases (Tibet, HK, ...)",
    ),
    Fault(
        "min_sell_qty_ignored",
        "orders.create.min_sell_qty",
        "createOrder accepts a qty below the product's min_sell_qty",
    ),
    Fault(
        "failed_create_leaves_order",
        "orders.create.single_step",
        "createOrder refuses a bad line yet stores the lines before it as an order",
    ),
    # Get Order Details
    Fault(
        "created_at_utc",
        "orders.get.created_at",
        'getOrder reports created_at in UTC with a "Z" suffix instead of +08:00',
    ),
    Fault(
        "get_order_price_wrong",
        "orders.get.items",
        "getOrder reports every item's price as 0.0",
    ),
    Fault(
        "po_number_dropped",
        "orders.po_number",
        "getOrder reports po_number null even when the order has one",
    ),
    Fault(
        "currency_usd",
        "orders.get.currency",
        'getOrder reports the currency as "USD" although prices are in CNY',
    ),
    Fault(
        "foreign_order_visible",
        "auth.own_orders",
        "getOrder and getOrderLogistics answer another customer's order",
    ),
    # List Orders
    Fault(
        "orders_page_size_uncapped",
        "orders.list.page_size.max",
        "listOrders serves a page_size above 100 in full",
    ),
    Fault(
        "status_filter_ignored",
        "orders.list.status_filter",
        "listOrders ignores the status filter",
    ),
    Fault(
        "date_filter_ignored",
        "orders.list.start_date",
        "listOrders ignores start_date and end_date",
    ),
    Fault(
        "orders_total_count_page",
        "orders.list.response.counts",
        "listOrders reports as total_count the number of orders on the page",
    ),
    Fault(
        "foreign_orders_listed",
        "auth.own_orders",
        "listOrders includes other customers' orders",
    ),
    # Cancel Order
    Fault(
        "cancel_status_wrong",
        "orders.cancel.response.order_status",
        'cancelOrder answers order_status "cancelled" instead of "canceled"',
    ),
    Fault(
        "cancel_twice_ok",
        "orders.cancel.allowed_states",
        "cancelOrder cancels an already canceled order again with 200",
    ),
    Fault(
        "cancel_not_stored",
        "orders.cancel.allowed_states",
        "cancelOrder answers canceled but keeps the order's old status",
    ),
    Fault(
        "foreign_cancel_allowed",
        "auth.own_orders",
        "cancelOrder cancels another customer's order",
    ),
    # Get Order Logistics
    Fault(
        "missing_auth_logistics",
        "auth.bearer_required",
        "getOrderLogistics answers without checking the bearer token",
    ),
    Fault(
        "logistics_no_tracking",
        "logistics.track_info_list",
        "getOrderLogistics leaves out track_info_list",
    ),
)


def check_fault_names(names: Iterable[str]) -> frozenset[str]:
    """Return the names as a frozenset, or raise ValueError naming the unknown ones."""
    wanted = frozenset(names)
    unknown = sorted(wanted - FAULTS.keys())
    if unknown:
        known = ", ".join(sorted(FAULTS))
        raise ValueError(
            f"unknown fault(s) {', '.join(unknown)}; known faults: {known}"
        )
    return wanted
