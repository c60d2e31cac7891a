"""Grade what Schemathesis's checks report, by what the documentation backs.

Schemathesis treats every constraint of the spec, and every HTTP convention, as hard. The
documentation is looser: it never says which status an error has, never asks for 405 on an
undeclared method, and leaves most input bounds open. Each check failure is turned here
into a finding that is a failure only where a clause of the documentation backs it.
"""

from __future__ import annotations

import json
from typing import Any

from schemathesis.core import NOT_SET
from schemathesis.core.failures import (
    AcceptedNegativeData,
    ContentTypeServerError,
    Failure,
    MalformedJson,
    ServerError,
)
from schemathesis.openapi import checks as oa

from conformance import contract
from conformance.findings import Finding, Severity

CONVENTIONS = "general.http_conventions"
JSON_CLAUSE = "general.json"
ERRORS_CLAUSE = "general.errors"
AUTH_CLAUSE = "auth.bearer_required"
SERVER_CLAUSE = "general.server_error"

# Operations that must answer every well-formed request with 200: their input cannot name
# something that might not exist. Filters and dates are left out (an unknown category or an
# undocumented status may be refused, and a date the server cannot represent may be too),
# and so are huge numbers.
_MUST_ACCEPT = {
    "listCategories": (),
    "listProducts": ("filters",),
    "listOrders": ("start_date", "end_date", "status"),
}

_PROBE_SCENARIOS = {"unspecified_http_method", "malformed_content_type", "unsupported_content_type"}


def _phase_data(case: Any) -> Any:
    meta = getattr(case, "meta", None)
    return getattr(getattr(meta, "phase", None), "data", None)


def _scenario(case: Any) -> str | None:
    scenario = getattr(_phase_data(case), "scenario", None)
    return str(getattr(scenario, "value", scenario)) if scenario is not None else None


def _is_probe(case: Any) -> bool:
    declared = case.operation.method.upper()
    return _scenario(case) in _PROBE_SCENARIOS or case.method.upper() != declared


def _is_json(content: bytes | None) -> bool:
    try:
        json.loads(content or b"")
    except ValueError:
        return False
    return True


def grade(failure: Failure, case: Any, response: Any) -> Finding | None:
    """One finding for one check failure, or None when another check already reports it."""
    method, path = case.operation.method.upper(), case.operation.path
    finding = Finding(
        severity=Severity.FAILURE,
        clause=contract.operation_clause(method, path),
        title=failure.title,
        message=failure.message,
        operation=f"{method} {path}",
        check=(failure.checks or ("custom",))[0],
    )
    keep = _GRADERS.get(type(failure), _grade_default)(finding, failure, case, response)
    return None if keep is False else finding


