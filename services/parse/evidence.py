"""Where a phrase the parser read stands in the parsed text.

The parser reads cleaned lines (:func:`vanthu.normalize.clean_document`: markdown marks
removed, whitespace collapsed, broken lines joined), so a clause it read is not always a
literal slice of the text it was given. :class:`TextLocator` finds such a phrase back in
the *parsed text*, the NFC form of that text, matching its words in order across any
whitespace and markdown marks, and says on which page it stands (pages are separated by
form feeds; a text without them is one page).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from vanthu.events import Span

# Between two words of a phrase: whitespace, with the page's markdown and table marks.
_GAP = r"[*_#|]*\s+[*_#|]*"
# A task clause is located by its first and last words: enough to be unique nearby, and
# cheap on long clauses.
_EDGE_WORDS = 6


class TextLocator:
    """Phrases of the cleaned lines -> spans in the parsed text."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFC", text)
        self._page_starts = [m.end() for m in re.finditer("\f", self.text)]
        self._patterns: dict[str, re.Pattern[str] | None] = {}

    def page(self, offset: int) -> int:
        """1-based page of ``offset``."""
        return bisect_right(self._page_starts, offset) + 1

    def find(self, phrase: str, start: int = 0, end: int | None = None) -> Span | None:
        """The first occurrence of ``phrase`` within ``[start, end)``."""
        pattern = self._pattern(phrase)
        m = pattern.search(self.text, start, len(self.text) if end is None else end) if pattern else None
        return Span(start=m.start(), end=m.end()) if m else None

    def find_before(self, phrase: str, before: int) -> Span | None:
        """The last occurrence of ``phrase`` that starts before ``before``: a heading's unit
        seen from one of its items (looked for just above first, then anywhere above)."""
        pattern = self._pattern(phrase)
        if pattern is None:
            return None
        for lo in (max(0, before - _NEAR), 0):
            last = None
            for m in pattern.finditer(self.text, lo, min(len(self.text), before + len(phrase) + _NEAR)):
                if m.start() >= before:
                    break
                last = m
            if last is not None:
                return Span(start=last.start(), end=last.end())
            if lo == 0:
                break
        return None

    def find_clause(self, clause: str, start: int = 0) -> Span | None:
        """A (long) clause, by its first and last words, from ``start`` on."""
        words = clause.split()
        head = self.find(" ".join(words[:_EDGE_WORDS]), start)
        if head is None:
            return None
        if len(words) <= _EDGE_WORDS:
            return head
        tail = self.find(" ".join(words[-_EDGE_WORDS:]), head.start)
        return Span(start=head.start, end=tail.end) if tail else head

    def _pattern(self, phrase: str) -> re.Pattern[str] | None:
        """``phrase`` as a pattern: its words in order across gaps; compiled once."""
        if phrase not in self._patterns:
            words = phrase.split()
            self._patterns[phrase] = re.compile(_GAP.join(re.escape(w) for w in words)) if words else None
        return self._patterns[phrase]


# How far above an item its heading is looked for first.
_NEAR = 4000
