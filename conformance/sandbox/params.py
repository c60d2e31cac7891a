"""Reading and checking request input: JSON bodies, query strings, pages and dates.

Every helper either returns a clean Python value or raises a 400 ``ApiError`` that
names the offending field and value. A field that is absent takes its documented
default; a field that is present must have the documented type. Only ``language`` may
be ``null`` (or empty), because only there does the documentation offer null.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Any

from starlette.requests import Request

from .config import PageSizeMode
from .responses import bad_request
from .store import CHINA_TZ

LANGUAGES = ("en", "cn", "mn")
_QUERY_INT = re.compile(r"[+-]?\d+")


async def json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object."""
    raw = await request.body()
    if not raw.strip():
        raise bad_request("the request body must be a JSON object, and it is empty")
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_request(f"the request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise bad_request(
            f"the request body must be a JSON object, not {type(body).__name__}"
        )
    return body


def is_integer(value: Any) -> bool:
    # JSON true/false arrive as bool, which Python counts as int; the API does not.
    return isinstance(value, int) and not isinstance(value, bool)


def optional_string(body: dict[str, Any], name: str) -> str | None:
    """A string field, or None when absent."""
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string, got {value!r}")
    return value


def positive_int(
    body: dict[str, Any], name: str, default: int, *, minimum: int | None = 1
) -> int:
    """A JSON integer of at least 1, or the default when absent.

    Only a fault lowers ``minimum`` (None for no bound), to let bad values through.
    """
    if name not in body:
        return default
    value = body[name]
    if not is_integer(value) or (minimum is not None and value < minimum):
        raise bad_request(f"{name} must be an integer of at least 1, got {value!r}")
    return value


def query_positive_int(text: str | None, name: str, default: int) -> int:
    """A query-string integer of at least 1, or the default when absent."""
    if text is None:
        return default
    if not _QUERY_INT.fullmatch(text) or int(text) < 1:
        raise bad_request(f"{name} must be an integer of at least 1, got {text!r}")
    return int(text)


def page_size(size: int, maximum: int, mode: PageSizeMode) -> int:
    """Apply the documented maximum: clamp to it, or refuse, as configured."""
    if size <= maximum:
        return size
    if mode == "reject":
        raise bad_request(f"page_size must be at most {maximum}, got {size}")
    return maximum


def language(value: Any, default: str = "en") -> str:
    """One of en/cn/mn; absent, null or empty means the default, English."""
    if value is None or value == "":
        return default
    if value not in LANGUAGES:
        raise bad_request(f"language must be one of en, cn, mn or null, got {value!r}")
    return value


def date_bound(text: str | None, name: str, *, end: bool) -> datetime | None:
    """An ISO 8601 date or date-time as an aware instant.

    A bare date covers its whole day, so as an end bound it means the day's last moment.
    A date-time without an offset is read in UTC+8, the documentation's zone.
    """
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        moment = time.max if end else time.min
        return datetime.combine(day, moment, tzinfo=CHINA_TZ)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise bad_request(
            f"{name} must be an ISO 8601 date or date-time, got {text!r}"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA_TZ)
