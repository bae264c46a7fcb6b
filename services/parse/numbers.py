"""Document numbers ("số và ký hiệu") and document types.

State bodies (Decree 30/2020/NĐ-CP) print ``143/TB-UBND`` or, for legal documents,
``30/2020/NĐ-CP``: number, optional year, then TYPE-ISSUER. A state công văn has no
type code: ``575/UBND-VP7`` is ISSUER-DIVISION. Party bodies (Guideline 36-HD/VPTW)
print ``215-CV/TU``: number-TYPE/ISSUER.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from rapidfuzz.distance import Levenshtein

from vanthu.normalize import fold

System = Literal["party", "state"]

# Type codes shared by both systems.
_COMMON_TYPES = {
    "CV": "Công văn", "CT": "Chỉ thị", "TB": "Thông báo", "KL": "Kết luận", "KH": "Kế hoạch",
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "HD": "Hướng dẫn", "BC": "Báo cáo", "TTr": "Tờ trình",
    "CĐ": "Công điện", "GM": "Giấy mời", "QC": "Quy chế", "CTr": "Chương trình", "ĐA": "Đề án",
    "PA": "Phương án", "DA": "Dự án", "BB": "Biên bản", "TC": "Thông cáo", "NĐ": "Nghị định",
    "QyĐ": "Quy định", "QĐi": "Quy định", "HĐ": "Hợp đồng", "GGT": "Giấy giới thiệu",
    "GUQ": "Giấy ủy quyền", "PC": "Phiếu chuyển", "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch",
    # Not in Decree 30's Annex III, but the code every licensing body prints on a licence.
    "GP": "Giấy phép",
}
# "TT" is a Thông tư (circular) of the State but a Thông tri of the Party.
_SYSTEM_TYPES = {"state": {"TT": "Thông tư"}, "party": {"TT": "Thông tri"}}

DOC_TYPE_NAMES = sorted(
    {*_COMMON_TYPES.values(), "Thông tư", "Thông tri", "Văn bản", "Luật", "Bộ luật", "Pháp lệnh", "Quy định",
     "Thư ngỏ"},  # an open letter: a committee's appeal, titled but never numbered by a code
    key=len,
    reverse=True,
)
_TYPE_BY_FOLDED = {fold(name): name for name in DOC_TYPE_NAMES}
# OCR splits a spaced-out title inside a word ("THÔNG B ÁO"): compared without spaces too.
_TYPE_BY_SQUEEZED = {key.replace(" ", ""): name for key, name in _TYPE_BY_FOLDED.items()}

# A number as printed: optional sequence, optional year, then a symbol of upper-case codes.
# Spaces around the separators are OCR noise ("215 - CV/TU").
# Symbols use Vietnamese capitals too ("445-KL/TƯ", read as the Tỉnh ủy code TU below) and an en dash is a hyphen ("GDĐT –KT").
NUMBER_PATTERN = (
    r"(?<![\w/.])(\d{1,6}(?:\.\d{1,3})?)?(?:\s*/\s*(\d{4}))?\s*([/-])\s*"
    r"((?:[A-ZĐƯƠÂĂÊÔ][A-Za-zĐđƯƠÂĂÊÔươâăêô0-9&.]*)(?:\s*[-–/]\s*[A-ZĐƯƠÂĂÊÔ0-9][A-Za-zĐđƯƠÂĂÊÔươâăêô0-9&.]*)*)"
)
_NUMBER = re.compile(NUMBER_PATTERN)
# A text layer that lost the hyphen's glyph glues the type code to the council's or the
# committee's ("1961/QĐUBND"): no code of either system is written that way.
_GLUED = re.compile(r"^(" + "|".join(sorted(_COMMON_TYPES, key=len, reverse=True)) + r")(UBND|HĐND)$")


@dataclass(frozen=True)
class ParsedNumber:
    number: str
    seq: int | None
    year: int | None
    symbol: str
    system: System | None
    end: int  # offset just after the number in the text it was read from

    @property
    def type_code(self) -> str | None:
        """The code naming the document type, or None for a state công văn."""
        first = re.split(r"[-/]", self.symbol)[0]
        return first if is_type_code(first) else None


def _from_match(m: re.Match[str], *, anchored: bool = False) -> ParsedNumber | None:
    seq, year, sep, symbol = m.groups()
    symbol = _GLUED.sub(r"\1-\2", re.sub(r"\s+", "", symbol).rstrip(".").replace("–", "-"))
    if seq is None and (sep == "-" and not (anchored and "/" in symbol) or not re.search(r"[-/]", symbol)):
        return None  # "COVID-19" or a lone "/TB" are no numbers; after "Số", "-BC/TU" is a Party number left blank
    # Party numbers join sequence and type with "-", state numbers with "/".
    system: System | None = "party" if sep == "-" and "/" in symbol else "state" if sep == "/" else None
    if system == "party":
        # A Tỉnh ủy's code is "TU"; a font or OCR that gives every U its horn prints "TƯ", no code of the Party's.
        symbol = re.sub(r"(?<=/)TƯ(?=$|[-/])", "TU", symbol)
    number = (seq or "") + (f"/{year}" if year else "") + sep + symbol
    end = m.end() - (len(m.group(4)) - len(m.group(4).rstrip(".")))
    # A resolution of a numbered series ("66.17/2026/NQ-CP") is ordered by its series' number.
    return ParsedNumber(number, int(seq.split(".")[0]) if seq else None, int(year) if year else None, symbol, system,
                        end)


def parse_number(text: str) -> ParsedNumber | None:
    """The first document number in ``text``; ``seq`` is None when left blank ("/TB-UBND")."""
    for m in _NUMBER.finditer(text):
        if parsed := _from_match(m):
            return parsed
    return None


def number_at(text: str, pos: int) -> ParsedNumber | None:
    """The document number starting exactly at ``pos``, if any: also, after a "Số", a
    number of the years before Decree 110/2004 whose type code runs on from the sequence
    ("214 NQ/UBTVQH9", "255TCT/QĐ/KH")."""
    if m := _NUMBER.match(text, pos):
        return _from_match(m, anchored=True)
    if m := _OLD_NUMBER.match(text, pos):
        symbol = m.group(2).rstrip(".")
        return ParsedNumber(m.group(1) + symbol, int(m.group(1)), None, symbol, "state", m.start(2) + len(symbol))
    return None


# Sequence, then a code and at least one "/CODE" ("214 NQ/UBTVQH9"): with no separator after
# the sequence, the "/" inside the symbol is what makes it a number.
_OLD_NUMBER = re.compile(
    r"(\d{1,6})\s?([A-ZĐ][A-Za-zĐđ0-9&.]*(?:\s*[-/]\s*[A-ZĐ][A-Za-zĐđ0-9&.]*)*/[A-ZĐ][A-Za-zĐđ0-9&.]*)(?![\w/])"
)


# Codes written with a lower-case letter, as a title in capitals prints them ("CT-TTG").
_MIXED_CASE_CODES = {code.upper(): code for code in ("TTg", "TTr", "CTr", "QyĐ")}


def in_own_case(parsed: ParsedNumber) -> ParsedNumber:
    """A number a title printed in capitals ("SỐ 16/2001/CT-TTG"), its codes in their own
    case ("16/2001/CT-TTg")."""
    symbol = re.sub(r"[^-/]+", lambda m: _MIXED_CASE_CODES.get(m.group(0), m.group(0)), parsed.symbol)
    return replace(parsed, number=parsed.number[: -len(parsed.symbol)] + symbol, symbol=symbol)


def is_type_code(code: str) -> bool:
    """Whether ``code`` is a type code of Decree 30 or Guideline 36 ("BC", "QĐ", "TTr")."""
    return code in _COMMON_TYPES or code == "TT"


def doc_type_for(parsed: ParsedNumber, system: System | None = None) -> str | None:
    """The canonical type name the number's symbol implies."""
    code = parsed.type_code
    system = system or parsed.system
    if code is None:
        # A state number without a type code is a công văn ("575/UBND-VP7").
        return "Công văn" if (system or "state") == "state" and parsed.seq is not None else None
    if code in _SYSTEM_TYPES.get(system or "state", {}):
        return _SYSTEM_TYPES[system or "state"][code]
    return _COMMON_TYPES.get(code)


