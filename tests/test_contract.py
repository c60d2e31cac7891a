import pytest

from conformance import contract

PRODUCTS = ("POST", "/rest/V1/external/products")
ORDER = ("POST", "/rest/V1/external/order")
GET_ORDER = ("GET", "/rest/V1/external/orders/{order_number}")


def test_schema_violation_is_charged_to_the_field_clause():
    pointer = ["response_data", "list", 0, "selling_price"]
    assert contract.response_clause(*PRODUCTS, 200, pointer) == "products.field.selling_price"


def test_unknown_path_in_a_response_falls_back_to_the_deepest_known_clause():
    pointer = ["response_data", "list", 0, "no_such_field"]
    assert contract.response_clause(*PRODUCTS, 200, pointer) == "products.response.list"


def test_error_responses_resolve_through_the_4xx_range():
    assert contract.response_clause(*GET_ORDER, 404, []) == "general.errors"


@pytest.mark.parametrize(
    ("body", "clause"),
    [
        ({}, "orders.create.items.required"),
        ({"items": []}, "orders.create.items.required"),
        ({"items": "SKU1"}, "orders.create.items.required"),
        ({"items": [{"sku": "A"}]}, "orders.create.items.fields"),
        ({"items": [{"sku": "A", "qty": 0}]}, "orders.create.qty.bounds"),
        ({"items": [{"sku": "A", "qty": -3}]}, "orders.create.qty.bounds"),
    ],
)
def test_hard_violations_of_an_order_body(body, clause):
    violation = contract.hard_violation(*ORDER, body)
    assert violation is not None and violation.clause == clause


def test_missing_product_type_is_hard():
    violation = contract.hard_violation(*PRODUCTS, {"page_num": 1})
    assert violation is not None and violation.clause == "products.type.required"


@pytest.mark.parametrize(
    "body",
    [
        {"type": "test", "page_size": 501},
        {"type": "test", "page_num": 0},
        {"type": "test", "language": "fr"},
        {"type": "other"},
        {"type": "test", "page_size": "20"},
    ],
)
def test_open_bounds_are_not_hard(body):
    assert contract.hard_violation(*PRODUCTS, body) is None


def test_a_wrongly_typed_optional_object_is_not_hard():
    assert contract.hard_violation(*PRODUCTS, {"type": "test", "filters": False}) is None


def test_a_valid_order_has_no_hard_violation():
    assert contract.hard_violation(*ORDER, {"items": [{"sku": "A", "qty": 2}]}) is None


def test_parameter_clause_finds_body_properties_and_query_parameters():
    assert contract.parameter_clause(*PRODUCTS, "body", "page_size") == "products.page_size.max"
    listing = ("GET", "/rest/V1/external/orders")
    assert contract.parameter_clause(*listing, "query", "page_size") == "orders.list.page_size.max"
