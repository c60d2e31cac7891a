"""Safe against staging: the write guard, the order budget, token files and TLS options."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from conformance.sandbox import TOKEN_A, running_sandbox
from tests.test_cli import cli, only_run

pytestmark = pytest.mark.e2e


def order_count(base_url: str) -> int:
    answer = httpx.get(f"{base_url}/rest/V1/external/orders",
                       headers={"Authorization": f"Bearer {TOKEN_A}"})
    return answer.json()["response_data"]["total_count"]


def test_a_remote_target_without_allow_writes_creates_nothing(tmp_path):
    with running_sandbox() as sandbox:
        result = cli("run", "--base-url", sandbox.base_url, "--assume-remote", "--profile",
                     "quick", cwd=tmp_path, env={"PARTNER_API_TOKEN": TOKEN_A})
        created = order_count(sandbox.base_url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert created == 0
    assert "writes: NOT allowed" in result.stdout
    report = json.loads((only_run(tmp_path / "reports") / "report.json").read_text())
    assert report["orders"]["created"] == 0
    assert report["writes"].startswith("NOT allowed")
    skipped = [c for c in report["checks"] if c["outcome"] == "skipped"]
    assert skipped and all("writes not allowed" in c["message"] for c in skipped)
    assert not any("POST /rest/V1/external/order]" in c["id"] for c in report["checks"])


def test_allow_writes_lets_a_remote_run_place_and_cancel_orders(tmp_path):
    with running_sandbox() as sandbox:
        result = cli("run", "--base-url", sandbox.base_url, "--assume-remote", "--allow-writes",
                     "--profile", "quick", "-k", "test_orders_create and not regions",
                     cwd=tmp_path, env={"PARTNER_API_TOKEN": TOKEN_A})
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((only_run(tmp_path / "reports") / "report.json").read_text())
    assert report["orders"]["created"] > 0
    assert report["orders"]["created"] == report["orders"]["canceled"]
    assert all(o["cancel_outcome"] == "canceled" for o in report["orders"]["list"])


def test_the_order_budget_stops_order_creation(tmp_path):
    with running_sandbox() as sandbox:
        result = cli("run", "--base-url", sandbox.base_url, "--max-orders", "3",
                     "--profile", "quick", cwd=tmp_path, env={"PARTNER_API_TOKEN": TOKEN_A})
        created = order_count(sandbox.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert created <= 3
    report = json.loads((only_run(tmp_path / "reports") / "report.json").read_text())
    assert any("order budget" in (c.get("message") or "") for c in report["checks"])


def test_a_token_file_is_read_and_never_shown(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN_A + "\n")
    with running_sandbox() as sandbox:
        result = cli("run", "--base-url", sandbox.base_url, "--token-file", str(token_file),
                     "--profile", "quick", "-k", "categories", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert TOKEN_A not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--token-file", "/nonexistent/token"], "token file"),
        (["--token", "t", "--token-file", "/nonexistent/token"], "either --token"),
        (["--token", "t", "--ca-bundle", "/nonexistent/ca.pem"], "CA bundle"),
        (["--token", "t", "--max-orders", "-1"], "--max-orders"),
    ],
)
def test_bad_safety_options_exit_2(tmp_path, args, message):
    result = cli("run", "--base-url", "http://127.0.0.1:9", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_insecure_is_warned_about_loudly(tmp_path):
    with running_sandbox() as sandbox:
        result = cli("run", "--base-url", sandbox.base_url, "--insecure", "--profile", "quick",
                     "-k", "categories", cwd=tmp_path, env={"PARTNER_API_TOKEN": TOKEN_A})
    assert result.returncode == 0
    assert "NOT verified" in result.stderr
    assert "NOT verified" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [("openapi: [unclosed\n", "does not parse"), ("just: a mapping\n", "not an OpenAPI")],
    ids=["broken-yaml", "not-openapi"],
)
def test_a_spec_that_does_not_parse_exits_2(tmp_path, content, message):
    spec = tmp_path / "spec.yaml"
    spec.write_text(content)
    result = cli("run", "--spec", str(spec), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_spec_given_explicitly_is_used(tmp_path):
    import yaml

    from conformance.specfiles import load_spec

    # A spec that demands a field no server sends: the run can only fail if it is used.
    spec = json.loads(json.dumps(load_spec()))
    operation = spec["paths"]["/rest/V1/external/categories"]["get"]
    operation["responses"]["200"] = {
        "description": "demands a field",
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["field_no_server_sends"]}}},
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    result = cli("run", "--spec", str(path), "--profile", "quick", "-k",
                 "test_operation and categories", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "field_no_server_sends" in result.stdout


def test_a_run_cut_short_by_its_time_budget_is_incomplete(tmp_path):
    result = cli("run", "--profile", "quick", "--max-duration", "0.5", cwd=tmp_path)
    assert result.returncode == 2, result.stdout[-2000:]
    assert "did not complete" in result.stderr
    report = json.loads((only_run(tmp_path / "reports") / "report.json").read_text())
    assert report["verdict"] == "incomplete"


@contextmanager
def recording_proxy(target: str, seen: list[tuple[str, str]]) -> Iterator[str]:
    """A loopback pass-through that notes every method and path it forwards."""

    class Handler(BaseHTTPRequestHandler):
        def _forward(self):
            seen.append((self.command, self.path))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("host", "content-length")}
            answer = httpx.request(self.command, target + self.path, headers=headers,
                                   content=body)
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _forward

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_remote_read_only_run_sends_only_reads(tmp_path):
    seen: list[tuple[str, str]] = []
    with running_sandbox() as sandbox, recording_proxy(sandbox.base_url, seen) as url:
        result = cli("run", "--base-url", url, "--assume-remote", "--profile", "quick",
                     cwd=tmp_path, env={"PARTNER_API_TOKEN": TOKEN_A})
    assert result.returncode == 0, result.stdout[-2000:]
    writes = {(m, p.split("?")[0]) for m, p in seen
              if m not in ("GET", "HEAD") and not p.split("?")[0].endswith(
                  ("/products", "/availability/check"))}
    assert writes == set()


def test_orders_are_canceled_after_ctrl_c(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from conformance.sandbox import TOKEN_A

    def open_orders(base_url: str) -> tuple[int, int]:
        headers = {"Authorization": f"Bearer {TOKEN_A}"}
        url = f"{base_url}/rest/V1/external/orders"
        total = httpx.get(url, headers=headers).json()["response_data"]["total_count"]
        canceled = httpx.get(url, headers=headers, params={"status": "canceled"}).json()
        return total, canceled["response_data"]["total_count"]

    with running_sandbox() as sandbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNER_API_")}
        env["PARTNER_API_TOKEN"] = TOKEN_A
        process = subprocess.Popen(
            [sys.executable, "-m", "conformance", "run", "--base-url", sandbox.base_url,
             "--profile", "quick", "-k", "regions", "--rate", "50"],  # slow enough to catch
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(600):  # wait (at most a minute) until the run has placed orders
            if open_orders(sandbox.base_url)[0] >= 20 or process.poll() is not None:
                break
            time.sleep(0.1)
        assert process.poll() is None, "the run ended before it could be interrupted"
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=120)
        total, canceled = open_orders(sandbox.base_url)
    assert process.returncode == 2, errors[-2000:]
    assert total >= 20
    assert canceled == total


def test_the_rate_limiter_holds_back_requests_beyond_the_rate():
    from conformance.context import new_limiter

    limiter = new_limiter(2)
    granted = [limiter.try_acquire("probe", blocking=False) for _ in range(3)]
    assert granted == [True, True, False]
