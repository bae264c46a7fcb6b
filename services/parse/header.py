"""The header block of a directive: issuer, motto, number, place and date, type, subject.

Decree 30/2020/NĐ-CP and Guideline 36-HD/VPTW lay the header out as a two-column table,
which text extraction flattens in varying order and breaks inside fields ("Số:" /
"84/2025/QĐ-UBND", "Hà" / "Nội, ngày 21 tháng 11 năm 2025", "CỘNG" / "HÒA XÃ HỘI CHỦ
NGHĨA VIỆT NAM"). So the header is read as a region, in two passes:

1. the fields with a fixed form (motto, slogan, number, place and date) are found by
   anchored patterns over the region's joined text, so one may span lines or share a
   line with another ("Số: 12/KH-UBND Hà Tĩnh, ngày 3 tháng 5 năm 2025");
2. what those leave of each line is classified: issuer (the upper-case lines above the
   motto), urgency and secrecy marks, the type title and its trích yếu, "V/v",
   "Kính gửi" and its items.

The region starts at the issuer block over the motto (a news page may quote the
directive before its header) and ends at the first line that cannot belong to it: a
numbered item, a long paragraph, a legal basis ("Căn cứ ..."). Keywords are matched on
folded text (:func:`vanthu.normalize.fold`, length-preserving) to survive OCR damage.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from vanthu.events import PartialDate

from services.parse.dates import dates_in_figures, worded_dates
from vanthu.normalize import CAPITALS, fold
from services.parse.numbers import (
    ParsedNumber,
    canonical_doc_type,
    doc_type_for,
    is_type_code,
    leading_doc_type,
    names_a_document,
    number_at,
)

# The motto, also as OCR cuts it short ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆ", "CỘNG HÒA XÃ"):
# in capitals, its first three words are no body text.
_MOTTO = re.compile(
    r"(cong\s+hoa\s+xa\b(?:\s+hoi\b(?:\s+chu\b(?:\s+nghia\b(?:\s+vi\w*(?:\s+nam\b)?)?)?)?)?)"
    r"|(dang\s+cong\s+san\s+viet\s+nam)"
)
_SLOGAN = re.compile(r"doc\s+lap\s*[-–]?\s*tu\s+do\s*[-–]?\s*hanh\s+phuc")
# "Số:" anywhere, or "Số" opening a line before the digits or before OCR debris where the
# colon was ("Sô⁄1† /CT-UBND"); the number may be on the next line. Or nothing at all
# before a blank number's symbol alone on its line ("/BCA-C04": "Số:" lost under the pen).
# "S: 709/VPCP-KTTH": a copy that lost the "ố" glyph, a figure straight after. "Số" ending
# its line with the number on the next ("Số" / "-BC/TU": a column gap broke them).
_NUMBER_KEY = re.compile(
    r"(?m)(?:(?<![\w/])so\s*:|^so(?=[ \t]+(?:[\d/]|-[ \t]*[a-z])|[^\w\s])|(?<![\w/])so(?=[ \t]*\n[ \t]*(?:\d|/|-[ \t]*[a-z]))|^s[ \t]*:(?=[ \t]*\d)|^(?=/[ \t]*[a-z]{1,8}(?:-[a-z0-9&]+)*[ \t]*$))\s*"
)
# A sequence the OCR could not read (handwritten in the blank: "Số: đi /CT-UBND", "Số: 5# /KH-BCA",
# a stroke read as a slash "Số: /Ø£ /TTr-CAT"): the typed symbol after it still names the document.
_UNREAD_SEQ = re.compile(r"/?[^\s/]{1,4}(?:[ \t]+[^\s/]{1,3})?[ \t]*(?=/[ \t]*[A-ZĐ])")
# The type code after the "/" as OCR may print it: split by a space ("329/B C-UBND") or with its
# Đ read twice ("4/QĐÐ-UBND"). Mended only when that gives a known type code. Other doubled
# letters are real: "/CCT-KK" (Chi cục Thuế) is no "/CT-KK".
_OCR_TYPE_CODE = re.compile(r"(?<=/)[ \t]*([A-ZĐa-z][A-ZĐa-z \t]{1,5}?)(?=[ \t]*-)")
# A number broken at a separator ("3783/QĐ-" / "UBND", "3783/QĐ" / "-UBND").
_BROKEN_SYMBOL = re.compile(r"(?<=[-/])[ \t]*\n\s*|[ \t]*\n(?=[-/][A-ZĐ0-9])")
_URGENCY = {"khan": "Khẩn", "thuong khan": "Thượng khẩn", "hoa toc": "Hỏa tốc", "hoa toc hen gio": "Hỏa tốc hẹn giờ"}
_SECRECY = {"mat": "Mật", "toi mat": "Tối mật", "tuyet mat": "Tuyệt mật"}
# "V/v", also as OCR may leave it ("V/ trao đổi ..."), "Về việc", "Về".
_SUBJECT = re.compile(r"^(?:v\s*/\s*v?\s*:?|v\.v|ve viec|ve)(?:\s|$)")
# "Kính gửi:", and a Công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:" over its addressees.
_LETTER_SUBJECT = re.compile(r"^(?:v\s*/\s*v|v\.v)")
_RECIPIENTS = re.compile(r"^[-\s]*(?:kinh gui\s*:?|(?:\w+\s+){1,6}dien\s*:)\s*")
_BODY_START = re.compile(r"^(?:can cu|xet de nghi|theo de nghi|thuc hien|\d{1,2}\s*(?:[.)]|/(?=\s))\s|[ivx]+\.\s|dieu\s+\d)")
_ITEM = re.compile(r"^[-–•+]\s*")
_NOT_A_NAME = re.compile(r";|^so\s*:")
_HEADER_SPAN = 40
_MOTTO_SEARCH = 60  # lines: how far down a quoted header's motto is looked for
_LONG_LINE = 200
_LONG_SUMMARY = 500  # a title's summary may run to four or five printed lines
# Lower-case words inside a place name ("Thành phố Hồ Chí Minh", "Thị xã ...").
_PLACE_LOWER = {"thành", "phố", "thị", "xã", "trấn"}
_PLACE_WORDS_MAX = 6


def is_upper(line: str, min_letters: int = 3) -> bool:
    """Mostly upper-case letters, at least ``min_letters`` of them ("BỘ" has two)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= min_letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


