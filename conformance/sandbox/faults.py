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
        "missing_auth_products",
        "auth.bearer_required",
        "listProducts answers without checking the bearer token",
    ),
    Fault(
        "server_error_categories",
        "general.server_error",
        "getCategories answers 500",
    ),
    Fault(
        "cancel_status_wrong",
        "orders.cancel.response.order_status",
        'cancelOrder answers order_status "cancelled" instead of "canceled"',
    ),
    Fault(
        "created_at_utc",
        "orders.get.created_at",
        'getOrder reports created_at in UTC with a "Z" suffix instead of +08:00',
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
