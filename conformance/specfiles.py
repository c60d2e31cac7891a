"""Locate and load the hand-written contract files in ``spec/``.

From a source checkout (or an editable install) the files live in ``spec/`` beside the
package; a built wheel carries them inside the package as ``conformance/spec_data``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE_DIR / "spec_data", _PACKAGE_DIR.parent / "spec")

SPEC_NAME = "partner-api.yaml"
CLAUSES_NAME = "clauses.yaml"
REGIONS_NAME = "regions.yaml"


def spec_dir() -> Path:
    """Return the directory that holds the contract files."""
    for candidate in _CANDIDATES:
        if (candidate / SPEC_NAME).is_file():
            return candidate
    searched = ", ".join(str(c) for c in _CANDIDATES)
    raise FileNotFoundError(f"contract files not found (looked in {searched})")


ENV_SPEC = "PARTNER_CONFORMANCE_SPEC"


def spec_path() -> Path:
    """The OpenAPI document: the bundled one, or the one ``PARTNER_CONFORMANCE_SPEC`` names."""
    override = os.environ.get(ENV_SPEC)
    return Path(override) if override else spec_dir() / SPEC_NAME


def check_spec(path: str) -> dict[str, Any]:
    """Load an OpenAPI document, or say in one line why it cannot be used."""
    try:
        data = _load_yaml(Path(path))
    except OSError as exc:
        raise ValueError(f"cannot read the spec {path}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ValueError(f"the spec {path} does not parse as YAML or JSON{where}") from None
    if not isinstance(data, dict) or "openapi" not in data or "paths" not in data:
        raise ValueError(f"the spec {path} is not an OpenAPI document (no openapi/paths)")
    return data


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.cache
def load_spec() -> dict[str, Any]:
    """The OpenAPI document as a plain dict (cached; do not mutate)."""
    return _load_yaml(spec_path())


@functools.cache
def load_clauses() -> dict[str, dict[str, Any]]:
    """Clauses keyed by their stable id."""
    data = _load_yaml(spec_dir() / CLAUSES_NAME)
    return {clause["id"]: clause for clause in data["clauses"]}


@functools.cache
def load_regions() -> list[dict[str, Any]]:
    """The China regions table, one dict per region."""
    return _load_yaml(spec_dir() / REGIONS_NAME)["regions"]