@dataclass
class Header:
    """What the header says, and where: ``spans`` maps a field ("motto", "slogan", "number",
    "date", "issuer", "mark", "title", "subject", "recipients") to its (first, last) line."""

    system: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    number: ParsedNumber | None = None
    place: str | None = None
    date: PartialDate | None = None
    urgency: str | None = None
    secrecy: str | None = None
    doc_type: str | None = None
    title: str | None = None
    subject: str | None = None
    recipients: list[str] = field(default_factory=list)
    start: int = 0  # index of the header's first line (after a news page's preamble)
    end: int = 0  # index of the first body line
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


class _Region:
    """Lines ``start``..``stop`` of the document joined by newlines, with offset <-> line maps
    and the character ranges the anchored fields took."""

    def __init__(self, lines: list[str], start: int, stop: int) -> None:
        self.lines, self.start = lines, start
        self.offsets: list[int] = []
        pos = 0
        for line in lines[start:stop]:
            self.offsets.append(pos)
            pos += len(line) + 1
        self.text = "\n".join(lines[start:stop])
        self.folded = fold(self.text)
        self.taken: list[tuple[int, int]] = []

    def line_of(self, pos: int) -> int:
        """Document line index of region offset ``pos``."""
        return self.start + bisect.bisect_right(self.offsets, pos) - 1

    def take(self, h: Header, name: str, begin: int, end: int) -> None:
        self.taken.append((begin, end))
        h.spans[name] = (self.line_of(begin), self.line_of(max(begin, end - 1)))

    def rest(self, index: int) -> str:
        """Line ``index`` without what the anchored fields took, stripped of cell marks."""
        begin = self.offsets[index - self.start]
        line = self.lines[index]
        cuts = [(max(a, begin) - begin, min(b, begin + len(line)) - begin) for a, b in self.taken]
        cuts = [(a, b) for a, b in cuts if a < b]
        if not cuts:
            return line
        keep = [True] * len(line)
        for a, b in cuts:
            keep[a:b] = [False] * (b - a)
        return " ".join("".join(c if k else " " for c, k in zip(line, keep, strict=True)).split()).strip(" |,;-–")


def parse_header(lines: list[str]) -> Header:
    """Read the header region; ``start``/``end`` delimit it, ``end`` is where the body begins."""
    h = Header()
    motto = _find_motto(lines)
    h.start = _region_start(lines, motto)
    region = _Region(lines, h.start, _region_stop(lines, h.start, motto))
    _anchored_fields(h, region)
    _classify_lines(h, region)
    h.recipients = [r.strip(" ,;.") for r in h.recipients]
    return h


