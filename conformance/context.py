"""The state one conformance run shares between its suites, hooks and reports."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from conformance import __version__
from conformance.redact import Redactor
from conformance.settings import API_PREFIX, Settings


@dataclass
class CreatedOrder:
    """An order the run created, and what happened when the run tried to cancel it."""

    order_number: str
    operation: str
    cancel_outcome: str = "pending"


@dataclass
class RunContext:
    """Settings plus everything collected while the run goes on."""

    settings: Settings
    base_url: str
    token: str
    token_b: str | None
    target_kind: str
    redactor: Redactor
    writes_allowed: bool = False
    writes_note: str = ""
    timed_out: bool = False
    entries: list[dict[str, Any]] = field(default_factory=list)
    created_orders: list[CreatedOrder] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    _schema: Any = None
    _stateful_schema: Any = None
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    limiter: Any = None
    breaker: Any = None

    def __post_init__(self) -> None:
        from conformance.transport import Breaker

        self.breaker = self.breaker or Breaker()
        rate = self.settings.effective_rate()
        if self.limiter is None and rate is not None:
            self.limiter = new_limiter(rate)

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def schema(self) -> Any:
        if self._schema is None:
            from conformance.properties import load_schema

            self._schema = load_schema(self)
        return self._schema

    @property
    def stateful_schema(self) -> Any:
        if self._stateful_schema is None:
            from conformance.properties import load_schema

            self._stateful_schema = load_schema(self, stateful=True)
        return self._stateful_schema

    def client(self, token: str | None = None, *, authenticated: bool = True,
               retries: int = 0, bare: bool = False) -> httpx.Client:
        """An HTTP client for the target that sends ``token`` (the main one by default).

        Redirects are never followed, so a token never travels to another host. ``retries``
        repeats only failed connection attempts (httpx never resends a request that left).
        """
        headers = {} if bare else {"User-Agent": f"partner-conformance/{__version__}"}
        if authenticated:
            headers["Authorization"] = f"Bearer {token or self.token}"
        verify = self.settings.verify
        return httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=self.settings.request_timeout,
            follow_redirects=False,
            verify=verify,
            transport=httpx.HTTPTransport(retries=retries, verify=verify),
            event_hooks={"request": [self._throttle]},
        )

    def _throttle(self, request: httpx.Request) -> None:
        if self.limiter is not None:
            self.limiter.try_acquire("scenario")

    def read_deadline(self) -> float:
        """Seconds allowed for a whole answer: a few reads' worth."""
        return 3 * self.settings.request_timeout

    def out_of_time(self) -> bool:
        return time.time() - self.started > self.settings.max_duration

    def order_budget_left(self) -> int:
        return self.settings.max_orders - len(self.created_orders)

    def record_order(self, order_number: str, operation: str) -> None:
        if all(o.order_number != order_number for o in self.created_orders):
            self.created_orders.append(CreatedOrder(order_number, operation))

    def cancel_created_orders(self) -> None:
        """Cancel every order this run created; record each outcome."""
        pending = [o for o in self.created_orders if o.cancel_outcome == "pending"]
        if not pending:
            return
        with self.client() as client:
            for order in pending:
                order.cancel_outcome = _cancel(client, order.order_number)

    def close(self) -> None:
        self._stack.close()


def new_limiter(rate: float) -> Any:
    """A blocking limiter of ``rate`` requests per second, shared by the scenario clients."""
    from pyrate_limiter import Duration, Limiter, Rate

    # Whole requests per interval: express fractional rates per minute.
    if rate >= 1:
        return Limiter(Rate(int(rate), Duration.SECOND))
    return Limiter(Rate(max(1, int(rate * 60)), Duration.MINUTE))


def _cancel(client: httpx.Client, order_number: str) -> str:
    try:
        response = client.post(f"{API_PREFIX}/orders/{order_number}/cancel")
    except httpx.HTTPError as exc:
        return f"error: {type(exc).__name__}"
    if response.status_code == 200:
        return "canceled"
    # A step of the run (a cancel scenario, the state machine) may have canceled it already.
    try:
        current = client.get(f"{API_PREFIX}/orders/{order_number}").json()
        status = current["response_data"]["order_status"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        status = None
    if status == "canceled":
        return "canceled"
    return f"not canceled: HTTP {response.status_code}"


def start(settings: Settings) -> RunContext:
    """Build the context; with no base URL, start the embedded sandbox first."""
    redactor = Redactor([settings.token, settings.token_b])
    stack = contextlib.ExitStack()
    if settings.base_url is None:
        from conformance.sandbox import running_sandbox

        sandbox = stack.enter_context(running_sandbox())
        base_url, kind = sandbox.base_url, "embedded sandbox"
        token = settings.token or sandbox.token_a
        token_b = settings.token_b or sandbox.token_b
    else:
        base_url, kind = settings.base_url, "remote"
        token, token_b = settings.token or "", settings.token_b
    redactor.add(token)
    redactor.add(token_b)
    allowed, note = settings.writes_allowed()
    return RunContext(
        settings=settings,
        base_url=base_url,
        token=token,
        token_b=token_b,
        target_kind=kind,
        redactor=redactor,
        writes_allowed=allowed,
        writes_note=note,
        _stack=stack,
    )
