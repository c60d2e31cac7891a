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
    forms = [record[name] for name in _FORM_FIELDS if record.get(name)]
    forms.extend(record.get("aliases") or ())
    return [str(form) for form in forms]


def _key(text: str) -> str:
    # Latin spellings match regardless of case and surrounding blanks; casefold leaves
    # Chinese characters untouched, so one rule serves both scripts.
    return text.strip().casefold()


class RegionTable:
    """Maps any accepted spelling to a region code."""

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        self._codes: dict[str, str] = {}
        for record in records:
            code = str(record["code"])
            for form in region_forms(record):
                known = self._codes.setdefault(_key(form), code)
                if known != code:
                    raise ValueError(
                        f"region spelling {form!r} names both {known} and {code}"
                    )

    def resolve(self, text: str) -> str | None:
        """The region code for a spelling, or None when it names no region."""
        return self._codes.get(_key(text))


class LazyRegionTable:
    """Loads the table on first use, so the sandbox starts even before it is needed."""

    def __init__(
        self, loader: Callable[[], Iterable[Mapping[str, Any]]] = load_regions
    ) -> None:
        self._loader = loader
        self._table: RegionTable | None = None

    def resolve(self, text: str) -> str | None:
        if self._table is None:
            self._table = RegionTable(self._loader())
        return self._table.resolve(text)
