"""The settings of one conformance run, from flags or environment variables."""

from __future__ import annotations

import math
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
ENV_ALLOW_WRITES = "PARTNER_API_ALLOW_WRITES"

DEFAULT_MAX_ORDERS = 300
DEFAULT_RATE = 20.0
DEFAULT_MAX_DURATION = 1800.0


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
    allow_writes: bool = False
    assume_remote: bool = False
    max_orders: int = DEFAULT_MAX_ORDERS
    rate: float | None = None
    max_duration: float = DEFAULT_MAX_DURATION
    ca_bundle: str | None = None
    insecure: bool = False
    spec: str | None = None

    @property
    def target_is_local(self) -> bool:
        """The embedded sandbox, or a loopback target not declared remote."""
        if self.base_url is None:
            return True
        return is_loopback_url(self.base_url) and not self.assume_remote

    def effective_rate(self) -> float | None:
        """Requests per second: as given, else unlimited on loopback, else the default."""
        if self.rate is not None:
            return self.rate
        return None if self.target_is_local else DEFAULT_RATE

    @property
    def verify(self) -> bool | str:
        """What to verify TLS against: a CA bundle, the system store, or nothing."""
        if self.insecure:
            return False
        return self.ca_bundle or True

    def writes_allowed(self) -> tuple[bool, str]:
        """Whether the run may create and cancel orders, and why."""
        if self.allow_writes:
            return True, "allowed (--allow-writes)"
        if self.target_is_local:
            where = "embedded sandbox" if self.base_url is None else "loopback target"
            return True, f"allowed ({where})"
        return False, (
            "NOT allowed: order suites and order-creating property tests are skipped; "
            "pass --allow-writes (or PARTNER_API_ALLOW_WRITES=1) to run them"
        )


def is_loopback_url(url: str) -> bool:
    """Whether a URL names a loopback address literally (no name is resolved but localhost)."""
    import ipaddress

    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_token_file(path: str) -> str:
    """A token from the first line of a file."""
    try:
        with open(path, encoding="utf-8") as handle:
            token = handle.readline().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the token file {path}: {exc.strerror or exc}") from None
    if not token:
        raise ConfigError(f"the token file {path} is empty")
    return token


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def new_run_id() -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


def normalise_base_url(raw: str) -> str:
    """Validate a server root URL and drop a trailing slash."""
    url = raw.strip()
    try:
        parts = urlsplit(url)
        parts.port
    except ValueError as exc:
        raise ConfigError(f"base URL {raw!r} is malformed ({exc})") from None
    if parts.username or parts.password:
        raise ConfigError(
            f"base URL must not carry credentials (user:password@): the harness authenticates "
            f"with the bearer token; remove them from {urlsplit(url)._replace(netloc=parts.hostname or '').geturl()!r}"
        )
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(
            f"base URL {raw!r} is not an http(s) URL with a host; "
            "pass the server root, e.g. http://127.0.0.1:8080"
        )
    if parts.query or parts.fragment:
        raise ConfigError(f"base URL {raw!r} must not carry a query or fragment")
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
    token_file: str | None = None,
    allow_writes: bool = False,
    assume_remote: bool = False,
    max_orders: int = DEFAULT_MAX_ORDERS,
    rate: float | None = None,
    max_duration: float = DEFAULT_MAX_DURATION,
    ca_bundle: str | None = None,
    insecure: bool = False,
    spec: str | None = None,
) -> Settings:
    """Combine explicit values with the environment and validate them."""
    base_url = base_url or os.environ.get(ENV_BASE_URL) or None
    if token and token_file:
        raise ConfigError("pass either --token or --token-file, not both")
    if token_file:
        token = read_token_file(token_file)
    token = token or os.environ.get(ENV_TOKEN) or None
    token_b = token_b or os.environ.get(ENV_TOKEN_B) or None
    for name, value in (("token", token), ("token B", token_b)):
        if value is not None and (not value.isprintable() or any(c.isspace() for c in value)):
            raise ConfigError(f"the {name} contains spaces or control characters; "
                              "check for a stray newline or quote")
    if token and token_b and token == token_b:
        raise ConfigError("token B is the same as token A: the isolation checks need a "
                          "second customer's token")
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
    if not math.isfinite(request_timeout) or request_timeout <= 0:
        raise ConfigError("the request timeout must be a positive number of seconds")
    if (max_orders < 0 or (rate is not None and not 0 < rate < math.inf)
            or not 0 < max_duration < math.inf):
        raise ConfigError("--max-orders must be 0 or more; --rate and --max-duration positive")
    if ca_bundle and insecure:
        raise ConfigError("pass either --ca-bundle or --insecure, not both")
    if ca_bundle and not os.path.isfile(ca_bundle):
        raise ConfigError(f"the CA bundle {ca_bundle} does not exist")
    if spec:
        from conformance.specfiles import check_spec

        try:
            check_spec(spec)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        spec = os.path.abspath(spec)
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
        allow_writes=allow_writes or _flag(ENV_ALLOW_WRITES),
        assume_remote=assume_remote,
        max_orders=max_orders,
        rate=rate,
        max_duration=max_duration,
        ca_bundle=ca_bundle,
        insecure=insecure,
        spec=spec,
    )
