"""How text is cut into words for the search index and for queries, the same on every backend."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_WORDS = 8


def fold(text: str) -> str:
    """``text`` lower-cased with its accents taken off: ``Crème Brûlée`` → ``creme brulee``."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (``#dumplings!`` → ``["dumplings"]``)."""
    return _WORD.findall(fold(text))


def query_words(query: str) -> list[str]:
    """The words of a search query, at most ``MAX_QUERY_WORDS``, duplicates dropped."""
    seen: list[str] = []
    for word in words(query):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_WORDS]


def edit_distance(a: str, b: str, *, limit: int = 3) -> int:
    """Damerau–Levenshtein distance (adjacent swaps count one), stopping past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
