"""The header block of a directive: issuer, motto, number, place and date, type, subject.

Decree 30/2020/NĐ-CP and Guideline 36-HD/VPTW lay the header out in two columns, which
text extraction flattens in varying order, so every line is classified on its own
rather than by position. Keywords are matched on folded text to survive OCR damage
("Kinh gui", "So:"). The header ends at the first line that cannot belong to it: a
numbered item, a long paragraph, or a legal basis ("Căn cứ ...").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from vanthu.events import PartialDate

from services.parse.dates import parse_worded_date
from vanthu.normalize import fold
from services.parse.numbers import ParsedNumber, canonical_doc_type, parse_number

_MOTTO = {"cong hoa xa hoi chu nghia viet nam": "state", "dang cong san viet nam": "party"}
_SLOGAN = re.compile(r"^doc lap\s*-?\s*tu do\s*-?\s*hanh phuc")
_NUMBER_LINE = re.compile(r"^so\s*:?\s*(?=[\d/])")
_PLACE_DATE = re.compile(r"^([^,\d]{2,40}),\s*ngay\b")
_URGENCY = {"khan": "Khẩn", "thuong khan": "Thượng khẩn", "hoa toc": "Hỏa tốc", "hoa toc hen gio": "Hỏa tốc hẹn giờ"}
_SECRECY = {"mat": "Mật", "toi mat": "Tối mật", "tuyet mat": "Tuyệt mật"}
_SUBJECT = re.compile(r"^(?:v/v|v\.v|ve viec|ve)\s")
# "Kính gửi:", and a Công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:" over its addressees.
_RECIPIENTS = re.compile(r"^[-\s]*(?:kinh gui\s*:?|(?:\w+\s+){1,6}dien\s*:)\s*")
_BODY_START = re.compile(r"^(?:can cu|xet de nghi|theo de nghi|thuc hien|\d{1,2}\s*[.)]\s|[ivx]+\.\s|dieu\s+\d)")
_ITEM = re.compile(r"^[-–•+]\s*")
_HEADER_SPAN = 40
_LONG_LINE = 200
# A header's second issuer line naming a sub-body of the first ("UBND TỈNH NAM ĐỊNH" /
# "SỞ Y TẾ"); otherwise the lines are one name broken in two ("ỦY BAN NHÂN DÂN" / "TỈNH ...").
_PLACE_WORD = re.compile(r"\b(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong|trung uong|chinh phu)\b|^bo\s")


def is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


@dataclass
class Header:
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
    end: int = 0  # index of the first body line


def _recipient_items(text: str) -> list[str]:
    """Items of a "Kính gửi" line: split on dashes that open items and on semicolons."""
    parts = re.split(r"(?:^|\s)[-–•]\s+|;\s*", text)
    return [p.strip(" ,;.") for p in parts if p.strip(" ,;.")]


def parse_header(lines: list[str]) -> Header:
    """Classify the leading lines; ``end`` is where the body begins."""
    h = Header()
    consumed = -1
    previous = ""  # kind of the previous line; subject and title may continue on the next
    for i, line in enumerate(lines[:_HEADER_SPAN]):
        f = fold(line).strip()
        kind = _classify(h, line, f, previous)
        if kind is None:
            if len(line) > _LONG_LINE or _BODY_START.match(f):
                break
            previous = ""
            continue
        consumed, previous = i, kind
    h.end = consumed + 1
    return h


def _classify(h: Header, line: str, f: str, previous: str) -> str | None:
    """Record what ``line`` tells about the header; return its kind, or None."""
    if previous == "recipients" and _ITEM.match(line):
        h.recipients.extend(_recipient_items(line))
        return "recipients"
    if previous == "title" and not h.title and _trich_yeu(line, f):
        # The line under the type name is its trích yếu, even when it opens like a body
        # ("KẾ HOẠCH / thực hiện Chỉ thị số 05-CT/TW ...").
        h.title = line
        return "title"
    if len(line) > _LONG_LINE or _BODY_START.match(f):
        return None
    if f in _MOTTO:
        h.system = _MOTTO[f]
        return "motto"
    if _SLOGAN.match(f):
        return "motto"
    if _NUMBER_LINE.match(f) and h.number is None and (number := parse_number(line)):
        h.number = number
        return "number"
    if (m := _PLACE_DATE.match(f)) and h.date is None and (date := parse_worded_date(line)):
        h.place, h.date = line[: m.end(1)].strip(), date
        return "date"
    if f in _URGENCY:
        h.urgency = _URGENCY[f]
        return "mark"
    if f in _SECRECY:
        h.secrecy = _SECRECY[f]
        return "mark"
    if m := _RECIPIENTS.match(f):
        h.recipients.extend(_recipient_items(line[m.end() :]))
        return "recipients"
    if _SUBJECT.match(f) and h.subject is None:
        h.subject = line
        return "subject"
    if h.doc_type is None and is_upper(line) and (doc_type := canonical_doc_type(line.rstrip(":"))):
        h.doc_type = doc_type
        return "title"
    if _ITEM.match(line):
        return None
    if previous == "title":
        h.title = f"{h.title} {line}" if h.title else line
        return "title"
    if previous == "subject" and not is_upper(line):
        h.subject = f"{h.subject} {line}"
        return "subject"
    if is_upper(line) and h.number is None and h.doc_type is None and h.subject is None:
        h.issuer_lines.append(line)
        return "issuer"
    return None


def _trich_yeu(line: str, folded: str) -> bool:
    """Whether ``line`` can be a title's summary: short, no item, no numbered part, no "V/v"."""
    numbered = _BODY_START.match(folded) and not folded.startswith("thuc hien")
    return len(line) <= _LONG_LINE and not (numbered or _SUBJECT.match(folded) or _ITEM.match(line))


