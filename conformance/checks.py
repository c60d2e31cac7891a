"""Assertions for the scenario suites that name the clause a server breaks."""

from __future__ import annotations

from typing import Any, NoReturn

from conformance.api import ClauseViolation, Reply

ERRORS_CLAUSE = "general.errors"
__all__ = ["ClauseViolation", "expect", "expect_ok", "expect_refused", "refused_or_ok", "violated"]


def violated(clause: str, message: str) -> NoReturn:
    raise ClauseViolation(clause, message)


def expect(condition: Any, clause: str, message: str) -> None:
    if not condition:
        violated(clause, message)


def expect_ok(reply: Reply, clause: str, what: str) -> Any:
    """The JSON body of a 200 answer; anything else breaks ``clause``."""
    if reply.status >= 500:
        violated("general.server_error", f"{what}: answered {reply.describe()}")
    expect(reply.ok, clause, f"{what}: expected 200 with a JSON object, got {reply.describe()}")
    return reply.body


def expect_refused(reply: Reply, clause: str, what: str) -> None:
    """A 4xx with a JSON object body, as the documentation's error readings allow."""
    if reply.status >= 500:
        violated("general.server_error", f"{what}: answered {reply.describe()}")
    expect(reply.refused, clause, f"{what}: expected a 4xx refusal, got {reply.describe()}")
    expect_error_body(reply, what)


def expect_error_body(reply: Reply, what: str) -> None:
    expect(
        isinstance(reply.body, dict),
        ERRORS_CLAUSE,
        f"{what}: a refusal must carry a JSON object body, got {reply.describe()}",
    )


def refused_or_ok(reply: Reply, clause: str, what: str) -> bool:
    """True for an accepted 4xx refusal, False for a 200; anything else breaks ``clause``."""
    if reply.refused:
        expect_error_body(reply, what)
        return True
    expect_ok(reply, clause, what)
    return False
