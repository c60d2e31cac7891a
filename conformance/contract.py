"""What the spec says about one operation: its clauses and its hard constraints.

Every schema node of ``spec/partner-api.yaml`` may carry ``x-clause``, the id of the
documentation clause that makes it. A violation found at a JSON path is charged to the
deepest ``x-clause`` on that path, falling back to the operation's own clause.

Constraints come in two strengths. The documentation makes some of them hard: a required
field, the JSON shape of an object or an array, and the bounds marked ``x-reject: <clause>``
(for example an order's quantity of at least 1), which name the clause that makes them
hard. Everything else in the spec (maxima,
enums, scalar types) describes well-formed input, but the documentation never says a
server must refuse input outside it, so accepting such input is a reading, not a fault.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema

from conformance.specfiles import load_spec

GENERAL_CLAUSE = "general.server_error"
_MISSING = object()


@dataclass(frozen=True)
class Violation:
    """A hard constraint that a request breaks."""

    clause: str
    where: str
    what: str


def _resolve(node: Any) -> Any:
    spec = load_spec()
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
        if seen > 32:
            raise ValueError("reference cycle in spec")
    return node


@functools.cache
def operation(method: str, path: str) -> dict[str, Any]:
    """The operation object for ``method`` and the spec's templated ``path``."""
    item = load_spec()["paths"].get(path)
    if item is None or method.lower() not in item:
        raise KeyError(f"{method.upper()} {path} is not in the spec")
    return item[method.lower()]


def operation_clause(method: str, path: str) -> str:
    try:
        return operation(method, path).get("x-clause", GENERAL_CLAUSE)
    except KeyError:
        return GENERAL_CLAUSE


def operation_id(method: str, path: str) -> str | None:
    try:
        return operation(method, path).get("operationId")
    except KeyError:
        return None


def _response_schema(method: str, path: str, status: int) -> dict[str, Any] | None:
    responses = operation(method, path).get("responses", {})
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            content = _resolve(responses[key]).get("content", {})
            media = content.get("application/json") or next(iter(content.values()), {})
            return media.get("schema")
    return None


def _children(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for combinator in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(combinator, []):
            yield from _children(_resolve(branch))


def _step(node: dict[str, Any], key: str | int) -> dict[str, Any] | None:
    for candidate in _children(node):
        if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
            if "items" in candidate:
                return _resolve(candidate["items"])
        props = candidate.get("properties", {})
        if key in props:
            return _resolve(props[key])
    return None


def _clause_along(schema: Any, pointer: Sequence[str | int], fallback: str) -> str:
    clause = fallback
    node = _resolve(schema) if schema is not None else None
    for key in [None, *pointer]:
        if node is None:
            break
        if key is not None:
            node = _step(node, key)
            if node is None:
                break
        for candidate in _children(node):
            clause = candidate.get("x-clause", clause)
    return clause


def response_clause(method: str, path: str, status: int, pointer: Sequence[str | int]) -> str:
    """The clause that makes the response field at ``pointer`` what it is."""
    fallback = operation_clause(method, path)
    try:
        schema = _response_schema(method, path, status)
    except KeyError:
        return fallback
    return _clause_along(schema, pointer, fallback)


def _body_schema(method: str, path: str) -> Any:
    body = _resolve(operation(method, path).get("requestBody", {}))
    content = body.get("content", {})
    media = content.get("application/json") or next(iter(content.values()), {})
    return media.get("schema")


def parameter_clause(method: str, path: str, location: str | None, name: str | None) -> str:
    """The clause of a request parameter, or of a body property when location is body."""
    fallback = operation_clause(method, path)
    if name is None:
        return fallback
    try:
        op = operation(method, path)
    except KeyError:
        return fallback
    if location == "body":
        return _clause_along(_body_schema(method, path), name.strip("/").split("/"), fallback)
    for parameter in op.get("parameters", []):
        parameter = _resolve(parameter)
        if parameter.get("name") == name:
            schema = _resolve(parameter.get("schema", {}))
            return parameter.get("x-clause") or schema.get("x-clause") or fallback
    return fallback


def hard_violation(method: str, path: str, body: Any) -> Violation | None:
    """The first hard constraint that a request body breaks, if any."""
    try:
        op = operation(method, path)
    except KeyError:
        return None
    schema = _body_schema(method, path)
    if schema is None:
        return None
    if body is None:
        if _resolve(op.get("requestBody", {})).get("required"):
            return Violation(operation_clause(method, path), "body", "the body is missing")
        return None
    return _walk(body, _resolve(schema), "body", operation_clause(method, path), True)


def first_violation_clause(method: str, path: str, body: Any) -> tuple[str, str] | None:
    """Clause and location of the first spec constraint (hard or not) the body breaks."""
    try:
        schema = _body_schema(method, path)
    except KeyError:
        return None
    if schema is None:
        return None
    validator = jsonschema.Draft4Validator(_plain_schema(schema))
    error = next(iter(sorted(validator.iter_errors(body), key=lambda e: len(e.path))), None)
    if error is None:
        return None
    pointer = list(error.path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = next((n for n in error.validator_value if n not in error.instance), None)
        pointer.append(missing) if missing is not None else None
    where = "body" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in pointer)
    return _clause_along(schema, pointer, operation_clause(method, path)), where


def _plain_schema(node: Any) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema (refs inlined, ``nullable`` applied)."""
    node = _resolve(node)
    if isinstance(node, list):
        return [_plain_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    plain = {k: _plain_schema(v) for k, v in node.items() if not k.startswith("x-")}
    if node.get("nullable") and "type" in plain:
        plain["type"] = [plain["type"], "null"]
        if "enum" in plain:
            plain["enum"] = [*plain["enum"], None]
    plain.pop("nullable", None)
    plain.pop("example", None)
    plain.pop("examples", None)
    return plain


def _walk(value: Any, schema: dict[str, Any], where: str, clause: str,
          required: bool) -> Violation | None:
    # A wrongly typed optional object (filters: false) may be read as absent: only the
    # body, array items and required properties must have their JSON shape.
    clause = schema.get("x-clause", clause)
    kind = schema.get("type")
    shape = {"object": (dict, "an object"), "array": (list, "an array")}.get(kind)
    if shape and not isinstance(value, shape[0]):
        if not required:
            return None
        return Violation(clause, where, f"expected {shape[1]}, got {_json_type(value)}")
    if kind == "object":
        return _walk_object(value, schema, where, clause)
    reject = schema.get("x-reject")
    if kind == "array":
        if reject and len(value) < schema.get("minItems", 0):
            return Violation(reject, where, f"needs at least {schema['minItems']} item(s)")
        for index, item in enumerate(value):
            found = _walk(item, _resolve(schema.get("items", {})), f"{where}[{index}]", clause,
                          True)
            if found:
                return found
        return None
    minimum = schema.get("minimum")
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if reject and minimum is not None and is_number and value < minimum:
        return Violation(reject, where, f"{value!r} is below the minimum {minimum}")
    return None


def _walk_object(
    value: dict[str, Any], schema: dict[str, Any], where: str, clause: str
) -> Violation | None:
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if value.get(name, _MISSING) in (_MISSING, None):
            sub = _resolve(properties.get(name, {}))
            charged = sub.get("x-required-clause") or sub.get("x-clause", clause)
            return Violation(charged, f"{where}.{name}", "required but missing")
    needed = set(schema.get("required", []))
    for name, sub in properties.items():
        if name in value and value[name] is not None:
            found = _walk(value[name], _resolve(sub), f"{where}.{name}", clause, name in needed)
            if found:
                return found
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
