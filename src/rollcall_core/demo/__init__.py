"""A reproducible synthetic scenario of September 2023, written for rollcall (see docs/demo.md)."""

from rollcall_core.demo.scenario import DemoList, ScenarioManifest, iter_names, iter_people, write_scenario

__all__ = ["DemoList", "ScenarioManifest", "iter_names", "iter_people", "write_scenario"]
