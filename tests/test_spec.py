"""The contract files in spec/ are well formed and agree with one another.

These tests read the files themselves (not a server): the OpenAPI document must validate,
carry the nine documented operations with bearer security and clause annotations on every
node the harness charges findings to, and every annotation must name a clause that exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from conformance.specfiles import CLAUSES_NAME, REGIONS_NAME, SPEC_NAME, spec_dir

OPERATIONS = {
    "listProducts": ("post", "/rest/V1/external/products", "catalog"),
    "getProductDetail": ("get", "/rest/V1/external/product/detail/{sku}", "catalog"),
    "checkAvailability": ("post", "/rest/V1/external/availability/check", "catalog"),
    "createOrder": ("post", "/rest/V1/external/order", "orders"),
    "getOrder": ("get", "/rest/V1/external/orders/{order_number}", "orders"),
    "cancelOrder": ("post", "/rest/V1/external/orders/{orderNum}/cancel", "orders"),
    "listOrders": ("get", "/rest/V1/external/orders", "orders"),
    "getOrderLogistics": ("get", "/rest/V1/external/orders/{orderId}/logistics", "orders"),
    "listCategories": ("get", "/rest/V1/external/categories", "categories"),
}

# Clause ids that the harness code refers to by name, and the ambiguities the brief lists.
REQUIRED_CLAUSES = {
    "general.envelope",
    "general.json",
    "general.errors",
    "general.server_error",
    "general.http_conventions",
    "auth.bearer_required",
    "auth.required",
    "products.page_size.max",
    "products.field.selling_price",
    "orders.create.status.po_submitted",
    "orders.list.page_size.max",
    "categories.level",
    "availability.can_purchase_false",
}
REQUIRED_AMBIGUOUS = {
    "general.json",
    "general.errors",
    "general.server_error",
    "general.http_conventions",
    "general.unknown_resource",
    "products.page_size.max",
    "products.paging.below_one",
    "products.type.only_test",
    "language.unknown",
    "products.filters.category_id.unknown",
    "products.filters.keyword",
    "orders.status.open_set",
    "orders.get.not_found",
    "orders.cancel.refused",
    "orders.list.page_size.max",
    "orders.list.page.below_one",
    "orders.list.items_count",
    "orders.list.end_date",
    "orders.create.above_stock",
    "orders.create.state.unrecognised",
    "general.list_order",
    "logistics.no_envelope",
    "orders.po_number",
    "products.field.dimensions_presence",
}


def _load(name: str) -> Any:
    with (spec_dir() / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return _load(SPEC_NAME)


@pytest.fixture(scope="module")
def clause_list() -> list[dict[str, Any]]:
    return _load(CLAUSES_NAME)["clauses"]


@pytest.fixture(scope="module")
def clause_ids(clause_list: list[dict[str, Any]]) -> set[str]:
    return {clause["id"] for clause in clause_list}


@pytest.fixture(scope="module")
def regions() -> list[dict[str, Any]]:
    return _load(REGIONS_NAME)["regions"]


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _operation(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    method, path, _ = OPERATIONS[operation_id]
    return spec["paths"][path][method]


def _x_clauses(node: Any) -> Iterator[str]:
    """Every x-clause value in the document, examples excluded (they are data)."""
    if isinstance(node, dict):
        if "x-clause" in node:
            yield node["x-clause"]
        for key, value in node.items():
            if key not in ("example", "examples"):
                yield from _x_clauses(value)
    elif isinstance(node, list):
        for value in node:
            yield from _x_clauses(value)


def _properties(spec: dict[str, Any], schema: Any, where: str, seen: set[int]) -> Iterator[tuple[str, dict]]:
    """(path, property schema) for every property at any depth, following $refs once."""
    schema = _resolve(spec, schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen = seen | {id(schema)}
    for name, sub in schema.get("properties", {}).items():
        resolved = _resolve(spec, sub)
        yield f"{where}.{name}", resolved
        yield from _properties(spec, resolved, f"{where}.{name}", seen)
    if "items" in schema:
        yield from _properties(spec, schema["items"], f"{where}[]", seen)
    for combinator in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(combinator, []):
            yield from _properties(spec, branch, where, seen)


def _media_schema(spec: dict[str, Any], holder: dict[str, Any]) -> Any:
    return _resolve(spec, holder)["content"]["application/json"]["schema"]


# ---- the OpenAPI document ------------------------------------------------------------------


def test_spec_is_valid_openapi_303(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.0.3"
    validate(spec)  # raises on any violation of the OpenAPI 3.0 schema


def test_servers_point_at_no_host(spec: dict[str, Any]) -> None:
    assert [server["url"] for server in spec.get("servers", [])] in ([], ["/"])


def test_exactly_the_nine_documented_operations(spec: dict[str, Any]) -> None:
    found = {
        operation["operationId"]: (method, path, operation["tags"])
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    }
    expected = {op_id: (method, path, [tag]) for op_id, (method, path, tag) in OPERATIONS.items()}
    assert found == expected


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_requires_bearer_token(spec: dict[str, Any], operation_id: str) -> None:
    scheme_names = [
        name
        for name, scheme in spec["components"]["securitySchemes"].items()
        if scheme == {**scheme, "type": "http", "scheme": "bearer"}
    ]
    assert scheme_names, "no http bearer security scheme"
    global_security = spec.get("security", [])
    security = _operation(spec, operation_id).get("security", global_security)
    assert security, "operation is not secured"
    # Every alternative must ask for the bearer scheme (an empty {} would make it optional).
    for requirement in security:
        assert set(requirement) & set(scheme_names), requirement
    for requirement in global_security:
        assert set(requirement) & set(scheme_names), requirement


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_responses(spec: dict[str, Any], operation_id: str) -> None:
    responses = _operation(spec, operation_id)["responses"]
    assert {"200", "401", "4XX"} <= set(responses)
    assert not [code for code in responses if str(code).startswith("5")], "5xx must not be declared"
    for code in ("401", "4XX"):
        schema = _resolve(spec, _media_schema(spec, responses[code]))
        assert schema.get("type") == "object"
    success = _resolve(spec, _media_schema(spec, responses["200"]))
    assert success["type"] == "object"
    if operation_id == "getOrderLogistics":
        # Documented without the envelope: code and msg must not be required there.
        assert not {"code", "msg"} & set(success["required"])
    else:
        assert {"code", "msg"} <= set(success["required"])
        code = _resolve(spec, success["properties"]["code"])
        assert code["type"] == "integer" and code["enum"] == [200]


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_has_description_and_clause(
    spec: dict[str, Any], operation_id: str, clause_ids: set[str]
) -> None:
    operation = _operation(spec, operation_id)
    assert operation.get("description", "").strip()
    assert operation.get("x-clause") in clause_ids
    for parameter in operation.get("parameters", []):
        parameter = _resolve(spec, parameter)
        assert parameter.get("description", "").strip(), parameter["name"]
        assert parameter.get("x-clause") in clause_ids, parameter["name"]


def test_path_parameter_names_follow_the_documentation(spec: dict[str, Any]) -> None:
    expected = {"getProductDetail": "sku", "getOrder": "order_number", "cancelOrder": "orderNum",
                "getOrderLogistics": "orderId"}
    for operation_id, name in expected.items():
        path_parameters = [
            p for p in map(lambda p: _resolve(spec, p), _operation(spec, operation_id)["parameters"])
            if p["in"] == "path"
        ]
        assert [p["name"] for p in path_parameters] == [name]
        assert path_parameters[0]["schema"] == {**path_parameters[0]["schema"], "type": "string", "minLength": 1}


def test_cancel_takes_no_body(spec: dict[str, Any]) -> None:
    assert "requestBody" not in _operation(spec, "cancelOrder")


def test_every_x_clause_names_an_existing_clause(spec: dict[str, Any], clause_ids: set[str]) -> None:
    used = set(_x_clauses(spec))
    assert used, "the spec carries no x-clause at all"
    assert used - clause_ids == set()


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_every_schema_property_has_a_clause(spec: dict[str, Any], operation_id: str) -> None:
    operation = _operation(spec, operation_id)
    schemas = [("response 200", _media_schema(spec, operation["responses"]["200"]))]
    if "requestBody" in operation:
        schemas.append(("request body", _media_schema(spec, operation["requestBody"])))
    for parameter in operation.get("parameters", []):
        parameter = _resolve(spec, parameter)
        assert "x-clause" in _resolve(spec, parameter["schema"]), parameter["name"]
    missing = []
    count = 0
    for label, schema in schemas:
        for where, prop in _properties(spec, schema, label, set()):
            count += 1
            if "x-clause" not in prop:
                missing.append(where)
    assert count > 0
    assert missing == []


def test_response_objects_stay_open(spec: dict[str, Any]) -> None:
    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            if node.get("additionalProperties") is False:
                yield where
            for key, value in node.items():
                if key not in ("example", "examples"):
                    yield from walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{where}/{index}")

    assert list(walk(spec, "#")) == []


def _body_property(spec: dict[str, Any], operation_id: str, *names: str) -> dict[str, Any]:
    node = _resolve(spec, _media_schema(spec, _operation(spec, operation_id)["requestBody"]))
    for name in names:
        node = _resolve(spec, node["items"] if name == "[]" else node["properties"][name])
    return node


def _query(spec: dict[str, Any], operation_id: str, name: str) -> dict[str, Any]:
    for parameter in _operation(spec, operation_id)["parameters"]:
        parameter = _resolve(spec, parameter)
        if parameter["name"] == name:
            assert parameter["in"] == "query"
            return parameter["schema"]
    raise AssertionError(f"{operation_id} has no parameter {name}")


def test_product_list_request_matches_the_parameter_table(spec: dict[str, Any]) -> None:
    body = _resolve(spec, _media_schema(spec, _operation(spec, "listProducts")["requestBody"]))
    assert body["required"] == ["type"]
    assert _body_property(spec, "listProducts", "type") == {
        **_body_property(spec, "listProducts", "type"), "type": "string", "enum": ["test"]}
    page_num = _body_property(spec, "listProducts", "page_num")
    assert (page_num["type"], page_num["minimum"], page_num["default"]) == ("integer", 1, 1)
    assert page_num["maximum"] == 2147483647
    page_size = _body_property(spec, "listProducts", "page_size")
    assert (page_size["minimum"], page_size["maximum"], page_size["default"]) == (1, 500, 20)
    language = _body_property(spec, "listProducts", "language")
    assert language["nullable"] is True and language["default"] == "en"
    assert set(language["enum"]) == {"en", "cn", "mn", None}
    filters = _body_property(spec, "listProducts", "filters")["properties"]
    assert {name: _resolve(spec, s)["type"] for name, s in filters.items()} == {
        "category_id": "integer", "keyword": "string", "brand": "string"}


def test_detail_language_parameter(spec: dict[str, Any]) -> None:
    language = _query(spec, "getProductDetail", "language")
    assert set(language["enum"]) >= {"en", "cn", "mn"} and language["default"] == "en"


def test_order_list_parameters(spec: dict[str, Any]) -> None:
    page = _query(spec, "listOrders", "page")
    assert (page["type"], page["minimum"], page["default"], page["maximum"]) == ("integer", 1, 1, 2147483647)
    page_size = _query(spec, "listOrders", "page_size")
    assert (page_size["minimum"], page_size["maximum"], page_size["default"]) == (1, 100, 20)
    assert "enum" not in _query(spec, "listOrders", "status")  # statuses are an open set
    for name in ("start_date", "end_date"):
        assert _query(spec, "listOrders", name) == {
            **_query(spec, "listOrders", name), "type": "string", "format": "date"}


def test_availability_and_create_requests(spec: dict[str, Any]) -> None:
    skus = _body_property(spec, "checkAvailability", "skus")
    assert skus["minItems"] == 1
    entry = _body_property(spec, "checkAvailability", "skus", "[]")
    assert set(entry["required"]) == {"sku", "quantity"}
    assert _body_property(spec, "checkAvailability", "skus", "[]", "quantity")["minimum"] == 1

    body = _resolve(spec, _media_schema(spec, _operation(spec, "createOrder")["requestBody"]))
    assert body["required"] == ["items"]
    line = _body_property(spec, "createOrder", "items", "[]")
    assert set(line["required"]) == {"sku", "qty"}
    assert _body_property(spec, "createOrder", "items", "[]", "qty")["minimum"] == 1
    defaults = {name: _body_property(spec, "createOrder", name).get("default") for name in body["properties"]}
    assert defaults == {
        "po_number": None, "items": None, "firstname": "Shoppy", "lastname": "MN", "street": "UB",
        "city": "UB", "postcode": "18010", "country_id": "CN", "telephone": "111-222-3333",
        "state": None,
    }


def test_request_integers_are_bounded(spec: dict[str, Any]) -> None:
    """Every integer a client sends has an upper bound (32-bit where none is documented)."""
    unbounded = []
    for operation_id in OPERATIONS:
        operation = _operation(spec, operation_id)
        nodes = [(p["name"], p["schema"]) for p in map(lambda p: _resolve(spec, p), operation.get("parameters", []))]
        if "requestBody" in operation:
            nodes += _properties(spec, _media_schema(spec, operation["requestBody"]), "body", set())
        for where, node in nodes:
            if _resolve(spec, node).get("type") == "integer" and "maximum" not in _resolve(spec, node):
                unbounded.append(f"{operation_id}: {where}")
    assert unbounded == []


def test_create_order_links_follow_the_new_order(spec: dict[str, Any]) -> None:
    links = _operation(spec, "createOrder")["responses"]["200"]["links"]
    targets = {link["operationId"]: link["parameters"] for link in links.values()}
    assert targets == {
        "getOrder": {"order_number": "$response.body#/order_number"},
        "cancelOrder": {"orderNum": "$response.body#/order_number"},
        "getOrderLogistics": {"orderId": "$response.body#/order_number"},
    }


def test_response_types_follow_the_documentation(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]

    def field(schema: str, *names: str) -> dict[str, Any]:
        node = schemas[schema]
        for name in names:
            node = _resolve(spec, node["items"] if name == "[]" else node["properties"][name])
        return node

    item = "ProductListItem"
    assert field(item, "selling_price")["type"] == "number"
    assert field(item, "stock")["type"] == field(item, "min_sell_qty")["type"] == "integer"
    assert field(item, "category_id")["type"] == "integer"
    assert field(item, "sku_pics") == {**field(item, "sku_pics"), "type": "array", "items": {"type": "string"}}
    assert not {"length", "width", "height", "weight"} & set(schemas[item]["required"])
    assert field("DetailProduct", "sku_pic")["type"] == "string"
    assert field("AvailabilityResponse", "unavailable_skus", "[]", "can_purchase")["enum"] == [False]
    assert field("CancelOrderResponse", "order_status")["enum"] == ["canceled"]
    assert "enum" not in field("CreateOrderResponse", "order_status")
    assert field("OrderDetailResponse", "response_data", "po_number")["nullable"] is True
    assert field("OrderDetailResponse", "response_data", "created_at")["format"] == "date-time"
    assert field("OrderSummary", "po_number")["nullable"] is True
    assert "format" not in field("LogisticsResponse", "track_info_list", "[]", "track_msg_time")
    assert field("Category", "children", "[]") is schemas["Category"]
    assert field("Category", "level")["minimum"] == 1


# ---- clauses -------------------------------------------------------------------------------


def test_clause_count_is_within_bounds(clause_list: list[dict[str, Any]]) -> None:
    assert 60 <= len(clause_list) <= 120


def test_clause_ids_are_unique(clause_list: list[dict[str, Any]]) -> None:
    ids = [clause["id"] for clause in clause_list]
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_clauses_are_well_formed(clause_list: list[dict[str, Any]]) -> None:
    for clause in clause_list:
        assert set(clause) <= {"id", "section", "text", "kind", "readings"}, clause["id"]
        assert clause["section"].strip() and clause["text"].strip(), clause["id"]
        assert "\n" not in clause["text"].strip(), clause["id"]
        assert clause["kind"] in ("unambiguous", "ambiguous"), clause["id"]
        if clause["kind"] == "ambiguous":
            readings = clause.get("readings", [])
            assert len(readings) >= 2, clause["id"]
            assert len(set(readings)) == len(readings), clause["id"]
            assert all(isinstance(r, str) and r.strip() for r in readings), clause["id"]
        else:
            assert "readings" not in clause, clause["id"]


def test_harness_clauses_exist(clause_list: list[dict[str, Any]]) -> None:
    by_id = {clause["id"]: clause for clause in clause_list}
    assert REQUIRED_CLAUSES - set(by_id) == set()
    assert REQUIRED_AMBIGUOUS - set(by_id) == set()
    assert [i for i in sorted(REQUIRED_AMBIGUOUS) if by_id[i]["kind"] != "ambiguous"] == []
    assert {by_id[i]["section"] for i in by_id if i.startswith("general.")} >= {"General"}


def test_loader_sees_the_same_clauses(clause_ids: set[str]) -> None:
    from conformance.specfiles import load_clauses

    assert set(load_clauses()) == clause_ids


# ---- regions -------------------------------------------------------------------------------

FORMS = ("code", "pinyin", "chinese", "short_chinese", "short_pinyin")


def test_there_are_34_regions_with_unique_codes(regions: list[dict[str, Any]]) -> None:
    codes = [region["code"] for region in regions]
    assert len(regions) == 34
    assert len(set(codes)) == 34
    assert all(code.startswith("CN-") and len(code) == 5 for code in codes)


def test_each_region_has_all_five_distinct_forms(regions: list[dict[str, Any]]) -> None:
    for region in regions:
        forms = [region[name] for name in FORMS] + list(region["aliases"])
        assert all(isinstance(form, str) and form.strip() for form in forms), region
        assert len(set(forms)) == len(forms), region


def test_no_form_names_two_regions(regions: list[dict[str, Any]]) -> None:
    owner: dict[str, str] = {}
    for region in regions:
        for form in [region[name] for name in FORMS] + list(region["aliases"]):
            assert owner.setdefault(form.casefold(), region["code"]) == region["code"], form


def test_table_aliases_are_kept(regions: list[dict[str, Any]]) -> None:
    by_code = {region["code"]: region for region in regions}
    assert by_code["CN-MO"]["aliases"] == ["Macau", "MO"]
    assert by_code["CN-MO"]["short_pinyin"] == "Macao"
    assert by_code["CN-NM"]["short_pinyin"] == "Nei Mongol"
    assert by_code["CN-NM"]["aliases"] == ["Inner Mongolia"]
    assert by_code["CN-XZ"]["aliases"] == ["Tibet"]
    assert by_code["CN-HK"]["short_pinyin"] == "Hong Kong"
    assert by_code["CN-HK"]["aliases"] == ["HK"]
    assert by_code["CN-BJ"] == {
        "code": "CN-BJ", "pinyin": "Beijing Shi", "chinese": "北京市", "short_chinese": "北京",
        "short_pinyin": "Beijing", "aliases": [],
    }
    # Shaanxi and Shanxi are different provinces; the table keeps them apart.
    assert by_code["CN-SN"]["short_pinyin"] == "Shaanxi" and by_code["CN-SX"]["short_pinyin"] == "Shanxi"
