"""One shape for everything a check finds about the server under test."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any


class Severity(enum.StrEnum):
    """How a finding counts towards the verdict.

    FAILURE: the documentation backs it. WARNING: only HTTP convention asks for it
    (a failure under ``--strict``). NOTE: the documentation is open and the server picked
    one of the accepted readings; recorded, never a failure.
    """

    FAILURE = "failure"
    WARNING = "warning"
    NOTE = "note"


@dataclass
class Finding:
    """A single observation about the server, tied to a documentation clause."""

    severity: Severity
    clause: str
    title: str
    message: str
    operation: str | None = None
    check: str | None = None
    request: dict[str, Any] | None = None
    response: dict[str, Any] | None = None
    curl: str | None = None
    count: int = 1

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        return (self.severity.value, self.clause, self.title, self.operation)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


@dataclass
class FindingLog:
    """Findings of one test item, with repeats folded into a count."""

    findings: dict[tuple[str, str, str, str | None], Finding] = field(default_factory=dict)
    last_request: dict[str, Any] | None = None
    last_response: dict[str, Any] | None = None

    def add(self, finding: Finding) -> None:
        known = self.findings.get(finding.key)
        if known is None:
            self.findings[finding.key] = finding
        else:
            known.count += 1

    def of(self, *severities: Severity) -> list[Finding]:
        return [f for f in self.findings.values() if f.severity in severities]

    def __len__(self) -> int:
        return len(self.findings)
