from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def kept_files_in_tmp(settings, tmp_path: Path) -> Path:
    """Kept dataset files go to the test's own directory."""
    settings.DATASETS_DIR = tmp_path / "datasets"
    return settings.DATASETS_DIR


@pytest.fixture
def write_file(tmp_path: Path):
    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            path.write_bytes(content.encode(encoding))
        else:
            path.write_bytes(content)
        return path

    return write
