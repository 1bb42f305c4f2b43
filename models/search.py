"""The words of a folded text, as the public search splits what a visitor types.

``search_key`` and the other searched texts are already folded (no diacritics, casefolded:
``models.text.fold``); the word table (``models.search_terms``) holds these words and the
search looks up the typed ones, split the same way.
"""

from __future__ import annotations

MAX_WORDS = 8


def query_words(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The words of an already folded ``text`` as the word table holds them: runs of letters and
    ASCII digits; anything else (quotes, ``*``, ``:``, ``(``, ``-`` …) separates words, so
    no query syntax ever reaches a database."""
    cleaned = "".join(c if c.isalpha() or c in "0123456789" else " " for c in text)
    return cleaned.split()[:limit]
