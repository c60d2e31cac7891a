from pathlib import Path

import pytest

from conformance.sandbox import FAULTS

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_the_fault_table_lists_every_fault_with_its_clause(fault):
    row = next((line for line in README.splitlines() if line.startswith(f"| `{fault}` |")), None)
    assert row is not None, f"README's fault table has no row for {fault}"
    assert f"`{FAULTS[fault].clause}`" in row
    assert "test_" in row, f"README does not say which test catches {fault}"