def _find_motto(lines: list[str]) -> int | None:
    """Line index of an upper-case motto among the first lines, even broken over lines."""
    region = _Region(lines, 0, min(len(lines), _MOTTO_SEARCH))
    for m in _MOTTO.finditer(region.folded):
        if is_upper(region.text[m.start() : m.end()]):
            return region.line_of(m.start())
    return None


def _region_start(lines: list[str], motto: int | None) -> int:
    """The first line of the issuer block over the motto: lines above a body-like one are a preamble."""
    if motto is None:
        return 0
    i = motto
    while i > 0 and len(lines[i - 1]) <= _LONG_LINE and not _ITEM.match(lines[i - 1]):
        if _BODY_START.match(fold(lines[i - 1])) or names_a_document(lines[i - 1]):
            break
        i -= 1
    return i


def _is_title(line: str) -> bool:
    return is_upper(line) and canonical_doc_type(line.rstrip(" :")) is not None


def _region_stop(lines: list[str], start: int, motto: int | None) -> int:
    """Index just past the last line that can belong to the header."""
    after_title = False
    limit = min(len(lines), start + _HEADER_SPAN)
    for i in range(start, limit):
        line, f = lines[i], fold(lines[i])
        # A long "- ..." line may still be an addressee ("Kính gửi:" items run on).
        body_like = (len(line) > _LONG_LINE and not _ITEM.match(line)) or _BODY_START.match(f)
        # The line under the type name is its trích yếu, even when it opens like a body
        # ("KẾ HOẠCH / thực hiện Chỉ thị số 05-CT/TW ...").
        if body_like and (motto is None or i > motto) and not (after_title and _trich_yeu(line, f)):
            return i
        after_title = _is_title(line)
    return limit


def _anchored_fields(h: Header, region: _Region) -> None:
    """Motto, slogan, number, place and date: patterns over the joined region text."""
    if (m := _MOTTO.search(region.folded)) and is_upper(region.text[m.start() : m.end()]):
        h.system = "state" if m.group(1) else "party"
        region.take(h, "motto", m.start(), m.end())
    if m := _SLOGAN.search(region.folded):
        region.take(h, "slogan", m.start(), m.end())
    for m in _NUMBER_KEY.finditer(region.folded):
        if CAPTION_BEFORE.search(region.folded, max(0, m.start() - 60), m.start()):
            continue  # "(Ban hành kèm theo Quyết định số: 59/QĐ-UBND ...)": the enacting act's number
        chunk, origin = _unbroken(region.text[m.end() : m.end() + 80])
        first = chunk.split("\n", 1)[0]
        unread = _UNREAD_SEQ.match(first)
        at = unread.end() if unread and not number_at(first, 0) else 0
        # Read from ``at`` alone: the debris before it must not count as the number's word.
        if number := number_at(first[at:], 0):
            h.number = number
            region.take(h, "number", m.start(), m.end() + origin[at + number.end])
            break
    _place_and_date(h, region)


# What names the act a regulation or plan is issued with, before its "số" (folded text).
CAPTION_BEFORE = re.compile(r"kem\s+theo\s+(?:[a-z]+\s+){1,4}$")


def _type_code_repairs(text: str) -> list[tuple[int, int]]:
    """Spans to drop from ``text`` so that an OCR-split or doubled type code after a "/" reads
    as the known code it is ("/B C-UBND" -> "/BC-UBND", "/QĐĐ-UBND" -> "/QĐ-UBND")."""
    spans: list[tuple[int, int]] = []
    for m in _OCR_TYPE_CODE.finditer(text):
        code, start = m.group(1), m.start(1)
        keep = [i for i, c in enumerate(code) if not c.isspace()]
        if not is_type_code("".join(code[i] for i in keep)):
            keep = [i for n, i in enumerate(keep) if n == 0 or not code[i] == code[keep[n - 1]] == "Đ"]
        if len(keep) < len(code) and is_type_code("".join(code[i] for i in keep)):
            spans += [(start + i, start + i + 1) for i in range(len(code)) if i not in keep]
    return spans


def _unbroken(text: str) -> tuple[str, list[int]]:
    """``text`` without the line breaks inside a number's symbol and with its type code mended
    (see :func:`_type_code_repairs`), and for each of its offsets (and its end) the offset in
    ``text``."""
    text = text.replace("Ð", "Đ")  # OCR reads Đ as the look-alike eth; same length
    drops = sorted([m.span() for m in _BROKEN_SYMBOL.finditer(text)] + _type_code_repairs(text))
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for begin, end in [*drops, (len(text), len(text))]:
        out.append(text[pos:begin])
        origin.extend(range(pos, begin))
        pos = max(pos, end)
    origin.append(len(text))
    return "".join(out), origin


