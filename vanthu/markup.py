"""A web page's HTML as the text a reader sees: a saved page or an editor's export fed in
as a document ("<table class="MsoNormalTable"> ... <b>ỦY BAN NHÂN DÂN<br /> THÀNH PHỐ HÀ
NỘI</b> ..."), or the HTML tables a converter leaves in its Markdown. Block elements and
line breaks end lines; a table's rows become Markdown rows ("| cell | cell |", a cell's
own line breaks kept as "<br>"), the form the site copies already take; scripts and
styles are dropped, entities decoded. Text that is not such markup is returned as is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Enough block markup to be a page or a table, not a text that quotes a tag ("<br>" in a cell).
_BLOCK_TAG = re.compile(r"<(?:p|div|td|tr|table|li|h[1-6])\b[^<>]*>", re.IGNORECASE)
_MIN_BLOCK_TAGS = 3
_LINE_ENDING = {"p", "div", "br", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_CELLS = {"td", "th"}
_HIDDEN = {"script", "style", "head", "title"}
_BLANK_LINES = re.compile(r"\n{3,}")  # a paragraph's end stays one blank line


def is_markup(text: str) -> bool:
    """Whether ``text`` holds an HTML page's or table's source rather than its text."""
    return len(_BLOCK_TAG.findall(text, 0, 20_000)) >= _MIN_BLOCK_TAGS


def page_text(text: str) -> str:
    """The text of HTML markup, one line per block and one Markdown row per table row;
    ``text`` as it is when it holds no such markup (:func:`is_markup`)."""
    if not is_markup(text):
        return text
    reader = _Reader()
    reader.feed(text)
    reader.close()
    text = "\n".join(" ".join(line.split()) for line in "".join(reader.parts).split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.cell = False  # inside a table cell: its line breaks stay in its row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "tr":
            self.parts.append("\n| ")
        elif tag in _CELLS:
            self.cell = True
        elif tag in _LINE_ENDING:
            self.parts.append(" <br> " if self.cell else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _CELLS:
            self.cell = False
            self.parts.append(" | ")
        elif tag in _LINE_ENDING and not self.cell:  # a row ends where the next begins, or with its table
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(" ".join(data.split()) if self.cell else data)
