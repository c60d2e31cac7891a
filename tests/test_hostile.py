"""Hostile servers on loopback: every case ends in a report with failures, not a traceback."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.test_cli import cli, only_run

pytestmark = pytest.mark.e2e

Behaviour = Callable[[BaseHTTPRequestHandler], None]


def reply(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def html(handler):
    reply(handler, 200, b"<html><body>Welcome</body></html>", "text/html")


def invalid_json(handler):
    reply(handler, 200, b'{"code": 200, "msg": ', "application/json")


def error_500(handler):
    reply(handler, 500, b'{"message": "boom"}', "application/json")


def huge(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    chunk = b" " * 65536
    try:
        for _ in range(400):  # 25 MB, beyond the harness's 10 MB cap
            handler.wfile.write(chunk)
    except OSError:
        pass


def echo_token(handler):
    sent = handler.headers.get("Authorization", "")
    body = f"<html><p>bad request; you sent {sent}; token={sent[7:]}</p></html>".encode()
    reply(handler, 400, body, "text/html")


def hang(handler):
    time.sleep(3)  # longer than the --request-timeout 1 the test uses
    reply(handler, 200, b"{}", "application/json")


def reset(handler):
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    handler.connection.close()


@contextmanager
def serving(behaviour: Behaviour, host: str = "127.0.0.1", tls: object = None) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            # The reachability and token probes get a plain answer; the checks get the act.
            if self.path.endswith("/categories") and self.command == "GET" and \
                    getattr(self.server, "probes", 0) < 2:
                self.server.probes = getattr(self.server, "probes", 0) + 1
                return reply(self, 200, b'{"code": 200, "msg": "success", "response_data": []}',
                             "application/json")
            behaviour(self)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _any

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    scheme = "http"
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("behaviour", [html, invalid_json, error_500, huge, hang, reset,
                                       echo_token],
                         ids=lambda b: b.__name__)
def test_a_hostile_server_gets_a_report_not_a_traceback(tmp_path, behaviour):
    with serving(behaviour) as url:
        result = cli("run", "--base-url", url, "--profile", "quick", "--request-timeout", "1",
                     "--assume-remote", cwd=tmp_path, env={"PARTNER_API_TOKEN": "hostile-token"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "Traceback" not in output
    report = json.loads((only_run(tmp_path / "reports") / "report.json").read_text())
    assert report["verdict"] == "does not conform"
    assert any(c["outcome"] == "failed" for c in report["checks"])
    assert "hostile-token" not in output + json.dumps(report)


def trickle(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "200")
    handler.end_headers()
    try:
        for _ in range(200):  # 40 s in all, each byte well inside the 1 s read timeout
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def test_a_trickling_answer_is_cut_off(tmp_path):
    with serving(trickle) as url:
        result = cli("run", "--base-url", url, "--profile", "quick", "--request-timeout", "1",
                     "--assume-remote", "-k", "categories", cwd=tmp_path,
                     env={"PARTNER_API_TOKEN": "hostile-token"})
    assert result.returncode == 1, result.stdout[-3000:]
    report = json.loads((only_run(tmp_path / "reports") / "report.json").read_text())
    assert any("too slow" in str(c.get("title", "")) + str(c.get("message", ""))
               or "took over" in str(c.get("message", "")) for c in report["checks"])


def test_a_redirect_never_carries_the_token_to_another_host(tmp_path):
    seen: list[str] = []

    def record(handler):
        seen.append(handler.headers.get("Authorization") or "")
        reply(handler, 200, b"{}", "application/json")

    with serving(record, host="127.0.0.2") as elsewhere:

        def redirect(handler):
            handler.send_response(302)
            handler.send_header("Location", elsewhere + handler.path)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        with serving(redirect) as url:
            result = cli("run", "--base-url", url, "--profile", "quick", "--assume-remote",
                         cwd=tmp_path, env={"PARTNER_API_TOKEN": "redirect-token"})
    assert result.returncode == 1, result.stdout[-2000:]
    assert not [h for h in seen if "redirect-token" in h]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return key, cert


@pytest.mark.parametrize("mode", ["default", "ca-bundle", "insecure"])
def test_tls_is_verified_unless_told_otherwise(tmp_path, certificate, mode):
    import ssl

    key, cert = certificate
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    extra = {"default": [], "ca-bundle": ["--ca-bundle", str(cert)],
             "insecure": ["--insecure"]}[mode]
    with serving(html, tls=tls) as url:
        result = cli("run", "--base-url", url, "--profile", "quick", "--assume-remote",
                     "-k", "categories", *extra, cwd=tmp_path,
                     env={"PARTNER_API_TOKEN": "tls-token"})
    if mode == "default":
        assert result.returncode == 2, result.stdout[-2000:] + result.stderr
        assert "--ca-bundle" in result.stderr
    else:
        # Past the TLS handshake, the hostile server's HTML fails the checks.
        assert result.returncode == 1, result.stdout[-2000:] + result.stderr
    if mode == "insecure":
        assert "NOT verified" in result.stderr
