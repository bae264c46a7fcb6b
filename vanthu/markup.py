"""A web page's HTML as the text a reader sees: a saved page or an editor's export fed in
as a document ("<table class="MsoNormalTable"> ... <b>ỦY BAN NHÂN DÂN<br /> THÀNH PHỐ HÀ
NỘI</b> ..."). Block elements and line breaks end lines, table cells too (the form's
header table reads cell by cell, as the site copies the parser already reads do), scripts
and styles are dropped, entities decoded. Text that is not such markup is returned as is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Enough block markup to be a page, not a text that quotes a tag or two ("<br>" in a cell).
_BLOCK_TAG = re.compile(r"<(?:p|div|td|tr|table|li|h[1-6])\b[^<>]*>", re.IGNORECASE)
_MIN_BLOCK_TAGS = 3
_LINE_ENDING = {"p", "div", "br", "tr", "td", "th", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN = {"script", "style", "head", "title"}


def is_markup(text: str) -> bool:
    """Whether ``text`` is an HTML page's source rather than its text."""
    return len(_BLOCK_TAG.findall(text, 0, 20_000)) >= _MIN_BLOCK_TAGS


def page_text(text: str) -> str:
    """The text of an HTML page, one line per block or cell; ``text`` as it is when it is
    no such page (:func:`is_markup`)."""
    if not is_markup(text):
        return text
    reader = _Reader()
    reader.feed(text)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _LINE_ENDING:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _LINE_ENDING:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
