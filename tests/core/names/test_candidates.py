"""Candidate selection: rare keys weigh most, every key bounded, broad keys bounded tighter."""

from collections.abc import Mapping, Sequence

from rollcall_core.names import index_keys
from rollcall_core.names.candidates import CandidatePolicy, find_candidates, key_bounds


class Index:
    """An in-memory key index that records what each lookup asked for."""

    def __init__(self, names: list[str]) -> None:
        self.ids: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            for key in index_keys(name):
                self.ids.setdefault(key, []).append(i)
        self.lookups: list[dict[str, int]] = []

    def fetch(self, bounds: Mapping[str, int]) -> Mapping[str, Sequence[int]]:
        self.lookups.append(dict(bounds))
        return {key: self.ids[key][:bound] for key, bound in bounds.items() if key in self.ids}


def test_single_part_keys_are_read_with_the_tighter_bound() -> None:
    bounds = key_bounds("Siranush Adamyan", CandidatePolicy(per_key=200, per_broad_key=40, scored=10))
    assert {bound for key, bound in bounds.items() if key.startswith("t:")} == {40}
    assert {bound for key, bound in bounds.items() if not key.startswith("t:")} == {200}


def test_the_person_sharing_the_rare_pair_key_comes_before_people_sharing_one_name() -> None:
    names = [f"Siranush {family}" for family in ("Petrosyan", "Sargsyan", "Hakobyan")] * 20
    names += ["Adamyan Aram"] * 20 + ["Адамян Сирануш Гагиковна"]
    index = Index(names)
    found = find_candidates("Siranush Adamyan", index.fetch, CandidatePolicy(per_key=50, per_broad_key=50, scored=5))
    assert found[0] == len(names) - 1


def test_a_common_key_cut_at_its_bound_weighs_less_than_a_rare_one() -> None:
    # 30 Siranush Adamyans fill the single-part bound; one "Sirnush Adamyan" (a typo: only the
    # family key is shared) must not outrank a full match found through the pair key.
    index = Index(["Aram Adamyan"] * 30 + ["Siranush Adamyan"])
    found = find_candidates("Siranush Adamyan", index.fetch, CandidatePolicy(per_key=100, per_broad_key=10, scored=3))
    assert found[0] == 30


def test_all_keys_are_read_in_one_lookup_each_within_its_bound() -> None:
    index = Index(["Aram Adamyan"] * 500)
    found = find_candidates("Aram Adamyan", index.fetch, CandidatePolicy(per_key=70, per_broad_key=20, scored=25))
    assert len(index.lookups) == 1
    assert set(index.lookups[0].values()) == {70, 20}
    assert found == list(range(25))


def test_a_query_without_letters_reads_nothing() -> None:
    index = Index(["Aram Adamyan"])
    assert find_candidates("😀 '; 1=1 --", index.fetch) == []
    assert index.lookups == []
