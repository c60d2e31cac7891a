"""Fixtures shared by the scenario suites."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance import plugin
from conformance.api import Api
from conformance.context import RunContext
from conformance.discovery import Catalog, discover
from conformance.findings import FindingLog
from conformance.orders import OrderBook


def _log() -> FindingLog | None:
    return plugin._STATE["log"]


@pytest.fixture(scope="session")
def api(run: RunContext) -> Iterator[Api]:
    """Customer A's client."""
    client = Api(run, _log)
    yield client
    client.close()


@pytest.fixture(scope="session")
def catalog(api: Api) -> Catalog:
    """The server's catalog as walked once at the start."""
    return discover(api)


@pytest.fixture
def log() -> FindingLog:
    """The running item's finding log, for recording readings."""
    return plugin.current_log()


@pytest.fixture(scope="session")
def orders(api: Api, run: RunContext, catalog: Catalog) -> OrderBook:
    """Places the suites' orders; each is canceled when the run ends."""
    return OrderBook(api, run, catalog)


@pytest.fixture(scope="session")
def api_b(run: RunContext) -> Iterator[Api]:
    """Customer B's client; the isolation checks are skipped without a second token."""
    if not run.token_b:
        pytest.skip("no second token (--token-b / PARTNER_API_TOKEN_B): isolation not checked")
    client = Api(run, _log, token=run.token_b)
    yield client
    client.close()


@pytest.fixture(scope="session")
def api_anonymous(run: RunContext) -> Iterator[Api]:
    """A client that sends no token at all."""
    client = Api(run, _log, authenticated=False)
    yield client
    client.close()


@pytest.fixture(scope="session")
def api_wrong_token(run: RunContext) -> Iterator[Api]:
    """A client with a token no server issued."""
    client = Api(run, _log, token="partner-conformance-not-a-token")
    yield client
    client.close()
