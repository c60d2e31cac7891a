"""The spec agrees with the documentation text itself.

The documentation (shared/docs/partner-integration-api.txt) holds two kinds of JSON blocks:
plain JSON examples with real values, and outlines whose values are type placeholders
("string", "integer", "float") and which often carry `// comments`. Examples are validated
as they stand against the spec's schemas; outlines have their placeholders replaced by
values of that type and are validated too, and the fields they name must be declared (and,
in answers, required). The parameter and field tables, the regions table, and the spec's own
embedded examples are checked as well.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from conformance.specfiles import CLAUSES_NAME, REGIONS_NAME, SPEC_NAME, spec_dir

DOC_RELATIVE = Path(__file__).resolve().parents[2] / "shared/docs/partner-integration-api.txt"
DOC_ENV = "PARTNER_API_DOCS"
SPEC_URI = "urn:partner-api"


def _doc_path() -> Path | None:
    if DOC_RELATIVE.is_file():
        return DOC_RELATIVE
    override = os.environ.get(DOC_ENV)
    if override and Path(override).is_file():
        return Path(override)
    return None


DOC_PATH = _doc_path()
DOC = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH else None
SKIP_REASON = (
    f"documentation not found at {DOC_RELATIVE} and ${DOC_ENV} does not name a readable file"
)
pytestmark = pytest.mark.skipif(DOC is None, reason=SKIP_REASON)


# ---- reading the documentation -------------------------------------------------------------

ENDPOINT_LINE = re.compile(r"^(GET|POST) (/rest/V1/external/\S+)$")
PLACEHOLDERS = {"string", "integer", "float"}
COMMENT_FLAG = re.compile(r'"(\w+)"\s*:.*//\s*(Required|Optional)\b')


@dataclass(frozen=True)
class Block:
    method: str
    path: str
    heading: str
    role: str  # "request" or "response"
    raw: str
    value: Any  # parsed JSON, comments stripped
    is_example: bool  # plain JSON with real values (not an outline)
    flags: dict[str, str]  # field -> "Required"/"Optional", from the outline's comments

    @property
    def label(self) -> str:
        return f"{self.method} {self.path} {self.role} ({self.heading})"


def _strip_comments(text: str) -> str:
    """Drop `// ...` up to the end of the line, outside JSON strings."""
    out, in_string, escaped, i = [], False, False, 0
    while i < len(text):
        char = text[i]
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _brace_depth(line: str) -> int:
    stripped = re.sub(r'"(?:[^"\\]|\\.)*"', '""', _strip_comments(line))
    return stripped.count("{") + stripped.count("[") - stripped.count("}") - stripped.count("]")


def _is_outline(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_is_outline(v) for v in value.values())
    if isinstance(value, list):
        return any(_is_outline(v) for v in value)
    return value in PLACEHOLDERS


def _role(heading: str) -> str | None:
    if heading.startswith("Response"):
        return "response"
    if heading == "Request Body" or heading.startswith("Example"):
        return "request"
    return None


def _parse_blocks(doc: str) -> list[Block]:
    lines = doc.splitlines()
    blocks: list[Block] = []
    endpoint: tuple[str, str] | None = None
    index = 0
    while index < len(lines):
        match = ENDPOINT_LINE.match(lines[index].strip())
        if match:
            endpoint = (match.group(1), match.group(2))
        if lines[index].strip() == "{":
            end, depth = index, 0
            while True:
                depth += _brace_depth(lines[end])
                if depth == 0:
                    break
                end += 1
            raw = "\n".join(lines[index : end + 1])
            heading, role = "", None
            for back in range(index - 1, max(index - 4, -1), -1):
                candidate = lines[back].strip()
                if candidate and _role(candidate):
                    heading, role = candidate, _role(candidate)
                    break
            try:
                plain: Any = json.loads(raw)
            except ValueError:
                plain = None
            value = json.loads(_strip_comments(raw))  # every block must parse once stripped
            assert endpoint is not None and role is not None, raw[:80]
            blocks.append(Block(
                method=endpoint[0].lower(),
                path=endpoint[1],
                heading=heading,
                role=role,
                raw=raw,
                value=value,
                is_example=plain is not None and not _is_outline(plain),
                flags={key: flag for key, flag in COMMENT_FLAG.findall(raw)},
            ))
            index = end
        index += 1
    return blocks


BLOCKS = _parse_blocks(DOC) if DOC else []
EXAMPLES = [b for b in BLOCKS if b.is_example]
OUTLINES = [b for b in BLOCKS if not b.is_example]


def _params(blocks: list[Block]) -> list[Any]:
    if not blocks:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_REASON), id="no-doc")]
    counts: Counter[str] = Counter()
    params = []
    for block in blocks:
        name = f"{block.method}-{block.path.removeprefix('/rest/V1/external/')}-{block.role}"
        counts[name] += 1
        params.append(pytest.param(block, id=f"{name}-{counts[name]}"))
    return params


# ---- the spec side -------------------------------------------------------------------------


def _load(name: str) -> Any:
    with (spec_dir() / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


SPEC = _load(SPEC_NAME)
REGISTRY = Registry().with_resource(SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT4))


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _media_pointer(method: str, path: str, role: str) -> str:
    base = f"/paths/{_escape(path)}/{method}"
    if role == "request":
        return f"{base}/requestBody/content/application~1json/schema"
    return f"{base}/responses/200/content/application~1json/schema"


def _validator(pointer: str, formats: bool = True) -> OAS30Validator:
    """An OpenAPI 3.0 validator (nullable, $ref into the spec) for the schema at pointer."""
    return OAS30Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"},
        registry=REGISTRY,
        format_checker=oas30_format_checker if formats else None,
    )


def _errors(validator: OAS30Validator, instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in validator.iter_errors(instance)]


def _resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _schema_at(method: str, path: str, role: str) -> dict[str, Any]:
    node: Any = SPEC
    for part in _media_pointer(method, path, role).strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return _resolve(node)


def _field(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    """The schema of a field named like the documentation's tables: `a[].b`."""
    node = _resolve(schema)
    for part in dotted.split("."):
        is_list = part.endswith("[]")
        node = _resolve(node["properties"][part.removesuffix("[]")])
        if is_list:
            node = _resolve(node["items"])
    return node


