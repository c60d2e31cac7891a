"""What the sandbox's tests share: the test client, the API prefix, tokens, the catalog."""

import warnings

from conformance.sandbox import TOKEN_A, TOKEN_B, SandboxConfig
from conformance.sandbox.catalog import build_catalog

with warnings.catch_warnings():
    # Starlette nudges towards the httpx2 package, which this environment does not have.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

BASE = "/rest/V1/external"
AUTH_A = {"Authorization": f"Bearer {TOKEN_A}"}
AUTH_B = {"Authorization": f"Bearer {TOKEN_B}"}
CATALOG = build_catalog(SandboxConfig().seed)

__all__ = ["AUTH_A", "AUTH_B", "BASE", "CATALOG", "TestClient"]
