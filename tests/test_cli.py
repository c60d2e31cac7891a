"""The CLI end to end, in a subprocess, against sandboxes served on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.sandbox import TOKEN_A, TOKEN_B, SandboxConfig, running_sandbox

pytestmark = pytest.mark.e2e


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PARTNER_API_")}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )


def only_run(report_dir: Path) -> Path:
    runs = [p for p in report_dir.iterdir() if p.is_dir()]
    assert len(runs) == 1, runs
    return runs[0]


def test_default_run_starts_the_sandbox_and_conforms(tmp_path):
    result = cli("run", "--profile", "quick", "--seed", "1", cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    run = only_run(tmp_path / "reports")
    assert {p.name for p in run.iterdir()} >= {"report.json", "junit.xml", "summary.md"}
    report = json.loads((run / "report.json").read_text())
    assert report["verdict"] == "conforms"
    assert report["seed"] == 1
    assert report["target"]["kind"] == "embedded sandbox"
    assert report["versions"]["schemathesis"].startswith("4.")
    assert not [c for c in report["checks"] if c["outcome"] == "failed"]
    operations = {c["id"].split("[", 1)[1] for c in report["checks"] if "test_operation[" in c["id"]}
    assert len(operations) == 8  # every operation but cancel, which needs an order of ours
    assert "partner-conformance" in result.stdout
    assert {p.name for p in tmp_path.iterdir()} == {"reports"}  # no caches left behind


@pytest.mark.parametrize(
    "config",
    [
        SandboxConfig(error_style="envelope", page_size_mode="reject"),
        SandboxConfig(error_style="magento", page_size_mode="clamp"),
    ],
    ids=["envelope-reject", "magento-clamp"],
)
def test_a_conforming_server_passes_in_every_reading(tmp_path, config):
    with running_sandbox(config) as sandbox:
        result = cli(
            "run", "--base-url", sandbox.base_url, "--profile", "quick", "--seed", "2",
            cwd=tmp_path, env={"PARTNER_API_TOKEN": sandbox.token_a},
        )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_rule_exits_1_names_its_clause_and_leaks_no_token(tmp_path):
    with running_sandbox(SandboxConfig(faults=frozenset({"selling_price_string"}))) as sandbox:
        result = cli(
            "run", "--base-url", sandbox.base_url, "--token", TOKEN_A, "--token-b", TOKEN_B,
            "--profile", "quick", cwd=tmp_path,
        )

    assert result.returncode == 1, result.stdout + result.stderr
    run = only_run(tmp_path / "reports")
    report = json.loads((run / "report.json").read_text())
    failed = [c for c in report["checks"] if c["outcome"] == "failed"]
    # The list's price also disagrees with the detail's number: a true second finding.
    assert {c["clause"] for c in failed} == {
        "products.field.selling_price",
        "detail.consistent_with_list",
    }
    schema_finding = next(c for c in failed if c["check"] == "response_schema_conformance")
    assert schema_finding["clause"] == "products.field.selling_price"
    assert schema_finding["request"]["headers"]["Authorization"] == "Bearer ***"
    assert schema_finding["response"]["status"] == 200
    assert "products.field.selling_price" in (run / "summary.md").read_text()
    assert "products.field.selling_price" in result.stdout
    for text in [result.stdout, result.stderr, *(p.read_text() for p in run.iterdir())]:
        assert TOKEN_A not in text and TOKEN_B not in text


def test_plain_pytest_runs_the_suites_with_the_plugin_options(tmp_path):
    with running_sandbox(SandboxConfig(faults=frozenset({"missing_auth_products"}))) as sandbox:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "--pyargs", "conformance.suites", "-p",
             "no:cacheprovider", "--base-url", sandbox.base_url, "--token", sandbox.token_a,
             "--profile", "quick", "--report-dir", str(tmp_path / "out")],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "auth.bearer_required" in result.stdout
    assert (only_run(tmp_path / "out") / "junit.xml").is_file()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--base-url", "not-a-url", "--token", "t"], {}, "base URL"),
        (["--base-url", "http://127.0.0.1:9"], {}, "PARTNER_API_TOKEN"),
        (["--profile", "fastest"], {}, "unknown profile"),
        (["--base-url", "http://127.0.0.1:9/rest/V1/external/", "--token", "t"], {}, "root"),
        ([], {"PARTNER_API_BASE_URL": "ftp://127.0.0.1"}, "base URL"),
    ],
)
def test_bad_configuration_exits_2_with_one_line(tmp_path, args, env, message):
    result = cli("run", *args, cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unwritable_report_dir_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = cli("run", "--report-dir", str(blocker / "reports"), cwd=tmp_path)
    assert result.returncode == 2
    assert "--report-dir" in result.stderr


def test_a_filter_that_selects_nothing_exits_2(tmp_path):
    result = cli("run", "--profile", "quick", "-k", "no_such_check", cwd=tmp_path)
    assert result.returncode == 2
    assert "no_such_check" in result.stderr


def test_unreachable_target_exits_3(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = cli("run", "--base-url", f"http://127.0.0.1:{port}", "--token", "t", cwd=tmp_path)
    assert result.returncode == 3
    assert "cannot reach" in result.stderr
    assert "Traceback" not in result.stderr


def test_sandbox_command_rejects_unknown_faults_and_public_hosts(tmp_path):
    unknown = cli("sandbox", "--fault", "no_such_fault", cwd=tmp_path)
    assert unknown.returncode == 2 and "no_such_fault" in unknown.stderr
    public = cli("sandbox", "--host", "0.0.0.0", "--port", "0", cwd=tmp_path)
    assert public.returncode == 2 and "loopback" in public.stderr
    listing = cli("sandbox", "--fault", "list", cwd=tmp_path)
    assert listing.returncode == 0 and "selling_price_string" in listing.stdout
