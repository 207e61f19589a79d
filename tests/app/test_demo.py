"""`rollcall demo` links its lists at a size where that takes seconds, and leaves a large one to `rollcall link`."""

from __future__ import annotations

import io

import pytest

import rollcall.demo
from rollcall.linkage.models import ModelVersion


@pytest.mark.django_db
def test_a_small_demo_is_linked():
    out = io.StringIO()
    rollcall.demo.load_demo(people=60, seed=7, out=out)
    assert "linked" in out.getvalue() and ModelVersion.objects.exists()


@pytest.mark.django_db
def test_a_demo_over_the_limit_is_left_unlinked(monkeypatch):
    monkeypatch.setattr(rollcall.demo, "LINK_DEMO_MAX_PEOPLE", 50)
    out = io.StringIO()
    rollcall.demo.load_demo(people=60, seed=7, out=out)
    assert "lists not linked: over 50 people" in out.getvalue() and not ModelVersion.objects.exists()