def _place_and_date(h: Header, region: _Region) -> None:
    """The first "<place>, ngày <d> tháng <m> năm <y>" whose place precedes it (over a line
    break when the place itself is broken), or that opens a line; a blank day stays None.
    A date inside a sentence ("... số 10/QĐ-UBND ngày 21 tháng 3 năm 2016") is none. A date
    in figures ("Hà Nội, ngày 28/11/2025") counts only after its place."""
    worded = [(begin, end, date, True) for begin, end, date in worded_dates(region.text)]
    figures = [(begin, end, date, False) for begin, end, date in dates_in_figures(region.text)]
    for begin, end, date, in_words in sorted(worded + figures, key=lambda found: found[0]):
        if _in_caption(region.folded, begin):
            continue  # "(Ban hành kèm theo Quyết định số 59/QĐ-UBND / Ngày 22 tháng 7 ...)": the act's date
        place_at, place = _place_before(region, begin)
        if place is not None or (in_words and _opens_line(region, begin)):
            h.place, h.date = place, date
            region.take(h, "date", place_at, end)
            return


def _in_caption(folded: str, pos: int) -> bool:
    """Whether ``pos`` lies inside an open parenthesis that names an enacting act ("(Ban
    hành kèm theo Quyết định số ...")."""
    opened = folded.rfind("(", 0, pos)
    return opened > folded.rfind(")", 0, pos) and "kem theo" in folded[opened:pos]


def _after_fields(region: _Region, pos: int) -> int:
    """Where the text that may lead up to ``pos`` begins: its line, after the fields before it."""
    floor = max((b for a, b in region.taken if b <= pos), default=0)
    return max(floor, region.text.rfind("\n", 0, pos) + 1)


def _opens_line(region: _Region, pos: int) -> bool:
    return not region.text[_after_fields(region, pos) : pos].strip(" \t|,")


def _place_token(word: str, *, lower_ok: bool = True) -> bool:
    if word in ("-", "–"):  # "Bà Rịa - Vũng Tàu"
        return lower_ok
    core = word.rstrip(".,")
    if core in _PLACE_LOWER:
        return lower_ok
    # Each part of a hyphenated name is a name ("Phan Rang-Tháp Chàm").
    return all(part.isalpha() and part[0].isupper() and (part[1:].islower() or part.isupper() or len(part) == 1)
               for part in core.split("-"))


def _numbered_district(words: list[re.Match[str]], k: int) -> bool:
    """A district or ward numbered, not named ("Quận 8, ngày ..."): the number after its level."""
    word = words[k].group().rstrip(",")
    return word.isdigit() and len(word) <= 2 and k > 0 and words[k - 1].group().lower() in ("quận", "phường")


def _lower_cased_place(words: list[str]) -> bool:
    """Whether ``words``, all that precedes a date on its line, are a place name whose
    first syllable alone is capitalised ("Hà nội")."""
    return (2 <= len(words) <= 3 and _place_token(words[0], lower_ok=False)
            and all(w.isalpha() and w.islower() for w in words[1:]))


def _place_before(region: _Region, pos: int) -> tuple[int, str | None]:
    """(offset, place) of the place name printed just before ``pos`` ("Hà Nội, " / "Hà\\nNội, ")."""
    begin = _after_fields(region, pos)
    words = list(re.finditer(r"\S+", region.text[begin:pos].rstrip(" ,|\t")))
    k = len(words)
    while k > 0 and len(words) - k < _PLACE_WORDS_MAX and (
        _place_token(words[k - 1].group()) or _numbered_district(words, k - 1)
    ):
        k -= 1
    while k < len(words) and words[k].group() in ("-", "–"):
        k += 1  # a place opens with a name, not a dash
    if k == len(words) and _lower_cased_place([w.group() for w in words]):
        k = 0  # "Hà nội, ngày ...": a place typed with its later syllables in lower case
    if k == len(words):
        return pos, None
    at, place = begin + words[k].start(), [w.group() for w in words[k:]]
    # A place broken over two lines: the line above holds only its first word(s).
    line_begin = region.text.rfind("\n", 0, pos) + 1
    if k == 0 and begin == line_begin > 0 and len(place) <= 2:
        above_begin = region.text.rfind("\n", 0, line_begin - 1) + 1
        above = region.text[above_begin : line_begin - 1].split()
        taken_above = any(a < line_begin - 1 and b > above_begin for a, b in region.taken)
        words_ok = bool(above) and _place_token(above[0], lower_ok=False) and all(map(_place_token, above[1:]))
        words_ok = words_ok and not is_upper(" ".join(above), 2)  # "HỎA TỐC" over the place is a mark
        if not taken_above and len(above) <= _PLACE_WORDS_MAX - len(place) and words_ok:
            at, place = region.text.index(above[0], above_begin), above + place
    return at, " ".join(place).rstrip(",")