def _grade_default(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    # A check we do not know yet stays a failure charged to the operation: visible, not silent.
    if _is_probe(case):
        finding.severity = Severity.WARNING
        finding.clause = CONVENTIONS


def _grade_server_error(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    finding.clause = SERVER_CLAUSE
    if not finding.message.strip():
        finding.message = f"{case.method.upper()} answered {response.status_code}"
    if _is_probe(case):
        # The documentation says nothing about undeclared methods or content types.
        finding.severity = Severity.WARNING
        finding.clause = CONVENTIONS


def _grade_status(finding: Finding, failure: Failure, case: Any, response: Any) -> bool:
    status = response.status_code
    if status >= 500:
        return False  # not_a_server_error reports it already
    finding.severity = Severity.WARNING
    finding.clause = CONVENTIONS
    if 200 <= status < 300:
        finding.message = f"answered {status}; the documentation shows 200 for success"
    return True


def _grade_content_type(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    if _is_json(response.content):
        finding.severity = Severity.WARNING
        finding.clause = CONVENTIONS
        finding.message += "\n(The body itself is valid JSON.)"
    else:
        finding.clause = ERRORS_CLAUSE if 400 <= response.status_code < 500 else JSON_CLAUSE
        if _is_probe(case):
            finding.severity = Severity.WARNING


def _grade_schema(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    method, path = case.operation.method.upper(), case.operation.path
    status = response.status_code
    pointer = list(getattr(failure, "instance_path", []) or [])
    if 400 <= status < 500:
        finding.clause = ERRORS_CLAUSE
    else:
        finding.clause = contract.response_clause(method, path, status, pointer)
    location = "/".join(str(p) for p in pointer) or "(root)"
    finding.title = f"{finding.title} at {location}"
    if _is_probe(case):
        finding.severity = Severity.WARNING


def _grade_malformed_json(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    finding.clause = ERRORS_CLAUSE if 400 <= response.status_code < 500 else JSON_CLAUSE
    if _is_probe(case):
        finding.severity = Severity.WARNING


def _grade_negative(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    method, path = case.operation.method.upper(), case.operation.path
    if _is_probe(case):
        finding.severity = Severity.WARNING
        finding.clause = CONVENTIONS
        return
    violation = contract.hard_violation(method, path, case.body if _has_body(case) else None)
    if violation is not None:
        finding.clause = violation.clause
        finding.title = "Accepted a request the documentation rules out"
        finding.message = f"{violation.where}: {violation.what}; answered {response.status_code}"
        return
    data = _phase_data(case)
    located = contract.first_violation_clause(method, path, case.body) if _has_body(case) else None
    if located is not None:
        finding.clause = located[0]
    else:
        location = getattr(data, "parameter_location", None)
        location = str(getattr(location, "value", location)) if location is not None else None
        parameter = getattr(data, "parameter", None)
        finding.clause = contract.parameter_clause(method, path, location, parameter)
    finding.severity = Severity.NOTE
    finding.title = "Accepted input outside the spec's bounds (a lenient reading)"
    description = getattr(data, "description", None)
    finding.message = f"{description or 'input outside the spec'}; answered {response.status_code}"


def _grade_positive(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    method, path = case.operation.method.upper(), case.operation.path
    op_id = contract.operation_id(method, path)
    open_inputs = _MUST_ACCEPT.get(op_id or "")
    query = case.query or {}
    body = case.body if _is_dict_body(case) else {}
    sent = set(query) | set(body)
    if open_inputs is None or sent & set(open_inputs) or _has_huge_number({**query, **body}):
        # Unknown SKUs, orders and categories may be refused: not a fault.
        finding.severity = Severity.NOTE
        finding.title = "Refused a well-formed request (allowed: it may name something unknown)"


def _has_huge_number(values: dict[str, Any]) -> bool:
    # The documentation sets no upper bound, but a server storing 32-bit or SQL offsets may
    # fairly refuse a page number in the billions: only a crash is a fault there.
    return any(
        isinstance(v, int | float) and not isinstance(v, bool) and abs(v) > 1_000_000
        or isinstance(v, str) and v.isdigit() and len(v) > 6
        for v in values.values()
    )


def _grade_missing_auth(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    status = getattr(failure, "status_code", response.status_code)
    finding.clause = AUTH_CLAUSE
    if 400 <= status < 500:
        finding.severity = Severity.WARNING
        finding.clause = CONVENTIONS
        finding.message = f"a request without a token got {status}; HTTP convention asks for 401"
    elif status >= 500:
        finding.clause = SERVER_CLAUSE


def _grade_ignored_auth(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    finding.clause = AUTH_CLAUSE


def _grade_convention(finding: Finding, failure: Failure, case: Any, response: Any) -> None:
    finding.severity = Severity.WARNING
    finding.clause = CONVENTIONS


def _has_body(case: Any) -> bool:
    body = getattr(case, "body", None)
    return body is not None and not _is_unset(body)


def _is_dict_body(case: Any) -> bool:
    return _has_body(case) and isinstance(case.body, dict)


def _is_unset(value: Any) -> bool:
    return value is NOT_SET


_GRADERS = {
    ServerError: _grade_server_error,
    ContentTypeServerError: _grade_server_error,
    MalformedJson: _grade_malformed_json,
    oa.UndefinedStatusCode: _grade_status,
    oa.UndefinedContentType: _grade_content_type,
    oa.MissingContentType: _grade_content_type,
    oa.MalformedMediaType: _grade_content_type,
    oa.JsonSchemaError: _grade_schema,
    oa.ContentDeserializationError: _grade_malformed_json,
    AcceptedNegativeData: _grade_negative,
    oa.RejectedPositiveData: _grade_positive,
    oa.MissingHeaderNotRejected: _grade_missing_auth,
    oa.IgnoredAuth: _grade_ignored_auth,
    oa.UnsupportedMethodResponse: _grade_convention,
    oa.AllowHeaderMismatch: _grade_convention,
}
