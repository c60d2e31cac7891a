"""A reference server for the Partner Integration API, with optional injected faults.

The sandbox follows the documentation faithfully so the harness has a known-good target;
with faults switched on it breaks one clause each, so the harness can prove it notices.
"""

from .app import create_app
from .config import SandboxConfig
from .faults import FAULTS, Fault
from .server import RunningSandbox, running_sandbox, serve
from .store import TOKEN_A, TOKEN_B

__all__ = [
    "FAULTS",
    "TOKEN_A",
    "TOKEN_B",
    "Fault",
    "RunningSandbox",
    "SandboxConfig",
    "create_app",
    "running_sandbox",
    "serve",
]