_CODE_OF_TYPE = {name: code for code, name in _COMMON_TYPES.items() if code not in ("QĐi",)}


def with_title_code(parsed: ParsedNumber, doc_type: str | None) -> ParsedNumber:
    """``parsed`` with its symbol's type code restored from the type the title prints, when
    OCR damaged it ("/LIr-CAT-PC04" under the title "TỜ TRÌNH" -> "/TTr-CAT-PC04"): Decree 30
    (Annex III) makes a titled document's symbol open with its type's code. Restored only
    when the symbol opens with no known code but one of the same length and letter case
    that differs in at most one letter (two of three or more); anything else is kept as read."""
    code = _CODE_OF_TYPE.get(doc_type or "")
    read = re.split(r"[-/]", parsed.symbol)[0]
    if code is None or parsed.type_code is not None or len(read) != len(code) or read == code:
        return parsed
    if [c.isupper() for c in read] != [c.isupper() for c in code]:
        return parsed
    if Levenshtein.distance(read, code) > (1 if len(code) < 3 else 2):
        return parsed
    symbol = code + parsed.symbol[len(read):]
    return replace(parsed, symbol=symbol, number=parsed.number[: len(parsed.number) - len(parsed.symbol)] + symbol)


def canonical_doc_type(printed: str) -> str | None:
    """"THÔNG BÁO", "Chỉ thi" (OCR), "chỉ thị", "THÔNG B ÁO" (OCR) -> "Thông báo"/"Chỉ thị";
    None when no type name."""
    words = fold(printed).split()
    return _TYPE_BY_FOLDED.get(" ".join(words)) or _TYPE_BY_SQUEEZED.get("".join(words))


_TYPE_WORDS = max(len(name.split()) for name in DOC_TYPE_NAMES)


_CITED_TYPE = re.compile(
    rf"^(?:{'|'.join(re.escape(k) for k in sorted(_TYPE_BY_FOLDED, key=len, reverse=True))})\s+(?:so\s*:?\s*)?\d\S*\s+\w"
)


def names_a_document(printed: str) -> bool:
    """A line in its own case that opens with a type name and a number and goes on
    ("Công văn Số: 2728/TCT-DNL V/v ...", "Quyết định 1281/QĐ-UBND năm 2014 ..."): a web
    page's title for the document, never a line of the form's header (whose "Nghị quyết
    số: 78/2025/UBTVQH15" ends at the number)."""
    return not printed.isupper() and _CITED_TYPE.match(fold(printed)) is not None


def leading_doc_type(printed: str) -> tuple[str, str] | None:
    """A type name of two words or more opening a title that goes on with its summary
    ("QUYẾT ĐỊNH CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ") -> (type, summary); None otherwise."""
    words = printed.split()
    for n in range(min(_TYPE_WORDS, len(words) - 1), 1, -1):
        # OCR may put a speck of punctuation between the words ("QUYẾT: ĐỊNH").
        if doc_type := _TYPE_BY_FOLDED.get(fold(" ".join(w.strip(":.,;") for w in words[:n]))):
            return doc_type, " ".join(words[n:])
    return None
