"""Settings for the test suite: the deployment's settings with a throwaway home and inline tasks."""

import os
import tempfile

os.environ["ROLLCALL_HOME"] = tempfile.mkdtemp(prefix="rollcall-test-home-")
os.environ.setdefault("ROLLCALL_SECRET_KEY", "test-only-secret-key-not-for-deployment")

from rollcall.settings import *  # noqa: E402,F403

# Background tasks run inline, so a test sees their effect at once.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": list(TASK_QUEUES)}  # noqa: F405
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; test passwords only
