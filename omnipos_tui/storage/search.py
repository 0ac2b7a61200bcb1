"""Name search: folding text for the index and building word-prefix queries per engine.

Names are stored twice: as written, and folded (lower case, accents removed, ø -> o,
æ -> ae, å -> a, punctuation -> spaces) in ``search_text``, which the index covers. A query
is folded the same way and split into words; a product matches when every query word is the
start of some word of its name ("gran orig" finds "Grandiosa Original", "brod" and "brød"
both find "Brød"). SQLite's unicode61 tokenizer does not decompose ø and æ, which is why the
folding happens here and not only in the tokenizer. After those, query words of
``INNER_MIN`` letters or more also match inside name words (Norwegian compounds: "melk"
finds "Lettmelk"), through a trigram index.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus a mark.
_SPECIAL = str.maketrans(
    {"ø": "o", "æ": "ae", "å": "a", "ß": "ss", "đ": "d", "ł": "l", "œ": "oe", "þ": "th"}
)
#: The shortest query word matched inside name words (a trigram is three letters).
INNER_MIN = 3
_NOT_WORD = re.compile(r"[\W_]+")
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Lower case, accent-free, ø/æ/å spelled out, words separated by single spaces."""
    lowered = text.casefold()
    if not lowered.isascii():
        # Decompose (é -> e + accent) and drop the combining marks; ø and æ do not
        # decompose, so they are spelled out first.
        lowered = _MARKS.sub("", unicodedata.normalize("NFKD", lowered.translate(_SPECIAL)))
    return _NOT_WORD.sub(" ", lowered).strip()


def query_words(text: str) -> list[str]:
    """The folded words of a search query (each only letters and digits)."""
    return fold(text).split()


def fts5_match(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word as a quoted prefix ("gran"* "orig"*)."""
    return " ".join(f'"{word}"*' for word in words)


def tsquery(words: list[str]) -> str:
    """A PostgreSQL ``to_tsquery('simple', ...)`` text: every word as a prefix, all required."""
    return " & ".join(f"{word}:*" for word in words)


def trigram_match(words: list[str]) -> str:
    """An FTS5 MATCH expression for the trigram index: every word (three letters or more)
    as a quoted phrase, which matches anywhere in the name ("melk" "orig")."""
    return " ".join(f'"{word}"' for word in words)
