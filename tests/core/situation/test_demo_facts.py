"""The demo's claims quote the field report word for word."""

from __future__ import annotations

from pathlib import Path

from rollcall_core.situation.demo import claim_facts

# CI clones the repository with shared/ beside it, as on the developers' machines.
REPORT = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "000_3e3f317ea0a504ae.txt"


def normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def test_every_claim_quote_is_verbatim_from_the_field_report() -> None:
    report = normalise(REPORT.read_text(encoding="utf-8"))
    for claim in claim_facts():
        quote = normalise(claim.get("quote", ""))
        assert quote and quote in report, claim["key"]
