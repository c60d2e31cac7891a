"""The sandbox over real loopback HTTP, and the guards around serving it."""

from __future__ import annotations

import re

import httpx
import pytest

from conformance.sandbox import SandboxConfig, running_sandbox, serve
from conformance.sandbox.server import is_loopback


def test_running_sandbox_serves_real_http_and_stops() -> None:
    config = SandboxConfig(error_style="envelope")
    with running_sandbox(config) as sandbox:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sandbox.base_url)
        assert sandbox.config is config
        headers = {"Authorization": f"Bearer {sandbox.token_a}"}
        with httpx.Client(
            base_url=sandbox.base_url, headers=headers, timeout=5
        ) as http:
            listed = http.post("/rest/V1/external/products", json={"type": "test"})
            created = http.post(
                "/rest/V1/external/order",
                json={
                    "items": [
                        {
                            "sku": listed.json()["response_data"]["list"][1]["sku_id"],
                            "qty": 12,
                        }
                    ]
                },
            )
            number = created.json()["order_number"]
            other = http.get(
                f"/rest/V1/external/orders/{number}",
                headers={"Authorization": f"Bearer {sandbox.token_b}"},
            )

        assert listed.status_code == 200
        assert created.status_code == 200, created.text
        assert other.status_code == 404 and other.json()["code"] == 404

    with pytest.raises(httpx.TransportError):
        httpx.get(sandbox.base_url + "/rest/V1/external/categories", timeout=1)


def test_running_sandbox_stops_when_the_block_raises() -> None:
    with pytest.raises(KeyError), running_sandbox() as sandbox:
        url = sandbox.base_url
        raise KeyError("boom")

    with pytest.raises(httpx.TransportError):
        httpx.get(url + "/rest/V1/external/categories", timeout=1)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.1", "example.org", ""])
def test_public_hosts_are_refused_without_permission(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(ValueError, match="loopback"):
        serve(SandboxConfig(), host=host, port=0)
    with pytest.raises(ValueError, match="loopback"), running_sandbox(host=host):
        pass
