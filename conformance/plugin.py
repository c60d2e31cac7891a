"""The pytest plugin: options, the run context, grading of items, and the reports.

Registered through the ``pytest11`` entry point, so the suites also run as plain pytest:
``pytest --pyargs conformance.suites --base-url URL --token TOKEN``. Nothing happens until
a suite asks for the run context, so the plugin stays inert in other pytest sessions.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from typing import Any

import pytest

from conformance import context as run_context
from conformance import options, report, settings, specfiles
from conformance.checks import ClauseViolation
from conformance.errors import HarnessError
from conformance.findings import FindingLog, Severity

LOG_KEY = pytest.StashKey[FindingLog]()
_STATE: dict[str, Any] = {"config": None, "context": None, "log": None}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("partner-conformance", "Partner Integration API conformance")
    options.add_to_pytest(group)
    group.addoption("--report-dir", default=None,
                    help="write report.json, summary.md and junit.xml to DIR/<run-id>/")
    group.addoption("--run-id", default=None, help=argparse.SUPPRESS)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "clause(id): the documentation clause a test checks")
    config.addinivalue_line("markers", "properties: a generated-data property test")
    config.addinivalue_line("markers", "catalog: a catalog scenario (products, detail, ...)")
    config.addinivalue_line("markers", "orders: an order scenario (creates orders)")
    _STATE["config"] = config
    report_dir = config.getoption("--report-dir")
    if report_dir and not getattr(config.option, "xmlpath", None):
        # Ask pytest's own JUnit writer for the file before it configures itself.
        run_id = config.getoption("--run-id") or settings.new_run_id()
        config.option.run_id = run_id
        config.option.xmlpath = os.path.join(report_dir, run_id, "junit.xml")


def current() -> run_context.RunContext:
    """The run context, created (and the sandbox started) on first use."""
    if _STATE["context"] is None:
        config = _STATE["config"]
        if config is None:
            raise RuntimeError("the partner-conformance plugin is not active")
        try:
            resolved = settings.resolve(
                **options.from_pytest(config.getoption),
                run_id=config.getoption("--run-id"),
                report_dir=config.getoption("--report-dir"),
            )
        except HarnessError as exc:
            raise pytest.UsageError(str(exc)) from None
        if resolved.spec:
            os.environ[specfiles.ENV_SPEC] = resolved.spec
        # Hypothesis caches in ./.hypothesis unless told otherwise: keep the user's dir clean.
        if "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
            os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = tempfile.mkdtemp(prefix="partner-conformance-")
        _STATE["context"] = run_context.start(resolved)
    return _STATE["context"]


@pytest.fixture(scope="session")
def run() -> run_context.RunContext:
    """The run's shared context: target, tokens, settings, collected results."""
    return current()


def current_log() -> FindingLog:
    """The finding log of the test item that is running now.

    Not a fixture: Hypothesis refuses function-scoped fixtures in property tests, and the
    log must collect across all the examples of one item anyway.
    """
    log = _STATE["log"]
    if log is None:
        raise RuntimeError("no test item is running")
    return log


def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[LOG_KEY] = _STATE["log"] = FindingLog()
    context = _STATE["context"]
    if context is None:
        return
    if item.get_closest_marker("orders") and not context.writes_allowed:
        pytest.skip("writes not allowed: this check creates or cancels orders")
    if context.out_of_time():
        context.timed_out = True
        pytest.skip(f"the run's time budget ({context.settings.max_duration:g} s) is spent")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    rep = yield
    context = _STATE["context"]
    if context is None:
        return rep
    log = item.stash.get(LOG_KEY, FindingLog())
    _redact_report(rep, context)
    if rep.when == "call":
        severities = [Severity.FAILURE]
        if context.settings.strict:
            severities.append(Severity.WARNING)
        bad = log.of(*severities)
        if bad and rep.passed:
            rep.outcome = "failed"
            rep.longrepr = report.describe_findings(bad)
        context.entries.extend(report.entries_for(item, rep, log, context, _violated(call)))
    elif rep.when == "setup" and not rep.passed:
        context.entries.extend(report.entries_for(item, rep, log, context, _violated(call)))
    return rep


def _redact_report(rep: pytest.TestReport, context: run_context.RunContext) -> None:
    """Servers echo tokens; what pytest prints of a failure must not carry them."""
    if rep.longrepr is not None and not rep.passed and not rep.skipped:
        text = rep.longreprtext
        cleaned = context.redactor.text(text)
        if cleaned != text:
            rep.longrepr = cleaned
    rep.sections = [(title, context.redactor.text(body)) for title, body in rep.sections]


def _violated(call: pytest.CallInfo[None]) -> ClauseViolation | None:
    """The ClauseViolation that ended the phase, if that is what did."""
    error = call.excinfo.value if call.excinfo is not None else None
    return error if isinstance(error, ClauseViolation) else None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    context = _STATE["context"]
    if context is None:
        return
    if context.timed_out and session.exitstatus == pytest.ExitCode.OK:
        # Skipped for want of time is not "conforms": a gate must not pass a partial run.
        session.exitstatus = pytest.ExitCode.INTERRUPTED
        exitstatus = session.exitstatus
    context.cancel_created_orders()
    if context.settings.report_dir:
        report.write_reports(context, session.config, exitstatus)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    context = _STATE["context"]
    if context is not None:
        report.terminal_summary(terminalreporter, context)


def pytest_unconfigure(config: pytest.Config) -> None:
    context = _STATE["context"]
    if context is not None:
        report.redact_junit(context, config)
        context.close()
    _STATE["config"] = None
    _STATE["context"] = None