def display_case(name: str) -> str:
    """An upper-case header name in ordinary spelling: "TỈNH ỦY NAM ĐỊNH" -> "Tỉnh ủy Nam Định".

    Capitalised: the first word, the word after an organisational head ("Sở Y tế"),
    "Tỉnh"/"Huyện"... in a committee name ("Văn phòng Tỉnh ủy"), and every word after a
    place word (the place's proper name). Known abbreviations stay upper case.
    """
    words = name.split()
    folded = [fold(w) for w in words]
    lowered = [unicodedata.normalize("NFC", w.lower()) for w in words]
    ministry_like = bool(folded) and folded[0] in ("so", "bo")  # "Sở Giáo dục và Đào tạo"
    out: list[str] = []
    proper = False
    for idx, word in enumerate(words):
        if folded[idx] in _KEEP_UPPER:
            out.append(word)
            continue
        nxt = folded[idx + 1] if idx + 1 < len(words) else ""
        prev = folded[idx - 1] if idx else ""
        committee = nxt == "uy" and lowered[idx] in _PLACE_WORDS
        after_head = prev in _HEAD_BEFORE_NAME and not (prev == "ban" and idx >= 2 and folded[idx - 2] == "uy")
        capital = idx == 0 or proper or committee or after_head or (ministry_like and prev == "va")
        low = word.lower()
        national = (folded[idx], nxt) in _NATIONAL_NAMES or (prev, folded[idx]) in _NATIONAL_NAMES_BOTH
        out.append(low[:1].upper() + low[1:] if capital or national else low)
        two_word_place = (folded[idx], nxt) in _TWO_WORD_PLACES
        if (lowered[idx] in _PLACE_WORDS and not two_word_place and nxt not in ("uy", "doan", "")) or (
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
_HEAD_BEFORE_NAME = {"so", "bo", "ban", "cuc", "hoi", "vien", "dai", "bao"}
# Lower case with diacritics: folded, "trận" (Mặt trận) would be "trấn" (thị trấn).
_PLACE_WORDS = {"tỉnh", "huyện", "quận", "xã", "phường", "phố", "trấn", "thành", "thị"}
_TWO_WORD_PLACES = {("thanh", "pho"), ("thi", "xa"), ("thi", "tran")}


def split_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    """(issuer, parent issuer) from the upper-case header lines, in display case."""
    if not lines:
        return None, None
    if len(lines) >= 2 and _PLACE_WORD.search(fold(lines[0])) and not _PLACE_WORD.match(fold(lines[1])):
        return display_case(" ".join(lines[1:])), display_case(lines[0])
    return display_case(" ".join(lines)), None
