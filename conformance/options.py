"""The run's options, declared once for both the command line and the pytest plugin."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from conformance import settings as s


@dataclass(frozen=True)
class Option:
    """One option of a run; ``dest`` is its keyword in ``settings.resolve``."""

    flag: str
    dest: str
    help: str
    kind: type = str
    default: Any = None
    pytest_flag: str | None = None  # where pytest already owns the CLI spelling
    forwarded: bool = True  # tokens reach pytest through the environment, never argv

    @property
    def in_pytest(self) -> str:
        return self.pytest_flag or self.flag

    def arguments(self) -> dict[str, Any]:
        if self.kind is bool:
            return {"action": "store_true", "default": False, "help": self.help}
        return {"type": self.kind, "default": self.default, "help": self.help}


OPTIONS = (
    Option("--base-url", "base_url", f"server root (env {s.ENV_BASE_URL}); without it the "
           "embedded sandbox is started"),
    Option("--token", "token", f"customer A's bearer token; prefer env {s.ENV_TOKEN} or "
           "--token-file, as a flag is visible to other users of the machine", forwarded=False),
    Option("--token-b", "token_b", f"customer B's bearer token (env {s.ENV_TOKEN_B})",
           forwarded=False),
    Option("--token-file", "token_file", "read customer A's token from the first line of a "
           "file", forwarded=False),
    Option("--profile", "profile", f"{', '.join(s.PROFILES)} (default {s.DEFAULT_PROFILE})"),
    Option("--seed", "seed", "seed for generated data (default: drawn, and recorded)", int),
    Option("--strict", "strict", "count findings that only HTTP convention backs as failures",
           bool, pytest_flag="--strict-conformance"),
    Option("--request-timeout", "request_timeout", "seconds to wait for one answer "
           "(default 10)", float, 10.0),
    Option("--allow-writes", "allow_writes", f"create and cancel orders on a remote target "
           f"(env {s.ENV_ALLOW_WRITES}=1); automatic on the sandbox and loopback", bool),
    Option("--assume-remote", "assume_remote", "treat a loopback target as remote, to "
           "rehearse a staging run", bool),
    Option("--max-orders", "max_orders", f"most orders the run may create (default "
           f"{s.DEFAULT_MAX_ORDERS})", int, s.DEFAULT_MAX_ORDERS),
    Option("--rate", "rate", f"most requests per second (default {s.DEFAULT_RATE:g} for a "
           "remote target, unlimited on loopback)", float),
    Option("--max-duration", "max_duration", "seconds after which the remaining checks are "
           f"skipped (default {s.DEFAULT_MAX_DURATION:g})", float, s.DEFAULT_MAX_DURATION),
    Option("--ca-bundle", "ca_bundle", "verify TLS against this CA bundle (staging's own CA)"),
    Option("--spec", "spec", "use this OpenAPI document instead of the bundled one "
           "(it must keep the bundled operationIds and x-clause annotations)"),
    Option("--insecure", "insecure", "do not verify TLS certificates (warned about loudly)",
           bool),
)


def add_to_argparse(parser: argparse.ArgumentParser) -> None:
    for option in OPTIONS:
        parser.add_argument(option.flag, dest=option.dest, **option.arguments())


def add_to_pytest(group: Any) -> None:
    for option in OPTIONS:
        group.addoption(option.in_pytest, dest=f"pc_{option.dest}", **option.arguments())


def from_pytest(getoption: Callable[[str], Any]) -> dict[str, Any]:
    return {option.dest: getoption(f"pc_{option.dest}") for option in OPTIONS}


def to_pytest_args(values: Mapping[str, Any]) -> list[str]:
    """The pytest arguments that carry resolved values on; secrets are left out."""
    arguments: list[str] = []
    for option in OPTIONS:
        value = values.get(option.dest)
        if not option.forwarded or value is None or value is False:
            continue
        arguments += [option.in_pytest] if option.kind is bool else [option.in_pytest, str(value)]
    return arguments
