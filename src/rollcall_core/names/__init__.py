"""Names in any script: script detection, transliteration, folding, parsing, keys and similarity.

Pure Python (PyICU and rapidfuzz). See docs/names.md for the rules and their sources.
"""

from rollcall_core.names.matching import (
    NameScore,
    NormalizedName,
    ParsedName,
    index_keys,
    keys_version,
    name_group,
    name_score,
    name_similarity,
    normalize_name,
    parse_name,
    search_keys,
    token_similarity,
)
from rollcall_core.names.normalize import clean_text, detect_script, matching_form, skeleton, to_latin

fold = matching_form

__all__ = [
    "NameScore",
    "NormalizedName",
    "ParsedName",
    "clean_text",
    "detect_script",
    "fold",
    "keys_version",
    "matching_form",
    "name_group",
    "name_score",
    "name_similarity",
    "normalize_name",
    "parse_name",
    "index_keys",
    "search_keys",
    "skeleton",
    "to_latin",
    "token_similarity",
]
