"""Shared fixtures. Every syrupy snapshot lives in the top-level ``snapshots/`` folder, one
readable text file per snapshot, under a folder named after the test module."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

ROOT = Path(__file__).resolve().parent.parent


class TextSnapshot(SingleFileSnapshotExtension):
    """Snapshots a reviewer reads: plain UTF-8 text files in ``snapshots/<test module>/``."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(ROOT / "snapshots" / Path(test_location.filepath).stem)


@pytest.fixture
def snapshot(snapshot):
    """syrupy's fixture, writing text files under ``snapshots/``. Pass strings."""
    return snapshot.use_extension(TextSnapshot)
