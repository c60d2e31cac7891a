"""Resolve the many documented spellings of a Chinese region to its region code.

The documentation accepts, for country CN, a region's code, full and short pinyin, full
and short Chinese name, and listed aliases. The table itself lives in spec/regions.yaml,
shared with the harness, so the sandbox and the checks cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from conformance.specfiles import load_regions

_FORM_FIELDS = ("code", "pinyin", "chinese", "short_chinese", "short_pinyin")


def region_forms(record: Mapping[str, Any]) -> list[str]:
    """Every spelling of one region record: the named fields plus its aliases."""
    return named_forms(record) + alias_forms(record)


def named_forms(record: Mapping[str, Any]) -> list[str]:
    """The spellings in the table's named columns: code, pinyin, Chinese, short."""
    return [str(record[name]) for name in _FORM_FIELDS if record.get(name)]


def alias_forms(record: Mapping[str, Any]) -> list[str]:
    return [str(alias) for alias in record.get("aliases") or ()]


def _key(text: str) -> str:
    # Latin spellings match regardless of case and surrounding blanks; casefold leaves
    # Chinese characters untouched, so one rule serves both scripts.
    return text.strip().casefold()


class RegionTable:
    """Maps any accepted spelling to a region code."""

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        self._codes: dict[str, str] = {}
        self._aliases: set[str] = set()
        for record in records:
            code = str(record["code"])
            for form in region_forms(record):
                known = self._codes.setdefault(_key(form), code)
                if known != code:
                    raise ValueError(
                        f"region spelling {form!r} names both {known} and {code}"
                    )
            named = {_key(form) for form in named_forms(record)}
            self._aliases.update(
                _key(form) for form in alias_forms(record) if _key(form) not in named
            )

    def resolve(self, text: str, *, aliases: bool = True) -> str | None:
        """The region code for a spelling, or None when it names no region.

        With ``aliases=False`` only the table's named columns count, not its aliases.
        """
        key = _key(text)
        if not aliases and key in self._aliases:
            return None
        return self._codes.get(key)


class LazyRegionTable:
    """Loads the table on first use, so the sandbox starts even before it is needed."""

    def __init__(
        self, loader: Callable[[], Iterable[Mapping[str, Any]]] = load_regions
    ) -> None:
        self._loader = loader
        self._table: RegionTable | None = None

    def resolve(self, text: str, *, aliases: bool = True) -> str | None:
        if self._table is None:
            self._table = RegionTable(self._loader())
        return self._table.resolve(text, aliases=aliases)
