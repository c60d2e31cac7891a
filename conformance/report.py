"""Report writers: report.json, summary.md, the JUnit clean-up and the terminal table.

They consume the entries the plugin collected; nothing here talks to the server.
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conformance.exchange import curl
from conformance.findings import Finding, FindingLog, Severity
from conformance.specfiles import load_clauses

if TYPE_CHECKING:
    import pytest

    from conformance.context import RunContext

MESSAGE_LIMIT = 3000
_OUTCOME = {Severity.FAILURE: "failed", Severity.WARNING: "warning", Severity.NOTE: "note"}


def describe_findings(findings: list[Finding]) -> str:
    """The text pytest shows for an item that failed on findings."""
    blocks = []
    for f in findings:
        repeat = f" (seen {f.count} times)" if f.count > 1 else ""
        lines = [f"[{f.clause}] {f.title}{repeat}", f"  {f.operation}: {f.message.strip()}"]
        if f.curl:
            lines.append(f"  reproduce: {f.curl}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _clause_of(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("clause")
    return str(marker.args[0]) if marker and marker.args else None


def item_id(item: pytest.Item) -> str:
    """A unique id: Schemathesis items share a node id and differ only in their name."""
    module = item.nodeid.split("::", 1)[0]
    return f"{module}::{item.name}"


def entries_for(
    item: pytest.Item,
    rep: pytest.TestReport,
    log: FindingLog,
    context: RunContext,
    violation: Any = None,
) -> list[dict[str, Any]]:
    """One report entry per finding of the item, or one for the item's own outcome."""
    strict = context.settings.strict
    entries = []
    for finding in log.findings.values():
        outcome = _OUTCOME[finding.severity]
        if strict and finding.severity is Severity.WARNING:
            outcome = "failed"
        entries.append({"id": item_id(item), "outcome": outcome, **finding.as_dict()})
    has_failure = any(e["outcome"] == "failed" for e in entries)
    if not has_failure:
        outcome = "passed" if rep.passed else ("skipped" if rep.skipped else "failed")
        message = _short(context.redactor.text(rep.longreprtext)) if not rep.passed else ""
        if violation is not None:
            message = context.redactor.text(str(violation))
        if rep.skipped and isinstance(rep.longrepr, tuple):
            message = context.redactor.text(str(rep.longrepr[2]))
        entry = {
            "id": item_id(item),
            "outcome": outcome,
            "clause": getattr(violation, "clause", None) or _clause_of(item),
            "title": _first_line(message) if outcome == "failed" else item.name,
            "message": message,
            "check": "pytest",
        }
        if outcome == "failed" and log.last_request is not None:
            entry["request"], entry["response"] = log.last_request, log.last_response
            entry["curl"] = curl(log.last_request)
        entries.append(entry)
    return entries


def _first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= 200 else line[:200] + "..."