def _classify_lines(h: Header, region: _Region) -> None:
    """Classify what the anchored fields left of each line; ``end`` follows the last header line."""
    fields_at: dict[int, set[str]] = {}
    for name, (first, last) in h.spans.items():
        for i in range(first, last + 1):
            fields_at.setdefault(i, set()).add(name)
    consumed = max(fields_at, default=region.start - 1)
    previous = ""  # kind of the previous line; subject and title may continue on the next
    issuer_open = True  # the issuer is the upper-case block the header opens with
    summary: list[tuple[str, str, int]] = []  # (kind, text, line) of the title and subject lines, in order
    for i in range(region.start, region.start + len(region.offsets)):
        rest = region.rest(i)
        kind = _classify(h, rest, fold(rest), previous, issuer_open) if rest else None
        if kind is not None:
            consumed = max(consumed, i)
            issuer_open = issuer_open and kind == "issuer"
            span = kind.removesuffix("-end")  # "recipients-end" is a recipients line too
            h.spans[span] = (h.spans.get(span, (i, i))[0], i)
            if kind in ("title", "subject") and not _is_title(rest):
                summary.append((kind, rest, i))
        previous = kind or ("field" if i in fields_at else "")
        if i in fields_at:
            # The motto and slogan may share lines with the issuer (columns read across: "ỦY BAN
            # NHÂN DÂN CỘNG HÒA ..." / "TỈNH LÀO CAI Độc lập - ...") or come before it (right
            # column read first): they close the issuer block only after its lines.
            # A line of the motto alone lies between the left column's rows when the table is read
            # row by row, cell by cell ("UBND TỈNH X" / "CỘNG HÒA ..." / "SỞ Y TẾ" / "Độc lập ...").
            motto_row = kind is None and fields_at[i] == {"motto"}
            issuer_open = issuer_open and fields_at[i] <= {"motto", "slogan"} and (
                kind == "issuer" or motto_row or not h.issuer_lines)
    h.end = consumed + 1
    _drop_enacting_authority(h, summary)


# A decision or resolution names who enacts it on the line before "Căn cứ" (Decree 30, Annex
# I: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ...", "BỘ TRƯỞNG BỘ TÀI CHÍNH", "CHÍNH PHỦ").
_ENACTING = re.compile(
    r"^(?:chu tich|bo truong|cuc truong|tong cuc truong|giam doc|thu tuong chinh phu|chinh phu|"
    r"uy ban nhan dan|hoi dong nhan dan|truong ban|chu nhiem|vien truong|hieu truong)\b"
)
# ... unless the summary above it breaks off and it goes on ("... THUỘC THẨM QUYỀN CỦA" / "ỦY BAN ...").
_LINKING_END = re.compile(r"\b(?:cua|va|cho|tai|ve|voi|thuoc|doi voi|trong|tren)$")


_ENACTING_LINES = 3  # the authority's name may be broken too ("CỤC TRƯỞNG CỤC" / "HẢI QUAN")


def _drop_enacting_authority(h: Header, summary: list[tuple[str, str, int]]) -> None:
    """Take the enacting authority's line(s) off the end of the title's summary."""
    for k in range(len(summary) - 1, max(0, len(summary) - _ENACTING_LINES) - 1, -1):
        if k == 0 or summary[k][0] != summary[-1][0]:
            return
        if _ENACTING.match(fold(summary[k][1])) and not _LINKING_END.search(fold(summary[k - 1][1])):
            break
    else:
        return
    kind = summary[-1][0]
    tail = " " + " ".join(text for _, text, _ in summary[k:])
    text = h.title if kind == "title" else h.subject
    if text and text.endswith(tail):
        if kind == "title":
            h.title = text[: -len(tail)]
        else:
            h.subject = text[: -len(tail)]
        h.spans[kind] = (h.spans[kind][0], summary[k - 1][2])


# Items of a "Kính gửi" block open with a dash or follow a semicolon; a dash inside an item
# is part of a name ("Kinh tế - Quản lý đầu tư xây dựng").
_ITEM_SPLIT = re.compile(r"^[-–•]\s+|;\s*(?:[-–•]\s+)?")
# An item that runs on into the body's first sentence ("... Lâm Đồng. Triển khai ..."):
# cut at a full stop after a word in lower case ("TP. Hồ Chí Minh" stays).
_SENTENCE_END = re.compile(rf"(?<=[a-zà-ỹđ]{{2}})\.\s+(?=[{CAPITALS}])")