# ---- the examples --------------------------------------------------------------------------

EXPECTED_EXAMPLES = Counter({
    ("post", "/rest/V1/external/products", "response"): 1,
    ("get", "/rest/V1/external/product/detail/{sku}", "response"): 1,
    ("post", "/rest/V1/external/order", "request"): 3,
    ("post", "/rest/V1/external/order", "response"): 3,
    ("get", "/rest/V1/external/orders/{orderId}/logistics", "response"): 1,
    ("get", "/rest/V1/external/categories", "response"): 1,
})
EXPECTED_OUTLINES = Counter({
    ("post", "/rest/V1/external/products", "request"): 1,
    ("post", "/rest/V1/external/products", "response"): 1,
    ("get", "/rest/V1/external/product/detail/{sku}", "response"): 1,
    ("post", "/rest/V1/external/availability/check", "request"): 1,
    ("post", "/rest/V1/external/availability/check", "response"): 1,
    ("post", "/rest/V1/external/order", "request"): 1,
    ("get", "/rest/V1/external/orders/{order_number}", "response"): 1,
    ("post", "/rest/V1/external/orders/{orderNum}/cancel", "response"): 1,
    ("get", "/rest/V1/external/orders", "response"): 1,
    ("get", "/rest/V1/external/orders/{orderId}/logistics", "response"): 1,
})


def test_every_json_block_of_the_documentation_is_found() -> None:
    assert Counter((b.method, b.path, b.role) for b in EXAMPLES) == EXPECTED_EXAMPLES
    assert Counter((b.method, b.path, b.role) for b in OUTLINES) == EXPECTED_OUTLINES
    headings = {b.heading for b in EXAMPLES if b.role == "response"}
    assert headings == {"Response Example", "Response", "Response:"}


def test_every_documented_endpoint_is_in_the_spec() -> None:
    documented = {
        (m.group(1).lower(), m.group(2))
        for m in (ENDPOINT_LINE.match(line.strip()) for line in DOC.splitlines())
        if m
    }
    declared = {(method, path) for path, item in SPEC["paths"].items() for method in item}
    assert documented == declared


@pytest.mark.parametrize("block", _params(EXAMPLES))
def test_documentation_example_matches_the_spec(block: Block) -> None:
    validator = _validator(_media_pointer(block.method, block.path, block.role))
    assert _errors(validator, block.value) == [], block.label


def _instantiate(value: Any, schema: Any) -> Any:
    """Replace type placeholders by a value of that type (the first allowed one for an enum)."""
    schema = _resolve(schema) if isinstance(schema, dict) else {}
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {key: _instantiate(item, properties.get(key, {})) for key, item in value.items()}
    if isinstance(value, list):
        return [_instantiate(item, schema.get("items", {})) for item in value]
    if isinstance(value, str) and value in PLACEHOLDERS:
        if schema.get("enum"):
            return schema["enum"][0]
        return {"string": "text", "integer": 1, "float": 1.5}[value]
    return value