def _short(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else "..." + text[-MESSAGE_LIMIT:]


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("partner-conformance", "schemathesis", "hypothesis", "pytest", "httpx"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "unknown"
    return versions


def _verdict(exitstatus: int) -> str:
    return {0: "conforms", 1: "does not conform"}.get(int(exitstatus), "incomplete")


def build(context: RunContext, exitstatus: int) -> dict[str, Any]:
    """The machine-readable report as a dict."""
    clauses = load_clauses()
    checks = []
    for entry in context.entries:
        clause = clauses.get(entry.get("clause") or "")
        checks.append({**entry, "clause_text": clause["text"] if clause else None})
    orders = [vars(o).copy() for o in context.created_orders]
    return {
        "tool": "partner-conformance",
        "run_id": context.settings.run_id,
        "target": {"base_url": context.redactor.text(context.base_url), "kind": context.target_kind},
        "versions": _versions(),
        "seed": context.settings.seed,
        "profile": context.settings.profile.name,
        "strict": context.settings.strict,
        "started_at": datetime.fromtimestamp(context.started, timezone.utc).isoformat(),
        "duration_seconds": round(datetime.now(timezone.utc).timestamp() - context.started, 3),
        "exit_status": int(exitstatus),
        "verdict": _verdict(exitstatus),
        "summary": dict(Counter(e["outcome"] for e in context.entries)),
        "writes": context.writes_note,
        "orders": {
            "max": context.settings.max_orders,
            "created": len(orders),
            "canceled": sum(o["cancel_outcome"] == "canceled" for o in orders),
            "list": orders,
        },
        "checks": checks,
    }


def run_dir(context: RunContext) -> Path:
    return Path(context.settings.report_dir or "reports") / context.settings.run_id


def write_reports(context: RunContext, config: pytest.Config, exitstatus: int) -> Path:
    """Write report.json and summary.md; pytest writes junit.xml beside them."""
    data = context.redactor.data(build(context, exitstatus))
    directory = run_dir(context)
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    (directory / "report.json").write_text(text + "\n", encoding="utf-8")
    (directory / "summary.md").write_text(markdown(data), encoding="utf-8")
    return directory


def redact_junit(context: RunContext, config: pytest.Config) -> None:
    """pytest writes junit.xml itself; scrub any secret out of it afterwards."""
    path = getattr(config.option, "xmlpath", None)
    if path and Path(path).is_file():
        original = Path(path).read_text(encoding="utf-8")
        cleaned = context.redactor.text(original)
        if cleaned != original:
            Path(path).write_text(cleaned, encoding="utf-8")


def _rows(data: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
    return [c for c in data["checks"] if c["outcome"] == outcome]


def markdown(data: dict[str, Any]) -> str:
    """A human summary of a report dict."""
    summary = ", ".join(f"{n} {k}" for k, n in sorted(data["summary"].items())) or "nothing ran"
    lines = [
        f"# Conformance run {data['run_id']}",
        "",
        f"- Target: {data['target']['base_url']} ({data['target']['kind']})",
        f"- Verdict: **{data['verdict']}** (exit status {data['exit_status']})",
        f"- Profile: {data['profile']}, seed {data['seed']}, strict: {data['strict']}",
        f"- Duration: {data['duration_seconds']} s",
        f"- Results: {summary}",
        f"- Writes: {data['writes']}",
        f"- Orders created: {data['orders']['created']}, canceled: {data['orders']['canceled']}",
        "",
    ]
    for outcome, heading in (
        ("failed", "Failures (the documentation backs these)"),
        ("warning", "Warnings (HTTP convention only; failures with --strict)"),
        ("note", "Readings (the documentation is open; the server chose one)"),
    ):
        rows = _rows(data, outcome)
        if not rows:
            continue
        lines += [f"## {heading}", "", "| clause | operation | finding | times |", "|---|---|---|---|"]
        for row in rows:
            title = str(row.get("title", "")).replace("|", "\\|")
            lines.append(
                f"| `{row.get('clause')}` | {row.get('operation') or row['id']} | {title} "
                f"| {row.get('count', 1)} |"
            )
        lines.append("")
    return "\n".join(lines)


def terminal_summary(terminalreporter: Any, context: RunContext) -> None:
    """A short table of what failed, then where the reports are."""
    write = terminalreporter.write_line
    terminalreporter.write_sep("=", "partner-conformance")
    write(f"target: {context.redactor.text(context.base_url)} ({context.target_kind})")
    write(f"profile: {context.settings.profile.name}  seed: {context.settings.seed}")
    write(f"writes: {context.writes_note}")
    if context.settings.insecure:
        write("TLS: certificates NOT verified (--insecure)")
    counts = Counter(e["outcome"] for e in context.entries)
    write("results: " + (", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "none"))
    for entry in context.entries:
        if entry["outcome"] in {"failed", "warning"}:
            label = "FAIL" if entry["outcome"] == "failed" else "WARN"
            where = entry.get("operation") or entry["id"]
            write(f"  {label}  {entry.get('clause') or '-':34} {where}: {entry.get('title', '')}")
    created = context.created_orders
    if created:
        canceled = sum(o.cancel_outcome == "canceled" for o in created)
        write(f"orders created: {len(created)}, canceled: {canceled}")
    if context.settings.report_dir:
        write(f"report: {run_dir(context)}")
