from pathlib import Path

import pytest

from vanthu.directory import UnitDirectory

SAMPLES = Path(__file__).resolve().parents[2] / "examples" / "directives"


@pytest.fixture(scope="session")
def directory() -> UnitDirectory:
    return UnitDirectory.load()


@pytest.fixture(scope="session")
def sample():
    """sample("002") -> the text of examples/directives/002_*.txt (skips when absent)."""

    def read(stem: str) -> str:
        path = next(SAMPLES.glob(f"{stem}_*.txt"), None)
        if path is None:
            pytest.skip(f"sample {stem} not found in {SAMPLES}")
        return path.read_text(encoding="utf-8")

    return read
