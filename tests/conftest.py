"""Test-wide set-up: a throwaway data directory, so no test touches ./rollcall-data."""

import os
import tempfile

# Before Django reads its settings (pytest-django sets it up after the initial conftests load).
os.environ["ROLLCALL_HOME"] = tempfile.mkdtemp(prefix="rollcall-test-home-")
os.environ.setdefault("ROLLCALL_SECRET_KEY", "test-only-secret-key-not-for-deployment")
