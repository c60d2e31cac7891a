"""Every sandbox fault is caught, by the check of the fault's own clause.

Each fault runs the conformance suites once against a sandbox that commits it; the runs
go two at a time, and each test then reads its fault's report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conformance.sandbox import FAULTS, SandboxConfig, running_sandbox

pytestmark = pytest.mark.e2e

# Faults that only the property suite sees: the scenario suites do not repeat its checks.
PROPERTY_ONLY: set[str] = set()


def run_suites(fault: str, report_dir: Path) -> dict:
    selection = [] if fault in PROPERTY_ONLY else ["-m", "not properties"]
    with running_sandbox(SandboxConfig(faults=frozenset({fault}))) as sandbox:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "--pyargs", "conformance.suites", "-q",
             "-p", "no:cacheprovider", "--base-url", sandbox.base_url,
             "--token", sandbox.token_a, "--token-b", sandbox.token_b,
             "--profile", "quick", "--seed", "3", "--report-dir", str(report_dir), *selection],
            cwd=report_dir, capture_output=True, text=True, timeout=600,
        )
    reports = list(report_dir.glob("*/report.json"))
    assert len(reports) == 1, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(reports[0].read_text())
    report["_returncode"] = result.returncode
    return report


@pytest.fixture(scope="module")
def fault_reports(tmp_path_factory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("faults")
    dirs = {name: root / name for name in FAULTS}
    for path in dirs.values():
        path.mkdir()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_suites, name, path) for name, path in dirs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_caught_on_its_own_clause(fault_reports, fault):
    report = fault_reports[fault]
    failed = {c["clause"] for c in report["checks"] if c["outcome"] == "failed"}
    assert report["_returncode"] == 1, f"{fault}: the run did not fail ({report['summary']})"
    assert FAULTS[fault].clause in failed, f"{fault}: failed clauses were {sorted(failed)}"
