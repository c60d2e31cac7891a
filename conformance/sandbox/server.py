"""Serve the sandbox over HTTP: in a background thread for tests, or in the foreground.

Both bind loopback by default. The foreground ``serve`` refuses any other address unless
told explicitly, because the sandbox has fixed, published tokens and no real security.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn

from .app import create_app
from .config import SandboxConfig
from .store import TOKEN_A, TOKEN_B

STARTUP_TIMEOUT = 10.0
SHUTDOWN_TIMEOUT = 10.0


@dataclass(frozen=True)
class RunningSandbox:
    """A sandbox listening on ``base_url`` (no trailing slash)."""

    base_url: str
    token_a: str
    token_b: str
    config: SandboxConfig


def is_loopback(host: str) -> bool:
    """Whether a host is a loopback address; no name but localhost is resolved."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # Naming IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose
    # protocol says TCP, and without it small answers wait ~40 ms on delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _server(config: SandboxConfig, *, quiet: bool) -> uvicorn.Server:
    settings = uvicorn.Config(
        create_app(config),
        log_level="warning" if quiet else "info",
        access_log=not quiet,
        lifespan="on",
    )
    return uvicorn.Server(settings)


@contextlib.contextmanager
def running_sandbox(
    config: SandboxConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> Iterator[RunningSandbox]:
    """Serve a sandbox in a background thread for the duration of the block.

    Port 0 picks a free port. The block starts only once the server accepts connections,
    and the server is stopped and its thread joined however the block exits.
    """
    config = config or SandboxConfig()
    if not is_loopback(host):
        raise ValueError(f"running_sandbox binds loopback addresses only, not {host!r}")
    sock = _bind(host, port)
    server = _server(config, quiet=True)
    thread = threading.Thread(
        target=server.run,
        kwargs={"sockets": [sock]},
        name="sandbox-server",
        daemon=True,
    )
    thread.start()
    try:
        _wait_until_started(server, thread)
        yield RunningSandbox(_url(sock), TOKEN_A, TOKEN_B, config)
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT)
        sock.close()


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the sandbox server stopped during startup")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the sandbox server did not start within {STARTUP_TIMEOUT}s"
            )
        time.sleep(0.01)


def serve(
    config: SandboxConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    allow_public: bool = False,
) -> None:
    """Serve a sandbox in the foreground until interrupted (Ctrl-C)."""
    config = config or SandboxConfig()
    if not allow_public and not is_loopback(host):
        raise ValueError(
            f"refusing to serve on {host!r}, which is not a loopback address:"
            " the sandbox's tokens are public. Pass allow_public=True to do it anyway."
        )
    sock = _bind(host, port)
    try:
        print(f"Partner API sandbox listening on {_url(sock)}")
        print(f"  customer A token: {TOKEN_A}")
        print(f"  customer B token: {TOKEN_B}")
        if config.faults:
            print(f"  faults: {', '.join(sorted(config.faults))}")
        print("Press Ctrl-C to stop.", flush=True)
        _server(config, quiet=False).run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn has already shut down gracefully when it re-raises the Ctrl-C it
        # caught; that is how serve is meant to end, not an error to report.
        pass
    finally:
        sock.close()
    print("Sandbox stopped.")
