"""Property tests: every operation of the spec, with generated positive and negative data.

Schemathesis binds its configuration when this module is imported, so the run context
(target, seed, profile) is resolved here, at collection time.
"""

from __future__ import annotations

from typing import Any

import pytest
import httpx

from conformance import plugin
from conformance.properties import exercise

schema = plugin.current().schema
pytestmark = pytest.mark.properties


@pytest.fixture(scope="module")
def http_client() -> Any:
    # No default headers: each generated case carries its own, token included.
    with plugin.current().client(authenticated=False, bare=True) as client:
        yield client


@schema.parametrize()
def test_operation(case: Any, http_client: httpx.Client) -> None:
    exercise(case, plugin.current(), plugin.current_log(), http_client)
