"""How one sandbox instance behaves: catalog seed, storage, error style and faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .faults import FAULTS, check_fault_names

ErrorStyle = Literal["magento", "envelope"]
PageSizeMode = Literal["clamp", "reject"]

ERROR_STYLES = ("magento", "envelope")
PAGE_SIZE_MODES = ("clamp", "reject")


@dataclass(frozen=True)
class SandboxConfig:
    """Settings for one sandbox.

    ``error_style`` picks the shape of 4xx/5xx bodies. ``page_size_mode`` decides
    whether a page size above the documented maximum is clamped or rejected: the
    documentation states the maximum without saying what happens beyond it.
    """

    seed: int = 20261204
    db_path: str | None = None
    faults: frozenset[str] = field(default_factory=frozenset)
    error_style: ErrorStyle = "magento"
    page_size_mode: PageSizeMode = "clamp"

    def __post_init__(self) -> None:
        # Accept any iterable of names (or one bare name) for convenience, but store a
        # frozenset so the config stays hashable and immutable.
        names = (self.faults,) if isinstance(self.faults, str) else self.faults
        object.__setattr__(self, "faults", check_fault_names(names))
        if self.error_style not in ERROR_STYLES:
            raise ValueError(
                f"error_style must be one of {ERROR_STYLES}, not {self.error_style!r}"
            )
        if self.page_size_mode not in PAGE_SIZE_MODES:
            raise ValueError(
                f"page_size_mode must be one of {PAGE_SIZE_MODES},"
                f" not {self.page_size_mode!r}"
            )

    def has_fault(self, name: str) -> bool:
        """Whether the named fault is active; a misspelt name fails loudly."""
        if name not in FAULTS:
            raise KeyError(f"no fault named {name!r}")
        return name in self.faults
