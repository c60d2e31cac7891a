"""Problems of the harness or its configuration, kept apart from findings about a server.

A finding says the server under test breaks a clause; the exceptions here say the harness
could not do its job, and each maps to one documented exit status.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Exit statuses of ``partner-conformance``, as documented in the README."""

    CONFORMS = 0
    FINDINGS = 1
    USAGE = 2
    UNREACHABLE = 3


class HarnessError(Exception):
    """Base of every error that is about the harness, not about the server."""

    exit_code = ExitCode.USAGE


class ConfigError(HarnessError):
    """Bad usage or configuration; the message says what to do."""


class UnreachableError(HarnessError):
    """The target did not answer at all."""

    exit_code = ExitCode.UNREACHABLE
