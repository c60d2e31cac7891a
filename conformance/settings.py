"""The settings of one conformance run, from flags or environment variables."""

from __future__ import annotations

import os
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from conformance.errors import ConfigError

API_PREFIX = "/rest/V1/external"


@dataclass(frozen=True)
class Profile:
    """How much generated data each property test sends."""

    name: str
    max_examples: int
    coverage: bool


PROFILES = {
    "quick": Profile("quick", max_examples=5, coverage=True),
    "standard": Profile("standard", max_examples=25, coverage=True),
    "thorough": Profile("thorough", max_examples=150, coverage=True),
}
DEFAULT_PROFILE = "standard"

ENV_BASE_URL = "PARTNER_API_BASE_URL"
ENV_TOKEN = "PARTNER_API_TOKEN"
ENV_TOKEN_B = "PARTNER_API_TOKEN_B"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know; ``base_url`` None means the embedded sandbox."""

    base_url: str | None
    token: str | None
    token_b: str | None
    profile: Profile
    strict: bool
    seed: int
    run_id: str
    report_dir: str | None
    request_timeout: float


def new_run_id() -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def normalise_base_url(raw: str) -> str:
    """Validate a server root URL and drop a trailing slash."""
    url = raw.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(
            f"base URL {raw!r} is not an http(s) URL with a host; "
            "pass the server root, e.g. http://127.0.0.1:8080"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"base URL {raw!r} must not carry a query or fragment")
    try:
        parts.port
    except ValueError as exc:
        raise ConfigError(f"base URL {raw!r} has an invalid port") from exc
    url = url.rstrip("/")
    if urlsplit(url).path.rstrip("/").endswith(API_PREFIX):
        raise ConfigError(
            f"base URL {raw!r} already ends with {API_PREFIX}: pass the server root "
            f"(the part in front of {API_PREFIX})"
        )
    return url


def resolve(
    *,
    base_url: str | None,
    token: str | None,
    token_b: str | None,
    profile: str | None,
    strict: bool = False,
    seed: int | None = None,
    run_id: str | None = None,
    report_dir: str | None = None,
    request_timeout: float = 10.0,
) -> Settings:
    """Combine explicit values with the environment and validate them."""
    base_url = base_url or os.environ.get(ENV_BASE_URL) or None
    token = token or os.environ.get(ENV_TOKEN) or None
    token_b = token_b or os.environ.get(ENV_TOKEN_B) or None
    if base_url is not None:
        base_url = normalise_base_url(base_url)
        if not token:
            raise ConfigError(
                f"no token for {base_url}: set {ENV_TOKEN} (recommended) or pass --token"
            )
    name = profile or DEFAULT_PROFILE
    if name not in PROFILES:
        known = ", ".join(PROFILES)
        raise ConfigError(f"unknown profile {name!r}; choose one of: {known}")
    if request_timeout <= 0:
        raise ConfigError("the request timeout must be a positive number of seconds")
    return Settings(
        base_url=base_url,
        token=token,
        token_b=token_b,
        profile=PROFILES[name],
        strict=strict,
        seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
        run_id=run_id or new_run_id(),
        report_dir=report_dir,
        request_timeout=request_timeout,
    )
