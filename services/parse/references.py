"""Documents cited in a directive's text.

A citation is a type name, an optional "số", a number, then optionally a date
("ngày 01/7/2021", ", ngày 11 tháng 6 năm 2021") and an issuer ("của Chính phủ"):
"Nghị quyết số 68/NQ-CP ngày 01/7/2021 của Chính phủ", "Chỉ thị 15/CT-TTg",
"Văn bản số 575/UBND-VP7 ngày 09/9/2021". Citations are de-duplicated by number; a
later mention fills in a date or issuer an earlier one lacked.

An issuer printed before a list ("của UBND tỉnh tại Thông báo số 143/TB-UBND ...,
Thông báo số 148/TB-UBND ...") is every listed citation's. A citation that names no
issuer anywhere gets the national body its state symbol names ("15/CT-TTg": the Prime
Minister); provincial codes ("UBND") are left alone, since the province is not printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vanthu.events import Reference

from services.parse.dates import parse_any_date
from services.parse.numbers import (
    DOC_TYPE_NAMES,
    ParsedNumber,
    canonical_doc_type,
    doc_type_for,
    number_at,
    parse_number,
)
from services.parse.subjects import lower_form

_TYPES = "|".join(re.escape(n.lower()) for n in DOC_TYPE_NAMES)
_DATE = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
# A few words may name the document between type and "số" ("Quy chế làm việc số 01-QC/TU",
# "Luật Tổ chức chính quyền địa phương số 72/2025/QH15"); a list may open with a colon
# ("Các công điện: số 217/CĐ-TTg ...").
_CITATION = re.compile(
    rf"(?<![\w])({_TYPES})(?:(?:\s+(?!(?:{_TYPES})(?![\w]))[^\s\d,.;:]+){{0,8}}?\s*:?\s*số\s*:?\s*|\s+)"
)
# The next number of a list under one type: "Thông báo số 49/TB-VPCP ... và số 160/TB-VPCP",
# "các văn bản số: 10894/VPCP-CN ngày 8/11/2025, 8563/VPCP-CN ngày 12/9/2025".
_NEXT_IN_LIST = re.compile(r"\s*(?:[,;]\s*và|[,;]|và)\s*(?:số\s*:?\s*)?")
# "theo chỉ đạo của UBND tỉnh tại Thông báo số ...": the issuer printed before the type.
_ISSUER_BEFORE = re.compile(r"của\s+([^,.;:()]{2,60}?)\s+tại\s+$")
_AFTER_NUMBER = re.compile(rf"\s*,?\s*(?:ngày\s+({_DATE}))?")
_ISSUER = re.compile(r"\s*,?\s*của\s+")
# The issuer phrase stops at the first word that begins what was decided or where.
_ISSUER_STOP = {
    "về", "quy", "trên", "tại", "và", "để", "nhằm", "đối", "theo", "hướng", "số", "ngày", "cho", "với",
    "trong", "thì", "đã", "là", "khi", "vì", "nên", "đến", "ban", "thực", "việc", "năm", "đảm", "bảo",
}
_MAX_ISSUER_WORDS = 8
# Citations printed one after another share the issuer printed before the first.
_LIST_GAP = re.compile(r"\s*(?:,|và|,\s*và)?\s*")
# Issuer codes of national bodies (Decree 30/2020/NĐ-CP, Appendix III), as the last part
# of a state symbol: "NQ-CP", "QĐ-TTg", "CV-BYT".
_NATIONAL_ISSUERS = {
    "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "CTN": "Chủ tịch nước", "VPCP": "Văn phòng Chính phủ", "BYT": "Bộ Y tế", "BCA": "Bộ Công an",
    "BQP": "Bộ Quốc phòng", "BTC": "Bộ Tài chính", "BNV": "Bộ Nội vụ", "BTP": "Bộ Tư pháp",
    "BCT": "Bộ Công Thương", "BXD": "Bộ Xây dựng", "BGTVT": "Bộ Giao thông vận tải",
    "BGDĐT": "Bộ Giáo dục và Đào tạo", "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BTTTT": "Bộ Thông tin và Truyền thông", "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn", "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch", "BKHCN": "Bộ Khoa học và Công nghệ",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
}


def _issuer(text: str, low: str, pos: int) -> str | None:
    m = _ISSUER.match(low, pos)
    if not m:
        return None
    words: list[str] = []
    line_end = text.find("\n", m.end())
    for word in re.finditer(r"[^\s,.;:()]+", text[m.end() : line_end if line_end != -1 else len(text)]):
        if word.start() > 0 and text[m.end() + word.start() - 1] in ",.;:(" or len(words) >= _MAX_ISSUER_WORDS:
            break
        if word.group(0).lower() in _ISSUER_STOP:
            break
        words.append(word.group(0))
        if text[m.end() + word.end() : m.end() + word.end() + 1] in (",", ".", ";", ":", ")"):
            break
    return " ".join(words) or None


def _national_issuer(number: str) -> str | None:
    parsed = parse_number(number)
    if parsed is None or parsed.system != "state":
        return None
    return _NATIONAL_ISSUERS.get(parsed.symbol.rsplit("-", 1)[-1])


def _citations(text: str, low: str) -> Iterator[tuple[re.Match[str], ParsedNumber]]:
    """(type match, number) of every citation, the numbers listed after a typed one included."""
    for m in _CITATION.finditer(low):
        parsed = number_at(text, m.end())
        while parsed is not None and parsed.seq is not None:
            yield m, parsed
            after = _AFTER_NUMBER.match(low, parsed.end)
            more = _NEXT_IN_LIST.match(low, after.end() if after else parsed.end)
            parsed = number_at(text, more.end()) if more else None
            if parsed is not None and "/" not in parsed.number:
                parsed = None


def find_references(text: str, exclude: str | None = None) -> list[Reference]:
    """Every cited document in ``text`` except number ``exclude`` (the directive itself)."""
    low = lower_form(text)
    found: dict[str, Reference] = {}
    listed: dict[str, str] = {}  # number -> the issuer printed before the list it is in
    run: tuple[int, str] | None = None  # (end, issuer) of the list being read
    for m, parsed in _citations(text, low):
        if parsed.number == exclude:
            continue
        num_end = parsed.end
        after = _AFTER_NUMBER.match(low, num_end)
        date = parse_any_date(after.group(1)) if after and after.group(1) else None
        end = after.end() if after else num_end
        issuer = _issuer(text, low, end)
        printed_text = text[m.start() : end].strip(" ,") + (f" của {issuer}" if issuer else "")
        if issuer is None and (before := _ISSUER_BEFORE.search(low, max(0, m.start() - 80), m.start())):
            issuer = text[before.start(1) : before.end(1)]
            printed_text = text[before.start() : end].strip(" ,")
            run = (end, issuer)
        elif issuer is None and run and _LIST_GAP.fullmatch(low, run[0], m.start()):
            listed.setdefault(parsed.number, run[1])
            run = (end, run[1])
        else:
            run = None
        printed = canonical_doc_type(text[m.start(1) : m.end(1)])
        doc_type = doc_type_for(parsed) if printed in (None, "Văn bản") else printed
        reference = Reference(
            doc_type=doc_type or printed,
            number=parsed.number,
            date=date,
            issuer=issuer,
            text=printed_text,
        )
        known = found.get(parsed.number)
        if known is None:
            found[parsed.number] = reference
        else:
            known.date = known.date or reference.date
            known.issuer = known.issuer or reference.issuer
    for number, reference in found.items():
        reference.issuer = reference.issuer or _national_issuer(number) or listed.get(number)
    return list(found.values())
