"""Success envelopes and error bodies in the two styles the sandbox can speak.

The documentation shows success bodies but never an error body. Real Magento answers
``{"message": ..., "parameters": [...]}``; other servers wrap errors like successes, as
``{"code": <status>, "msg": ...}``. The harness must cope with both, so the sandbox can
produce either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

from .config import ErrorStyle


class ApiError(Exception):
    """A request the API refuses, with the status and message to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def error_response(
    style: ErrorStyle,
    status: int,
    message: str,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any]
    if style == "envelope":
        body = {"code": status, "msg": message}
    else:
        body = {"message": message, "parameters": []}
    return JSONResponse(body, status_code=status, headers=headers)


def success(**fields: Any) -> JSONResponse:
    """The documented success envelope followed by the operation's own fields."""
    return JSONResponse({"code": 200, "msg": "success", **fields})
