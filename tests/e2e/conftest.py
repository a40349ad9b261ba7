"""Browser-test helpers: where screenshots go (looked at before a change is called done)."""

import os
from pathlib import Path

import pytest

ARTEFACTS = Path(os.environ.get("TT_ARTEFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture
def artefacts() -> Path:
    """Folder for screenshots of this run (`test-artifacts/` in the work tree unless TT_ARTEFACTS is set)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS
