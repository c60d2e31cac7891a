"""The conformance suites; run them with ``pytest --pyargs conformance.suites``."""
