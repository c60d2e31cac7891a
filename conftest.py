"""Root conftest: the harness's own tests live in tests/.

The conformance suites under conformance/suites are a product, not tests of this
repository: they run through ``partner-conformance run`` or ``pytest --pyargs
conformance.suites``, so a bare ``pytest .`` must not collect them.
"""

collect_ignore = ["conformance/suites"]