def _recipient_items(text: str) -> list[str]:
    """Items of a "Kính gửi" line."""
    text = _SENTENCE_END.split(text, maxsplit=1)[0]
    return [p.strip() for p in _ITEM_SPLIT.split(text) if p.strip(" ,;.")]  # cleaned at the end


def _add_recipients(h: Header, line: str, *, continued: bool) -> str:
    """Record a "Kính gửi" line; ``continued``: it goes on with the last item, broken over lines.
    Returns "recipients", or "recipients-end" when the line closes its item (";" or ".")."""
    items = _recipient_items(line)
    if continued and h.recipients and items:
        h.recipients[-1] = f"{h.recipients[-1]} {items.pop(0)}"
    h.recipients.extend(items)
    return "recipients-end" if line.rstrip().endswith((";", ".")) else "recipients"


def _classify(h: Header, line: str, f: str, previous: str, issuer_open: bool) -> str | None:
    """Record what ``line`` tells about the header; return its kind, or None."""
    if previous.startswith("recipients") and _ITEM.match(line):
        return _add_recipients(h, line, continued=False)
    if previous == "recipients" and not _BODY_START.match(f) and not _RECIPIENTS.match(f):
        return _add_recipients(h, line, continued=True)
    if previous == "title" and not h.title and _trich_yeu(line, f):
        h.title = line
        return "title"
    if len(line) > _LONG_LINE or _BODY_START.match(f):
        return None
    if f in _URGENCY:
        h.urgency = _URGENCY[f]
        return "mark"
    if f in _SECRECY:
        h.secrecy = _SECRECY[f]
        return "mark"
    if m := _RECIPIENTS.match(f):
        kind = _add_recipients(h, line[m.end() :], continued=False)
        # "Kính gửi: Bà X" on one line is whole; what follows is the body (unless it ends in ",").
        return kind if not line[m.end() :].strip() or line.rstrip().endswith(",") else "recipients-end"
    if _SUBJECT.match(f) and h.subject is None:
        h.subject = line
        return "subject"
    # A letter's "V/v" subject says it has no title: a type's name under it heads an appendix.
    titled_yet = h.doc_type is not None or bool(h.subject and _LETTER_SUBJECT.match(fold(h.subject)))
    if not titled_yet and _is_title(line):
        h.doc_type = canonical_doc_type(line.rstrip(" :"))
        return "title"
    # Some bodies print the type and its summary on one line ("GIẤY PHÉP SỬ DỤNG ..."); a
    # title of the years before Decree 110/2004 opens the page with its issuer and number
    # ("NGHỊ QUYẾT SỐ 214 NQ/UBTVQH9 NGÀY 26-8-1994", "QUYẾT ĐỊNH CỦA THỦ TƯỚNG ..."), not
    # a page's heading over a header table that has a "Số:" of its own.
    titled = leading_doc_type(line) if not titled_yet and is_upper(line) else None
    if titled and (not issuer_open or h.number is None and _OLD_STYLE_REST.match(fold(titled[1]))):
        coded = doc_type_for(h.number) if h.number and h.number.type_code else None
        if coded and coded != titled[0]:
            # A copy that lost the title line: its summary opens with a verb that names a type
            # ("QUY ĐỊNH MỨC CHI ..." under "Số: 23/2025/NQ-HĐND"); the number's code types it.
            h.title = line
            return "title"
        h.doc_type, h.title = titled
        return "title"
    if _ITEM.match(line):
        return None
    # The summary goes on in its own case: a line in another case is the body's first; so is a
    # line that announces a list ("Để làm tốt việc này, yêu cầu ... các nhiệm vụ sau:").
    announces = line.rstrip().endswith(":")
    if previous == "title" and not announces and (not h.title or is_upper(line, 1) == is_upper(h.title, 1)):
        h.title = f"{h.title} {line}" if h.title else line
        return "title"
    # A "V/v" summary goes on in lower case; a title's "VỀ VIỆC ..." in capitals.
    if previous == "subject" and not announces and is_upper(line, 1) == is_upper(h.subject, 1):
        h.subject = f"{h.subject} {line}"
        return "subject"
    # A stamp's "SAO Y; CÔNG AN TỈNH ...; 03/02/2026" or an unread "Số: ..." is no body's name.
    if issuer_open and is_upper(line, 2) and h.doc_type is None and h.subject is None and not _NOT_A_NAME.search(f):
        h.issuer_lines.append(line)
        return "issuer"
    return None


