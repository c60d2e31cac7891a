"""partner-conformance: checks a server against the Partner Integration API contract."""

__version__ = "0.1.0"
