"""Drive Schemathesis over the spec and turn what its checks find into graded findings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import requests
import schemathesis
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import ignored_auth, missing_required_header

from conformance import exchange, transport
from conformance.findings import Finding, FindingLog, Severity
from conformance.grading import SERVER_CLAUSE, grade
from conformance.specfiles import load_spec

if TYPE_CHECKING:
    from conformance.context import RunContext

# Canceling an order the run did not create could cancel a real one: cancelOrder is only
# exercised on orders the run itself created (see the order suites), never with generated ids.
EXCLUDED_OPERATIONS = ("cancelOrder",)


def load_schema(ctx: RunContext, *, stateful: bool = False) -> Any:
    """The spec loaded into Schemathesis, bound to the run's target, seed and profile.

    The stateful schema keeps cancelOrder: a state machine reaches it only through the
    link from an order the run itself created.
    """
    profile = ctx.settings.profile
    rate = ctx.settings.effective_rate()
    coverage: dict[str, Any] = {"enabled": profile.coverage}
    if not ctx.settings.target_is_local:
        # Undeclared methods (DELETE, PUT, ...) on a real server could change real data and
        # only ever yield convention warnings: they are probed on loopback targets only.
        coverage["unexpected-methods"] = []
    limits = {"rate-limit": _rate(rate)} if rate is not None else {}
    config = schemathesis.Config.from_dict(
        {
            **limits,
            "base-url": ctx.base_url,
            "seed": ctx.settings.seed,
            "request-timeout": ctx.settings.request_timeout,
            "tls-verify": ctx.settings.verify,
            "max-redirects": 0,
            "generation": {
                "max-examples": profile.max_examples,
                "database": "none",
                "with-security-parameters": False,
            },
            "phases": {
                "coverage": coverage,
                # Only the spec's own links: inferred dependencies would make createOrder
                # wait for a "product" resource that no operation produces.
                "stateful": {"inference": {"algorithms": []}},
            },
        }
    )
    schema = schemathesis.openapi.from_dict(load_spec(), config=config)
    if stateful:
        return schema
    excluded = EXCLUDED_OPERATIONS if ctx.writes_allowed else (*EXCLUDED_OPERATIONS, "createOrder")
    for operation_id in excluded:
        schema = schema.exclude(operation_id=operation_id)
    return schema


def _rate(rate: float) -> str:
    return f"{int(rate)}/s" if rate >= 1 else f"{max(1, int(rate * 60))}/m"


def exercise(case: Any, ctx: RunContext, log: FindingLog, client: httpx.Client) -> None:
    """Send one generated case, run the checks, and log each graded finding."""
    headers = ctx.auth_headers
    operation = f"{case.operation.method.upper()} {case.operation.path}"
    if _creates_order(case) and ctx.order_budget_left() <= 0:
        return  # --max-orders reached: send nothing that could place another order
    if ctx.breaker.open:
        log.add(_no_answer(operation, RuntimeError("stopped sending after repeated failures"),
                           ctx, "The server stopped answering"))
        return
    kwargs = case.as_transport_kwargs(base_url=ctx.base_url, headers=headers)
    try:
        response = transport.send(client, kwargs["method"], kwargs["url"],
                                  deadline=ctx.read_deadline(),
                                  **transport.from_transport_kwargs(kwargs))
    except (transport.BodyTooLarge, transport.BodyTooSlow) as exc:
        log.add(_no_answer(operation, exc, ctx, "Answer too large or too slow to read"))
        return
    except httpx.HTTPError as exc:
        ctx.breaker.record(ok=False)
        log.add(_no_answer(operation, exc, ctx, "No answer from the server"))
        return
    ctx.breaker.record(ok=True)
    note_created_order(case, response, ctx)
    log_failures(case, response, _failures(case, response, headers), ctx, log)


def log_failures(case: Any, response: Any, failures: list[Failure], ctx: RunContext,
                 log: FindingLog) -> None:
    """Grade each check failure of one exchange and log the findings."""
    for failure in failures:
        finding = grade(failure, case, response)
        if finding is None:
            continue
        finding.message = ctx.redactor.text(finding.message)
        finding.request, finding.response = exchange.from_response(response, ctx.redactor)
        finding.curl = exchange.curl(finding.request)
        log.add(finding)


def _failures(case: Any, response: Any, headers: dict[str, str]) -> list[Failure]:
    # The auth checks re-send the request without a token; for createOrder that could place
    # an order this run never learns of, so there they are left to the auth suite, which
    # records what it creates.
    excluded = [ignored_auth, missing_required_header] if _creates_order(case) else None
    try:
        case.validate_response(response, headers=headers, excluded_checks=excluded)
    except FailureGroup as group:
        return [f for f in group.exceptions if isinstance(f, Failure)]
    except Failure as failure:
        return [failure]
    except (requests.RequestException, httpx.HTTPError):
        # A check that re-sends the request (auth checks) lost the connection: the
        # original answer was still graded by the other checks.
        return []
    return []


def _no_answer(operation: str, exc: Exception, ctx: RunContext, title: str) -> Finding:
    return Finding(
        severity=Severity.FAILURE,
        clause=SERVER_CLAUSE,
        title=title,
        message=ctx.redactor.text(f"{type(exc).__name__}: {exc}"),
        operation=operation,
        check="transport",
    )


def _creates_order(case: Any) -> bool:
    return case.operation.method.upper() == "POST" and case.operation.path.endswith("/order")


def note_created_order(case: Any, response: Any, ctx: RunContext) -> None:
    """Record an order that a generated request happened to create."""
    operation = f"{case.operation.method.upper()} {case.operation.path}"
    if not _creates_order(case):
        return
    if response.status_code // 100 != 2:
        return
    try:
        number = response.json().get("order_number")
    except (ValueError, AttributeError):
        return
    if isinstance(number, str | int) and str(number):
        ctx.record_order(str(number), operation)
