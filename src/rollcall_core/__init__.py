"""rollcall's science: pure Python, no Django.

Plain data in, immutable result objects out. The Django project in ``rollcall`` persists
and serves what this package computes; an import-linter contract keeps the dependency one way.
"""
