"""Keep bearer tokens out of everything the harness prints or writes."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")


def _forms(secret: str) -> set[str]:
    """The spellings a server may echo a secret in: as is, URL-, JSON- or base64-encoded."""
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        secret.replace("/", "\\/"),
        base64.b64encode(secret.encode()).decode().rstrip("="),
    }


class Redactor:
    """Replaces the configured secrets, and any bearer credential, with ``***``.

    Servers echo tokens in other spellings, and tools shorten long values before they are
    shown; so every known spelling is masked, and so is any run of characters that starts
    with the first half of a secret (at least 6 characters of it).
    """

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets: list[str] = []
        self._prefixes: list[re.Pattern[str]] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or secret in self._secrets:
            return
        # Longest first, so a token that contains another is masked whole.
        self._secrets = sorted({*self._secrets, *_forms(secret)}, key=len, reverse=True)
        if len(secret) >= 6:
            head = secret[: max(6, len(secret) // 2)]
            self._prefixes.append(re.compile(re.escape(head) + r"[^\s\"',;]*"))

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, MASK)
        for prefix in self._prefixes:
            value = prefix.sub(MASK, value)
        return _BEARER.sub(lambda m: m.group(1) + MASK, value)

    def headers(self, headers: Mapping[str, Any]) -> dict[str, str]:
        cleaned = {}
        for name, value in headers.items():
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            if name.lower() in {"authorization", "proxy-authorization", "cookie"}:
                cleaned[name] = _mask_credential(str(value))
            else:
                cleaned[name] = self.text(str(value))
        return cleaned

    def data(self, value: Any) -> Any:
        """Redact every string inside a JSON-like structure."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(v) for v in value]
        return value


def _mask_credential(value: str) -> str:
    scheme, _, credential = value.partition(" ")
    return f"{scheme} {MASK}" if credential else MASK
