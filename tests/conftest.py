"""Test-wide set-up lives in tests/settings.py (a throwaway home, inline tasks)."""
