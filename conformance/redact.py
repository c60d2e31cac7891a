"""Keep bearer tokens out of everything the harness prints or writes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "***"
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")


class Redactor:
    """Replaces the configured secrets, and any bearer credential, with ``***``."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # Longest first, so a token that contains another is masked whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def add(self, secret: str | None) -> None:
        if secret and secret not in self._secrets:
            self._secrets = sorted([*self._secrets, secret], key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, MASK)
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
