"""A small client for the documented operations, used by the scenario suites.

Every exchange is recorded (redacted) on the running test item, so that a failing check
shows in the report the request and the response that made it fail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from conformance import exchange, transport
from conformance.findings import Finding, FindingLog, Severity
from conformance.settings import API_PREFIX

if TYPE_CHECKING:
    from conformance.context import RunContext

SERVER_CLAUSE = "general.server_error"


class ClauseViolation(AssertionError):
    """A check failed on a specific clause (which may differ from the test's own)."""

    def __init__(self, clause: str, message: str) -> None:
        super().__init__(f"[{clause}] {message}")
        self.clause = clause


@dataclass
class Reply:
    """An answer from the server: status, parsed JSON (None if not JSON) and headers."""

    status: int
    body: Any
    text: str
    headers: httpx.Headers

    @property
    def ok(self) -> bool:
        # The documentation shows 200; another 2xx (201 for a created order) is only what
        # HTTP convention suggests, which the property suite reports as a warning.
        return 200 <= self.status < 300 and isinstance(self.body, dict)

    @property
    def refused(self) -> bool:
        """A 4xx whatever its body (the body is checked separately)."""
        return 400 <= self.status < 500

    @property
    def data(self) -> Any:
        return self.body.get("response_data") if isinstance(self.body, dict) else None

    def describe(self) -> str:
        shown = self.text if len(self.text) <= 300 else self.text[:300] + "..."
        return f"HTTP {self.status}: {shown}"


class Api:
    """The nine operations over HTTP, with the run's token (or another, or none)."""

    def __init__(self, context: RunContext, log_source: Any, *, token: str | None = None,
                 authenticated: bool = True) -> None:
        self._context = context
        self._log_source = log_source
        self._client = context.client(token, authenticated=authenticated)
        # Reads may retry a failed connection; order creation and cancel never do.
        self._reads = context.client(token, authenticated=authenticated, retries=2)

    def close(self) -> None:
        self._client.close()
        self._reads.close()

    def call(self, method: str, path: str, *, json_body: Any = None,
             params: dict[str, Any] | None = None, raw: bytes | None = None) -> Reply:
        kwargs: dict[str, Any] = {"params": params}
        if raw is not None:
            kwargs["content"] = raw
            kwargs["headers"] = {"Content-Type": "application/json"}
        elif json_body is not None:
            kwargs["json"] = json_body
        client = self._reads if _changes_nothing(method, path) else self._client
        breaker = self._context.breaker
        if breaker.open:
            raise ClauseViolation(SERVER_CLAUSE, "the server stopped answering; "
                                  "no more requests are sent")
        try:
            response = transport.send(client, method, f"{API_PREFIX}{path}",
                                      deadline=self._context.read_deadline(), **kwargs)
        except (transport.BodyTooLarge, transport.BodyTooSlow) as exc:
            raise ClauseViolation(SERVER_CLAUSE, f"{method} {path}: {exc}") from None
        except httpx.HTTPError as exc:
            breaker.record(ok=False)
            message = self._context.redactor.text(f"{type(exc).__name__}: {exc}")
            raise ClauseViolation(SERVER_CLAUSE, f"{method} {path}: no answer ({message})") from None
        breaker.record(ok=True)
        reply = Reply(response.status_code, _parse(response.content),
                      self._context.redactor.text(response.text), response.headers)
        self._record(response)
        return reply

    def _record(self, response: httpx.Response) -> None:
        log: FindingLog | None = self._log_source()
        if log is None:
            return
        redactor = self._context.redactor
        request = response.request
        log.last_request = exchange.request_data(
            request.method, str(request.url), request.headers, request.content, redactor
        )
        log.last_response = exchange.response_data(
            response.status_code, response.headers, response.content, redactor
        )

    def products(self, **body: Any) -> Reply:
        return self.call("POST", "/products", json_body=body)

    def detail(self, sku: str, language: str | None = None) -> Reply:
        params = {"language": language} if language is not None else None
        return self.call("GET", f"/product/detail/{sku}", params=params)

    def availability(self, skus: list[dict[str, Any]]) -> Reply:
        return self.call("POST", "/availability/check", json_body={"skus": skus})

    def categories(self) -> Reply:
        return self.call("GET", "/categories")

    def create_order(self, body: Any) -> Reply:
        return self.call("POST", "/order", json_body=body)

    def get_order(self, number: str) -> Reply:
        return self.call("GET", f"/orders/{number}")

    def list_orders(self, **params: Any) -> Reply:
        return self.call("GET", "/orders", params=params or None)

    def cancel_order(self, number: str) -> Reply:
        return self.call("POST", f"/orders/{number}/cancel")

    def logistics(self, number: str) -> Reply:
        return self.call("GET", f"/orders/{number}/logistics")


def _changes_nothing(method: str, path: str) -> bool:
    return method == "GET" or path in {"/products", "/availability/check"}


def _parse(content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        return None


def record_reading(log: FindingLog, clause: str, reading: str, operation: str | None = None) -> None:
    """Note which of the documentation's open readings the server chose."""
    log.add(Finding(Severity.NOTE, clause, reading, reading, operation=operation, check="reading"))
