"""The numbered structure of a directive's body.

Markers, outermost first: "I." (roman), "Điều 2." (article), "1." / "1.2." (arabic),
"a)" (letter), "-" (dash item), "+" (plus item). A marker nests under the nearest
preceding marker of an outer kind. Paths join the labels: "II.1.3", "Điều 2",
"3.-2" (second dash item under 3), "3.-1.+2".

A paragraph without a marker continues the innermost numbered section (dash and plus
items end at the next paragraph). Paragraphs before the first marker are the
*opening*; paragraphs after the last section that speak of the document itself
("... tại Thông báo này", "thực hiện Chỉ thị.") are the *closing*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vanthu.events import Section

from vanthu.normalize import CAPITALS, fold
from services.parse.numbers import DOC_TYPE_NAMES

_ROMAN = re.compile(r"^(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\s*[.:]\s+(?=\S)")
_ARTICLE = re.compile(r"^dieu\s+(\d{1,3})\s*([.:])?\s*")
_ARABIC = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\s*(?:[.)]\s*|/\s+)(?=\S)(?!\d)")  # "1/ Các Cục Thuế ..." too
# OCR often reads "5." as "5," or "5;", and older decisions number "2 - Sở ...": trusted only
# for the next number in sequence.
_ARABIC_OCR = re.compile(rf"^(\d{{1,2}})\s*(?:[,;]|\s[-–]|-)\s+(?=[{CAPITALS}])")
# A scan's speck read as punctuation glued to a section number ("-5, Tiêm vắc xin:").
_OCR_SPECK = re.compile(rf"^[-–—.,'‘’\"*•]{{1,2}}(?=\d{{1,2}}\s*[.,;]\s+[{CAPITALS}])")
# An act an article number cites: "Điều 22 Luật BHYT", "Điều 6 Nghị định số ...".
_CITED_ACT = re.compile(r"(?:bo luat|luat|nghi dinh|nghi quyet|thong tu|quyet dinh|phap lenh|hien phap|cua)(?![\w])")
_LETTER = re.compile(r"^([a-zđ])\s*\)\s*")
_DASH = re.compile(r"^[-–—•]\s*")
# OCR reads a dash as "~", or with a speck before it ("~- Rà soát", "'- Rà soát").
_DASH_OCR = re.compile(rf"^(?:~|[~.,'‘’*]{{1,2}}[-–—])\s*(?=[{CAPITALS}])")
_PLUS = re.compile(r"^\+\s*")
# The letter's courtesy close ("Trân trọng./.", "Xin trân trọng cảm ơn!") ends the body.
_COURTESY = re.compile(r"^(?:xin\s+)?tran trong(?:\s+cam on)?\s*[./!]*$")
_SELF_REFERENCE = re.compile(
    r"\b(?:van ban|" + "|".join(re.escape(fold(n)) for n in DOC_TYPE_NAMES) + r")\s+nay\b"
    r"|\b(?:nhung|cac) (?:noi dung|nhiem vu) (?:neu )?tren\b"  # "thực hiện những nội dung trên"
)
_FINAL = re.compile(r"\./\.\s*$")
# "Trên đây là Kế hoạch ..., yêu cầu ...": the document's summing-up, after its sections.
_SUMMING_UP = re.compile(r"^tren day la\b")
# A line that stops mid-phrase: a list or a preposition waiting for what follows.
_ITEM_TIMING = re.compile(r"(?:thoi gian|thoi han)(?:\s+(?:thuc hien|hoan thanh|bao cao|trien khai))?\s*:")
_BROKEN_OFF = re.compile(r"(?:,|\s(?:và|với|của|các|cho|tại|về|để|theo))$")
# Level of each marker kind; arabic numbers add their depth ("1.2." is deeper than "1.").
_LEVEL = {"roman": 1, "article": 1, "arabic": 2, "letter": 7, "dash": 8, "plus": 9}


@dataclass
class _Node:
    kind: str
    label: str
    level: int
    paragraphs: list[str]
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def path(self) -> str:
        if self.parent is None:
            return self.label
        return f"{self.parent.path()}.{self.label}"


@dataclass
class Body:
    opening: list[str]
    sections: list[Section]
    closing: list[str]


def _marker(line: str, next_number: int) -> tuple[str, str, int, str] | None:
    """(kind, label, level, text after the marker) for a marked line.

    ``next_number`` is the item number that would follow the last one seen at its level."""
    if m := _ROMAN.match(line):
        if m.group(1):
            return "roman", m.group(1), _LEVEL["roman"], line[m.end() :]
    # "Điều 1 chịu trách nhiệm ..." with no stop after the number goes on a sentence that
    # cites the article ("các thành viên quy định tại" / "Điều 1 chịu ...", "khoản 6" /
    # "Điều 22 Luật Bảo hiểm y tế"): no heading.
    if (m := _ARTICLE.match(fold(line))) and (
        m.group(2) or not (line[m.end() : m.end() + 1].islower() or _CITED_ACT.match(fold(line), m.end()))
    ):
        return "article", f"Điều {int(m.group(1))}", _LEVEL["article"], line[m.end() :]
    if m := _ARABIC.match(line):
        label = m.group(1)
        return "arabic", label, _LEVEL["arabic"] + label.count("."), line[m.end() :]
    if (m := _ARABIC_OCR.match(line)) and int(m.group(1)) == next_number:
        return "arabic", m.group(1), _LEVEL["arabic"], line[m.end() :]
    if (speck := _OCR_SPECK.match(line)) and (marked := _marker(line[speck.end() :], next_number)):
        if marked[0] == "arabic" and marked[1] == str(next_number):
            return marked
    if m := _LETTER.match(line):
        return "letter", m.group(1), _LEVEL["letter"], line[m.end() :]
    if m := _DASH.match(line) or _DASH_OCR.match(line):
        return "dash", "-", _LEVEL["dash"], line[m.end() :]
    if m := _PLUS.match(line):
        return "plus", "+", _LEVEL["plus"], line[m.end() :]
    return None


def _label(node_kind: str, label: str, parent: _Node | None, siblings: list[_Node]) -> str:
    if node_kind in ("dash", "plus"):
        return f"{label}{sum(1 for s in siblings if s.kind == node_kind) + 1}"
    if node_kind == "arabic" and "." in label and parent is not None and parent.kind == "arabic":
        return label.rsplit(".", 1)[1]  # "1.2." under "1." is "1.2", not "1.1.2"
    return label


_HEADING_CHARS = 120
_DUTIES_END = re.compile(r"\s(?:co|chiu) trach nhiem\s*\.$")


def _heading(text: str, has_items: bool) -> str | None:
    """A first paragraph that ends in a colon, or that is no sentence (no final stop) and
    is short or followed by items of its own ("2. Về thực hiện chính sách ... trên địa
    bàn tỉnh" over its "-" items), is the section's heading."""
    text = text.strip()
    no_sentence = not text.endswith((".", ";", "./."))
    duties = has_items and _DUTIES_END.search(fold(text)) is not None  # "Sở X có trách nhiệm." over its items
    if text.endswith(":") or duties or (no_sentence and (len(text) <= _HEADING_CHARS or has_items)):
        return text.rstrip(":").strip() or None
    return None


def _to_section(node: _Node) -> Section:
    first = node.paragraphs[0] if node.paragraphs else ""
    return Section(
        path=node.path(),
        heading=_heading(first, bool(node.children)) if node.kind not in ("dash", "plus") else None,
        text="\n".join(p for p in node.paragraphs if p),
        children=[_to_section(c) for c in node.children],
    )


def _speaks_of_itself(line: str, doc_type: str | None) -> bool:
    """"... tại Thông báo này", "văn bản này", "những nội dung trên", or the document's own
    type capitalised mid-sentence ("tổ chức thực hiện Chỉ thị.")."""
    if _SELF_REFERENCE.search(fold(line)):
        return True
    return bool(doc_type) and re.search(rf"(?<=\s){re.escape(doc_type)}(?=\s*[.;,]|$)", line) is not None


def split_body(lines: list[str], doc_type: str | None = None) -> Body:
    """Body lines -> opening paragraphs, the section tree, closing paragraphs.

    ``doc_type`` (the directive's own type) helps recognise closing paragraphs."""
    opening: list[str] = []
    closing: list[str] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    for line in lines:
        # The numbers so far at the level a "N." item would take: under the article or part open, or at the top.
        container = next((n for n in reversed(stack) if n.level < _LEVEL["arabic"]), None)
        numbered = [int(n.label) for n in (container.children if container else roots)
                    if n.kind == "arabic" and n.label.isdigit()]
        marked = _marker(line, (numbered[-1] + 1) if numbered else 1)
        if marked is None:
            # An article owns its paragraphs to the end, even those that speak of the document
            # ("Điều 3. ... chịu trách nhiệm thi hành Quyết định này"): a Quyết định has no
            # closing but its courtesy close.
            in_article = bool(roots) and roots[-1].kind == "article" and not closing
            speaks = _speaks_of_itself(line, doc_type) and not in_article
            # The document's last sentence ("... triển khai thực hiện./.") after a section's
            # items closes the document, it is no part of the last item's section.
            last = not in_article and bool(stack) and stack[-1].kind in ("dash", "plus") and _FINAL.search(line)
            summing_up = _SUMMING_UP.match(fold(line)) is not None
            if closing or (roots and (speaks or last or summing_up or _COURTESY.match(fold(line)))):
                closing.append(line)
                continue
            # Dash and plus items are one paragraph; what follows belongs to the section,
            # unless the item's line was broken mid-phrase ("- Phối hợp với" / "Văn phòng Bộ ...").
            # So does the item's timing on a line of its own ("- Tuyên truyền ..." / "Thời gian
            # thực hiện: Tháng 11/2025.").
            if stack and stack[-1].kind in ("dash", "plus") and (
                _BROKEN_OFF.search(stack[-1].paragraphs[-1]) or _ITEM_TIMING.match(fold(line))
            ):
                stack[-1].paragraphs[-1] = f"{stack[-1].paragraphs[-1]} {line}"
                continue
            while stack and stack[-1].kind in ("dash", "plus"):
                stack.pop()
            (stack[-1].paragraphs if stack else opening).append(line)
            continue
        if closing:
            # A marked line after closing text: the closing was a section's last paragraph.
            target = stack[-1].paragraphs if stack else opening
            target.extend(closing)
            closing = []
        kind, label, level, text = marked
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        siblings = parent.children if parent else roots
        node = _Node(kind, _label(kind, label, parent, siblings), level, [text.strip()], parent)
        siblings.append(node)
        stack.append(node)
    return Body(opening, [_to_section(r) for r in roots], closing)