_OLD_STYLE_REST = re.compile(r"cua(?![\w])|so\s*:?\s*\d")


def _trich_yeu(line: str, folded: str) -> bool:
    """Whether ``line`` can be a title's summary: short, no item, no numbered part, no "V/v"."""
    numbered = _BODY_START.match(folded) and not folded.startswith("thuc hien")
    # A long summary re-joined from its lines is no sentence: it ends without a stop.
    short = len(line) <= _LONG_LINE or (len(line) <= _LONG_SUMMARY and not line.rstrip().endswith((".", ":", ";")))
    return short and not (numbered or _SUBJECT.match(folded) or _ITEM.match(line))


def display_case(name: str) -> str:
    """An upper-case header name in ordinary spelling: "TỈNH ỦY NAM ĐỊNH" -> "Tỉnh ủy Nam Định".

    Capitalised: the first word, the word after an organisational head ("Sở Y tế"),
    "Tỉnh"/"Huyện"... in a committee name ("Văn phòng Tỉnh ủy"), and every word after a
    place word (the place's proper name; "xã hội" is society, no commune). Known
    abbreviations stay upper case.
    """
    words = _CITY_ABBREVIATION.sub("THÀNH PHỐ ", name).split()  # "TP.HỒ CHÍ MINH": the city spelled out
    folded = [fold(w) for w in words]
    lowered = [unicodedata.normalize("NFC", w.lower()) for w in words]
    ministry_like = bool(folded) and folded[0] in ("so", "bo")  # "Sở Giáo dục và Đào tạo"
    out: list[str] = []
    proper = False
    for idx, word in enumerate(words):
        if folded[idx] in _KEEP_UPPER or not re.search(r"[aeiouy]", folded[idx]):  # an acronym: "HCM"
            out.append(word)
            continue
        nxt = folded[idx + 1] if idx + 1 < len(words) else ""
        prev = folded[idx - 1] if idx else ""
        committee = nxt == "uy" and lowered[idx] in _PLACE_WORDS
        # "Ủy ban X", "Đảng bộ tỉnh X": "ban" and "bộ" there are no heads of a name.
        compound = idx >= 2 and (folded[idx - 2], prev) in (("uy", "ban"), ("dang", "bo"))
        after_head = prev in _HEAD_BEFORE_NAME and not compound and lowered[idx - 1] != "bảo"  # "Bảo hiểm", not "Báo"
        listed = prev in ("va", "-") or (idx > 0 and words[idx - 1].endswith(","))  # "Văn hóa, Thể thao và Du lịch"
        capital = idx == 0 or proper or committee or after_head or (ministry_like and listed)
        low = word.lower()
        national = (folded[idx], nxt) in _NATIONAL_NAMES or (prev, folded[idx]) in _NATIONAL_NAMES_BOTH
        out.append(low[:1].upper() + low[1:] if capital or national else low)
        two_word_place = (folded[idx], nxt) in _TWO_WORD_PLACES
        if (lowered[idx] in _PLACE_WORDS and not two_word_place and nxt not in ("uy", "doan", "hoi", "")) or (
            folded[idx] == "uy" and idx and lowered[idx - 1] in _PLACE_WORDS
        ):
            proper = True
    return " ".join(out)


# Names spelt with a capital wherever they stand ("Thủ tướng Chính phủ", "Ban Chấp hành
# Trung ương", "Mặt trận Tổ quốc Việt Nam"): first word, or both words.
_NATIONAL_NAMES = {
    ("chinh", "phu"), ("trung", "uong"), ("quoc", "hoi"), ("mat", "tran"), ("to", "quoc"), ("viet", "nam"), ("quan", "su"),
}
_NATIONAL_NAMES_BOTH = {("viet", "nam")}
_KEEP_UPPER = {"ubnd", "hdnd", "mttq", "bcd", "bch", "btv", "dbqh", "tw", "bcsd"}
_CITY_ABBREVIATION = re.compile(r"(?<![\w.])TP(?:\.\s*|\s+)(?=\w)", re.IGNORECASE)
_HEAD_BEFORE_NAME = {"so", "bo", "ban", "cuc", "hoi", "vien", "dai", "bao"}
# Lower case with diacritics: folded, "trận" (Mặt trận) would be "trấn" (thị trấn).
_PLACE_WORDS = {"tỉnh", "huyện", "quận", "xã", "phường", "phố", "trấn", "thành", "thị"}
_TWO_WORD_PLACES = {("thanh", "pho"), ("thi", "xa"), ("thi", "tran")}