def _keys(value: Any, where: str = "") -> list[tuple[str, str]]:
    """(parent path, key) for every object key in value, paths in table style `a[].b`."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((where, key))
            child = f"{where}.{key}" if where else key
            found += _keys(item, child)
    elif isinstance(value, list):
        for item in value:
            found += _keys(item, f"{where}[]")
    return found


@pytest.mark.parametrize("block", _params(OUTLINES))
def test_documentation_outline_matches_the_spec(block: Block) -> None:
    # Placeholders stand for any value of the type, so formats are not checked here.
    validator = _validator(_media_pointer(block.method, block.path, block.role), formats=False)
    schema = _schema_at(block.method, block.path, block.role)
    assert _errors(validator, _instantiate(block.value, schema)) == [], block.label


# Documented fields the spec leaves optional on purpose, with the reading that needs it:
# an order created without a PO number may come back without one (orders.po_number).
OPTIONAL_ON_PURPOSE = {"po_number"}


@pytest.mark.parametrize("block", _params(OUTLINES))
def test_outline_fields_are_declared(block: Block) -> None:
    schema = _schema_at(block.method, block.path, block.role)
    undeclared, optional = [], []
    for parent, key in _keys(block.value):
        holder = _field(schema, parent) if parent else schema
        if key not in holder.get("properties", {}):
            undeclared.append(f"{parent}.{key}")
        elif block.role == "response" and key not in holder.get("required", []):
            if key not in OPTIONAL_ON_PURPOSE:
                optional.append(f"{parent}.{key}")
        elif block.role == "request":
            flag = block.flags.get(key)
            if flag == "Required":
                assert key in holder.get("required", []), f"{parent}.{key} is documented as required"
            if flag == "Optional":
                assert key not in holder.get("required", []), f"{parent}.{key} is documented as optional"
    assert undeclared == []
    assert optional == [], "every field of a documented answer is required in the spec"


def _spec_examples() -> list[tuple[str, str, str, str, Any]]:
    found = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            holders = [("request", operation.get("requestBody", {}))]
            holders += [("response", r) for code, r in operation["responses"].items() if code == "200"]
            for role, holder in holders:
                media = _resolve(holder).get("content", {}).get("application/json", {})
                for name, example in media.get("examples", {}).items():
                    found.append((method, path, role, name, example["value"]))
                if "example" in media:
                    found.append((method, path, role, "example", media["example"]))
    return found


def test_spec_embeds_every_documentation_example() -> None:
    def canonical(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    in_spec = Counter((m, p, r, canonical(v)) for m, p, r, _, v in _spec_examples())
    in_doc = Counter((b.method, b.path, b.role, canonical(b.value)) for b in EXAMPLES)
    assert in_spec == in_doc


@pytest.mark.parametrize(
    "method, path, role, name, value",
    [pytest.param(*entry, id=f"{entry[0]}-{entry[1]}-{entry[2]}-{entry[3]}") for entry in _spec_examples()],
)
def test_spec_example_matches_its_schema(method: str, path: str, role: str, name: str, value: Any) -> None:
    assert _errors(_validator(_media_pointer(method, path, role)), value) == []


# ---- tables --------------------------------------------------------------------------------


def _section(title_line: str, until_line: str | None = None) -> str:
    start = DOC.index(f"\n{title_line}\n")
    end = DOC.index(f"\n{until_line}\n", start + 1) if until_line else len(DOC)
    return DOC[start:end]


def _table(section: str, header_start: str) -> list[dict[str, str]]:
    lines = section.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    columns = [c.strip() for c in lines[head].strip("|").split("|")]
    rows = []
    for line in lines[head + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append(dict(zip(columns, cells, strict=True)))
    return rows


JSON_TYPES = {"string": "string", "integer": "integer", "float": "number", "array": "array",
              "boolean": "boolean"}


@pytest.mark.parametrize(
    "title, until, role",
    [
        ("List Products", "Get Product Details", "response"),
        ("Check Availability", "Order Management APIs", "response"),
        ("Get Order Logistics", "Category Management API", "response"),
    ],
)
def test_field_tables_match_response_types(title: str, until: str, role: str) -> None:
    section = _section(title, until)
    method, path = next(
        (m.group(1).lower(), m.group(2))
        for m in (ENDPOINT_LINE.match(line.strip()) for line in section.splitlines())
        if m
    )
    schema = _schema_at(method, path, role)
    if title == "List Products":
        schema = _field(schema, "response_data.list[]")
    rows = _table(section, "| Field | Type |")
    assert rows
    for row in rows:
        assert _field(schema, row["Field"])["type"] == JSON_TYPES[row["Type"]], row


def test_product_list_parameter_table() -> None:
    rows = {row["Parameter"]: row for row in _table(_section("List Products", "Get Product Details"),
                                                   "| Parameter |")}
    schema = _schema_at("post", "/rest/V1/external/products", "request")
    for name, row in rows.items():
        field = _field(schema, name)
        assert field["type"] == JSON_TYPES[row["Type"]], name
        parent = _field(schema, name.rsplit(".", 1)[0]) if "." in name else schema
        assert (name.rsplit(".", 1)[-1] in parent.get("required", [])) == (row["Required"] == "Yes"), name
        if row["Default"] != "-":
            assert str(field["default"]) == row["Default"], name
    maximum = re.search(r"max (\d+)", rows["page_size"]["Description"])
    assert maximum and _field(schema, "page_size")["maximum"] == int(maximum.group(1))


def test_create_order_parameter_table() -> None:
    section = _section("Create Order", "Get Order Details")
    schema = _schema_at("post", "/rest/V1/external/order", "request")
    for row in _table(section, "| Parameter |"):
        name = row["Parameter"]
        field = _field(schema, name)
        assert field["type"] == JSON_TYPES[row["Type"]], name
        parent = _field(schema, name.rsplit(".", 1)[0]) if "." in name else schema
        assert (name.rsplit(".", 1)[-1] in parent.get("required", [])) == (row["Required"] == "Yes"), name
        expected_default = None if row["Default"] == "-" else row["Default"]
        assert field.get("default") == expected_default, name


def test_order_list_query_table() -> None:
    section = _section("List Orders", "Get Order Logistics")
    parameters = {p["name"]: p for p in SPEC["paths"]["/rest/V1/external/orders"]["get"]["parameters"]}
    for row in _table(section, "| Name |"):
        parameter = parameters[row["Name"]]
        assert parameter["in"] == "query" and parameter["required"] is (row["Required"] == "Yes")
        assert parameter["schema"]["type"] == JSON_TYPES[row["Type"]]
        default = re.search(r"default: (\d+)", row["Description"])
        if default:
            assert parameter["schema"]["default"] == int(default.group(1)), row
        maximum = re.search(r"max: (\d+)", row["Description"])
        if maximum:
            assert parameter["schema"]["maximum"] == int(maximum.group(1)), row
    assert set(parameters) == {row["Name"] for row in _table(section, "| Name |")}


def test_regions_match_the_documentation_table() -> None:
    rows = _table(_section("China Regions Reference", "Response"), "| Code |")
    documented = []
    for row in rows:
        short = [form.strip() for form in row["Short/Aliases"].split(",")]
        documented.append({
            "code": row["Code"], "pinyin": row["Pinyin"], "chinese": row["Chinese"],
            "short_chinese": short[0], "short_pinyin": short[1], "aliases": short[2:],
        })
    assert len(documented) == 34
    assert _load(REGIONS_NAME)["regions"] == documented


# ---- our own words -------------------------------------------------------------------------


def test_spec_and_clause_texts_are_not_copied_from_the_documentation() -> None:
    """No run of seven words (paths and field names aside) is lifted from the documentation."""
    size = 7

    def words(text: str) -> list[str]:
        text = re.sub(r"/rest/V1/external/\S*", " ", text)
        return re.findall(r"[a-z0-9_]+", text.lower())

    doc_words = words(DOC)
    doc_runs = {tuple(doc_words[i : i + size]) for i in range(len(doc_words) - size + 1)}
    texts: list[str] = []

    def collect(node: Any, key: str | None = None) -> None:
        if isinstance(node, dict):
            for child_key, child in node.items():
                if child_key not in ("example", "examples"):
                    collect(child, child_key)
        elif isinstance(node, list):
            for child in node:
                collect(child, key)
        elif isinstance(node, str) and key in ("description", "summary", "title"):
            texts.append(node)

    collect(SPEC)
    for clause in _load(CLAUSES_NAME)["clauses"]:
        texts += [clause["text"], *clause.get("readings", [])]
    copied = []
    for text in texts:
        run = words(text)
        copied += [" ".join(run[i : i + size]) for i in range(len(run) - size + 1)
                   if tuple(run[i : i + size]) in doc_runs]
    assert copied == []
