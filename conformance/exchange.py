"""Turn one HTTP exchange into report data: redacted, bounded, reproducible."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from typing import Any

from conformance.redact import Redactor

BODY_LIMIT = 4000


def _body(raw: bytes | str | None) -> Any:
    if raw is None or raw == b"" or raw == "":
        return None
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    else:
        if len(text) <= BODY_LIMIT:
            return value
    if len(text) > BODY_LIMIT:
        return text[:BODY_LIMIT] + f"... [{len(text) - BODY_LIMIT} more characters]"
    return text


def _as_sent(headers: Mapping[str, Any]) -> Mapping[str, Any]:
    # httpx lower-cases names when iterated; its raw pairs keep them as they were sent.
    raw = getattr(headers, "raw", None)
    if raw is None:
        return headers
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in raw}


def request_data(
    method: str, url: str, headers: Mapping[str, Any], body: bytes | str | None, redactor: Redactor
) -> dict[str, Any]:
    return {
        "method": method.upper(),
        "url": redactor.text(url),
        "headers": redactor.headers(_as_sent(headers)),
        "body": redactor.data(_body(body)),
    }


def response_data(
    status: int, headers: Mapping[str, Any], content: bytes | None, redactor: Redactor
) -> dict[str, Any]:
    return {
        "status": status,
        "headers": redactor.headers(_as_sent(headers)),
        "body": redactor.data(_body(content)),
    }


def curl(request: Mapping[str, Any]) -> str:
    """A shell command that repeats an already-redacted request."""
    parts = ["curl", "-X", request["method"], shlex.quote(request["url"])]
    for name, value in request["headers"].items():
        if name.lower() in {"content-length", "host", "connection", "accept-encoding", "user-agent"}:
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    body = request.get("body")
    if body is not None:
        text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
        parts += ["-d", shlex.quote(text)]
    return " ".join(parts)


def from_response(response: Any, redactor: Redactor) -> tuple[dict[str, Any], dict[str, Any]]:
    """Request and response data from an ``httpx.Response`` or a Schemathesis ``Response``."""
    sent = response.request
    body = sent.content if hasattr(sent, "content") else sent.body
    request = request_data(sent.method or "GET", str(sent.url or ""), sent.headers, body, redactor)
    answer = response_data(response.status_code, response.headers, response.content, redactor)
    return request, answer
