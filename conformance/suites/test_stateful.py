"""A Schemathesis state machine over the spec's links: create, then get, logistics, cancel.

Graded like the property suite; the orders it creates are canceled when the run ends.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from schemathesis.core.failures import Failure, FailureGroup

from conformance import plugin
from conformance.api import Api
from conformance.discovery import discover
from conformance.orders import OrderBook
from conformance.properties import log_failures, note_created_order

context = plugin.current()
Workflow = context.stateful_schema.as_state_machine()
pytestmark = [pytest.mark.orders, pytest.mark.properties]


_BOOK: list[OrderBook] = []


def order_book() -> OrderBook:
    """Orders need real SKUs, which generated data cannot guess: learn them once."""
    if not _BOOK:
        api = Api(context, lambda: plugin._STATE["log"])
        _BOOK.append(OrderBook(api, context, discover(api)))
    return _BOOK[0]


class OrderWorkflow(Workflow):  # type: ignore[misc,valid-type]
    def before_call(self, case: Any) -> None:
        # A create with generated SKUs is refused, and the chain to get, logistics and
        # cancel never starts: give it a line that can be ordered.
        if case.operation.method.upper() == "POST" and case.operation.path.endswith("/order"):
            book = order_book()
            if context.order_budget_left() <= 0:
                pytest.skip("the run's order budget (--max-orders) is spent")
            case.body = {"items": book.lines(1), "po_number": book.next_po()}

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {
            "base_url": context.base_url,
            "headers": context.auth_headers,
            "timeout": context.settings.request_timeout,
            "allow_redirects": False,
        }

    def after_call(self, response: Any, case: Any) -> None:
        # The base class records responses; without it the stateful checks see nothing.
        super().after_call(response, case)
        note_created_order(case, response, context)

    def validate_response(self, response: Any, case: Any, additional_checks: Any = None,
                          **kwargs: Any) -> None:
        try:
            super().validate_response(response, case, additional_checks, **kwargs)
        except FailureGroup as group:
            failures = [f for f in group.exceptions if isinstance(f, Failure)]
            log_failures(case, response, failures, context, plugin.current_log())
        except Failure as failure:
            log_failures(case, response, [failure], context, plugin.current_log())


TestOrderWorkflow = OrderWorkflow.TestCase
TestOrderWorkflow.settings = settings(
    max_examples=context.settings.profile.max_examples,
    stateful_step_count=6,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