# The head noun a body's name opens with (Decree 30, Annex I, "tên cơ quan"): a header line
# opening with one names a new body; any other line continues the name above it, which the
# table cell broke ("ỦY BAN NHÂN" / "DÂN" / "TỈNH HÀ TĨNH", "THỦ TƯỚNG CHÍNH" / "PHỦ").
_BODY_HEAD = re.compile(
    r"^(?:bo|so|cuc|tong cuc|chi cuc|vu|vien|ban|van phong|uy ban|ubnd|hoi dong|hdnd|truong|benh vien|"
    r"trung tam|cong an|thanh tra|kho bac|ngan hang|bao hiem|tong cong ty|cong ty|dang uy|dang bo|"
    r"tinh uy|thanh uy|huyen uy|quan uy|thi uy|chi bo|doan|hoi|mat tran|chinh phu|thu tuong|phong|"
    r"hoc vien|dai hoc|bo chi huy|bo tu lenh|toa an|vien kiem sat|kiem toan)\b"
)


# Heads that name no body without what follows them; as the last line, under a parent, the
# body is the parent's own ("BAN CHẤP HÀNH TRUNG ƯƠNG" / "VĂN PHÒNG").
_BARE_HEADS = frozenset({"van phong", "thanh tra", "ban", "vu", "cuc", "so", "phong", "chi cuc", "tong cuc", "vien"})


def opens_body_name(folded: str) -> bool:
    """Whether folded text opens with a body's head noun ("so y te", "ban chi dao ...")."""
    return bool(_BODY_HEAD.match(folded))


# A parent and its body printed on one line ("BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN", "ỦY BAN NHÂN
# DÂN TỈNH NAM ĐỊNH SỞ Y TẾ"): a ministry's or committee's name holds no department's head.
_PARENT_AND_BODY = re.compile(
    r"^((?:BỘ|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)\s.+?)\s((?:TỔNG CỤC|CHI CỤC|CỤC|SỞ)\s.+)$"
)


def _parent_and_body(line: str) -> tuple[str, ...]:
    m = _PARENT_AND_BODY.match(line)
    return m.groups() if m else (line,)


def _body_names(lines: list[str]) -> list[str]:
    """Header lines re-joined into the names of bodies, upper to lower level."""
    names: list[str] = []
    for line in [part for printed in lines for part in _parent_and_body(printed)]:
        # A one-word line is a piece of a name ("ỦY" / "BAN NHÂN DÂN", "BỘ" / "CÔNG AN"), and
        # so is a bare head over another line: a "VĂN PHÒNG" is never a parent above the
        # body it serves ("VĂN PHÒNG" / "CHÍNH PHỦ" is the Government Office).
        if names and (len(names[-1].split()) == 1 or fold(names[-1]) in _BARE_HEADS or not opens_body_name(fold(line))):
            names[-1] = f"{names[-1]} {line}"
        else:
            names.append(line)
    return names


def _joint_lead(lines: list[str]) -> str | None:
    """The first of a joint document's issuers, or None when the header names no joint."""
    # "BỘ LAO ĐỘNG -" / "THƯƠNG BINH VÀ XÃ HỘI" is one name broken at its own hyphen
    joint = next((k for k, line in enumerate(lines[:-1])
                  if line.rstrip().endswith(" -") and opens_body_name(fold(lines[k + 1].strip()))), None)
    if joint is None:
        return None
    first = lines[joint].rstrip(" -")
    # "BỘ CÔNG AN - BỘ QUỐC PHÒNG -": several on a line; "LAO ĐỘNG - THƯƠNG BINH" is one name
    return next((part for part in first.split(" - ") if opens_body_name(fold(part))), first).strip()


def split_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    """(issuer, parent issuer) from the upper-case header lines, in display case.

    The lowest body is the issuer, the one above it the parent ("BỘ TÀI CHÍNH" / "CỤC
    THUẾ"); a name broken over lines is one body. A joint document's issuers, each line
    but the last ending in " -" ("VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO -" / "BỘ CÔNG AN - BỘ
    QUỐC PHÒNG -" / ...), are co-issuers, the first of them the lead: it is the issuer.
    """
    if (lead := _joint_lead(lines)) is not None:
        return display_case(lead), None
    names = _body_names(lines)
    if not names:
        return None, None
    if len(names) == 1:
        return display_case(names[0]), None
    return display_case(names[-1]), display_case(names[-2])
