"""Send one request with bounded memory: a body past the cap is not read any further."""

from __future__ import annotations

import time
from typing import Any

import httpx

MAX_BODY_BYTES = 10 * 1024 * 1024


class BodyTooLarge(Exception):
    """The server sent more than the harness is willing to read."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        super().__init__(f"the answer's body exceeds {limit // (1024 * 1024)} MB; "
                         "the harness stopped reading it")
        self.response = response


class BodyTooSlow(Exception):
    """The server trickled its answer past the time allowed for the whole of it."""


class Breaker:
    """Stops a run from waiting on a server that has stopped answering.

    After ``threshold`` transport failures in a row, no more requests are sent: each would
    only wait out its timeout again.
    """

    def __init__(self, threshold: int = 5) -> None:
        self.threshold = threshold
        self.failures = 0

    @property
    def open(self) -> bool:
        return self.failures >= self.threshold

    def record(self, ok: bool) -> None:
        self.failures = 0 if ok else self.failures + 1


def send(client: httpx.Client, method: str, url: str, limit: int = MAX_BODY_BYTES,
         deadline: float | None = None, **kwargs: Any) -> httpx.Response:
    """Send and read the answer, refusing to hold more than ``limit`` bytes of body or to
    spend more than ``deadline`` seconds reading it."""
    request = client.build_request(method, url, **kwargs)
    started = time.monotonic()
    response = client.send(request, stream=True)
    try:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(response, limit)
            if deadline is not None and time.monotonic() - started > deadline:
                raise BodyTooSlow(f"the answer took over {deadline:g} s to arrive; "
                                  "the harness stopped reading it")
            chunks.append(chunk)
    finally:
        response.close()
    # Rebuild a fully read response: the streamed one cannot be read again once closed.
    complete = httpx.Response(
        response.status_code,
        headers=response.headers,
        content=b"".join(chunks),
        request=request,
        extensions={"http_version": response.extensions.get("http_version", b"HTTP/1.1")},
    )
    complete.elapsed = response.elapsed
    return complete


def from_transport_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis's requests-style keyword arguments, in httpx's terms."""
    converted = {k: kwargs[k] for k in ("headers", "params", "cookies") if kwargs.get(k)}
    if "json" in kwargs:
        converted["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        if isinstance(data, bytes | str):
            converted["content"] = data
        else:
            converted["data"] = data
    return converted
