"""Fixtures shared by the scenario suites."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance import plugin
from conformance.api import Api
from conformance.context import RunContext
from conformance.discovery import Catalog, discover
from conformance.findings import FindingLog


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
