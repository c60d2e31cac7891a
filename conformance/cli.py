"""The ``partner-conformance`` command: ``run`` the suites, or serve the ``sandbox``."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from conformance import options, settings
from conformance.errors import ConfigError, ExitCode, HarnessError, UnreachableError

_PYTEST_TO_EXIT = {0: ExitCode.CONFORMS, 1: ExitCode.FINDINGS}
_RUN_INI = Path(__file__).resolve().parent / "suites" / "run.ini"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partner-conformance",
        description="Check a server against the Partner Integration API contract.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the conformance suites against a server")
    options.add_to_argparse(run)
    run.add_argument("--report-dir", default="reports", help="parent directory of the reports")
    run.add_argument("-k", dest="keyword", default=None, help="only checks matching EXPR")

    sandbox = commands.add_parser("sandbox", help="serve the reference sandbox")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.add_argument("--db", default=None, help="SQLite file for orders (default: memory)")
    sandbox.add_argument("--fault", action="append", default=[], metavar="NAME",
                         help="inject a documented fault (repeatable; --fault list shows them)")
    sandbox.add_argument("--error-style", choices=["magento", "envelope"], default="magento")
    sandbox.add_argument("--page-size-mode", choices=["clamp", "reject"], default="clamp")
    sandbox.add_argument("--allow-public", action="store_true",
                         help="allow binding a non-loopback host")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "sandbox":
            return _sandbox(args)
        return _run(args)
    except HarnessError as exc:
        print(f"partner-conformance: error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("partner-conformance: interrupted", file=sys.stderr)
        return int(ExitCode.USAGE)


def _run(args: argparse.Namespace) -> int:
    values = {o.dest: getattr(args, o.dest) for o in options.OPTIONS}
    resolved = settings.resolve(**values, report_dir=args.report_dir)
    if resolved.insecure:
        print("partner-conformance: WARNING: TLS certificates are NOT verified (--insecure); "
              "anyone on the path can read the token", file=sys.stderr)
    _check_report_dir(Path(args.report_dir))
    if resolved.base_url is not None:
        _check_reachable(resolved.base_url, resolved.request_timeout, resolved.verify)
        _check_token(resolved)
    return _invoke_pytest(resolved, args.keyword)


def _check_report_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".write-test"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"cannot write reports to {directory} ({exc.strerror or exc}); "
            "pass --report-dir with a writable directory"
        ) from None


def _check_reachable(base_url: str, timeout: float, verify: bool | str) -> None:
    import httpx

    # Any HTTP answer proves the target is there; the token is not sent for this probe.
    try:
        httpx.get(f"{base_url}{settings.API_PREFIX}/categories", timeout=timeout, verify=verify)
    except httpx.ConnectError as exc:
        if "CERTIFICATE" in str(exc).upper():
            raise ConfigError(
                f"TLS verification of {base_url} failed; pass --ca-bundle PATH for a "
                "server with its own CA"
            ) from None
        raise UnreachableError(f"cannot reach {base_url}: {type(exc).__name__}") from None
    except (httpx.ConnectTimeout, httpx.ReadTimeout) as exc:
        raise UnreachableError(f"cannot reach {base_url}: {type(exc).__name__}") from None
    except httpx.HTTPError as exc:
        raise UnreachableError(f"cannot talk to {base_url}: {type(exc).__name__}: {exc}") from None


def _check_token(resolved: settings.Settings) -> None:
    import httpx

    # A mistyped token would otherwise fail every check with an unhelpful flood.
    url = f"{resolved.base_url}{settings.API_PREFIX}/categories"
    for token, source in ((resolved.token, settings.ENV_TOKEN),
                          (resolved.token_b, settings.ENV_TOKEN_B)):
        if not token:
            continue
        try:
            answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"},
                               timeout=resolved.request_timeout, verify=resolved.verify)
        except httpx.HTTPError:
            return  # the suites will report what goes wrong with the connection
        if answer.status_code in (401, 403):
            raise ConfigError(
                f"{resolved.base_url} refused the token of {source} (HTTP "
                f"{answer.status_code}) on GET {settings.API_PREFIX}/categories"
            )
        if answer.is_redirect:
            raise ConfigError(
                f"GET {settings.API_PREFIX}/categories answered a redirect ({answer.status_code}"
                f"); is {resolved.base_url} the server root, and reachable without a login?"
            )
        if answer.status_code == 404:
            print(f"partner-conformance: note: GET {settings.API_PREFIX}/categories answered "
                  "404; is the base URL the server root?", file=sys.stderr)


def _invoke_pytest(resolved: settings.Settings, keyword: str | None) -> int:
    import pytest

    # Tokens travel through the environment, never on a command line.
    for name, value in ((settings.ENV_TOKEN, resolved.token), (settings.ENV_TOKEN_B, resolved.token_b)):
        if value:
            os.environ[name] = value
    forwarded = {**dataclasses.asdict(resolved), "profile": resolved.profile.name,
                 "base_url": resolved.base_url}
    arguments = [
        "--pyargs", "conformance.suites",
        "-c", str(_RUN_INI), "--rootdir", str(_RUN_INI.parent),
        "-p", "no:cacheprovider",
        "--run-id", resolved.run_id,
        "--report-dir", str(Path(resolved.report_dir or "reports").resolve()),
        "-q", "--tb=line", "-W", "ignore::pytest.PytestAssertRewriteWarning",
        *options.to_pytest_args(forwarded),
    ]
    if keyword:
        arguments += ["-k", keyword]
    # Hypothesis keeps caches in ./.hypothesis; a run must not litter the user's directory.
    with tempfile.TemporaryDirectory(prefix="partner-conformance-") as scratch:
        os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", scratch)
        status = int(pytest.main(arguments))
    if status == 5:
        raise ConfigError(f"no check matched -k {keyword!r}" if keyword else "no checks collected")
    if status not in _PYTEST_TO_EXIT:
        why = "its time budget (--max-duration) ran out" if status == 2 else f"pytest status {status}"
        print(f"partner-conformance: the run did not complete ({why})", file=sys.stderr)
        return int(ExitCode.USAGE)
    return int(_PYTEST_TO_EXIT[status])


def _sandbox(args: argparse.Namespace) -> int:
    from conformance.sandbox import FAULTS, SandboxConfig, serve

    if "list" in args.fault:
        for fault in FAULTS.values():
            print(f"{fault.name:32} {fault.clause:36} {fault.description}")
        return int(ExitCode.CONFORMS)
    unknown = sorted(set(args.fault) - set(FAULTS))
    if unknown:
        raise ConfigError(f"unknown fault(s) {', '.join(unknown)}; see --fault list")
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"port {args.port} is out of range")
    config = SandboxConfig(
        db_path=args.db,
        faults=frozenset(args.fault),
        error_style=args.error_style,
        page_size_mode=args.page_size_mode,
    )
    try:
        serve(config, args.host, args.port, allow_public=args.allow_public)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    except OSError as exc:
        raise ConfigError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return int(ExitCode.CONFORMS)


if __name__ == "__main__":
    sys.exit(main())
