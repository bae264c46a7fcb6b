"""Entry point of the parse stage: directive text -> :class:`vanthu.events.Directive`.

Pure: no I/O except loading the packaged unit directory once when none is given.
Never raises on any input: what cannot be read is left null and explained in
``warnings``; an internal error becomes a warning too, so one odd document cannot
stop the stream.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache

from vanthu.directory import UnitDirectory
from vanthu.events import Directive

from services.parse.assignments import Resolver, extract_assignments
from services.parse.closing import closing_start, parse_distribution, parse_signer
from services.parse.dates import make_date, parse_numeric_date
from services.parse.header import Header, display_case, parse_header, split_issuer
from vanthu.normalize import clean_document, fold
from services.parse.numbers import DOC_TYPE_NAMES, ParsedNumber, canonical_doc_type, doc_type_for, number_at
from services.parse.references import find_references
from services.parse.sections import split_body
from services.parse.subjects import office_free

log = logging.getLogger(__name__)

# Issuer codes in a number's symbol, and how the issuer is written out.
_PARTY_ISSUERS = {"TU": "Tỉnh ủy", "HU": "Huyện ủy", "ThU": "Thành ủy", "QU": "Quận ủy", "TW": "Ban Chấp hành Trung ương"}
_STATE_ISSUERS = {"UBND": "UBND", "HĐND": "HĐND", "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ"}
# "tỉnh Nam Định", "Tỉnh ủy Nghệ An", "TỈNH ỦY NAM ĐỊNH": a province named in the text.
_PROVINCE = re.compile(r"\b(?:tỉnh|Tỉnh|TỈNH)(?:[ \t]+(?:ủy|uỷ|ỦY|UỶ))?((?:[ \t]+[^\s,.;:()]+){1,3})")
_NOT_PROVINCE = {"uy", "doan", "ve", "ban", "so"}
# A news page quoting a directive: "Ngày 07/8/2021, Ban Thường vụ Tỉnh ủy ban hành Chỉ thị số 07-CT/TU về ...".
_TYPES = "|".join(re.escape(n) for n in DOC_TYPE_NAMES)
_NEWS_LEAD = re.compile(rf"ban hành\s+({_TYPES})\s+(?:số\s+)?", re.IGNORECASE)
_NEWS_SUBJECT = re.compile(r"\s+(về\s+[^.]+)")
_ISSUER_VERB = re.compile(r"\s(?:yêu cầu|đề nghị|ban hành|thống nhất|kết luận|quyết định|chỉ thị)\s")
_OF = re.compile(r"\bcủa\s+(.+?)(?:\s+(?:tại|về|trong)\s|$)", re.IGNORECASE)
_PARTY_MARK = re.compile(r"\b(?:uy|dang)\b")
_DATE_YEAR = re.compile(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*(\d{4})")


@lru_cache(maxsize=1)
def _default_directory() -> UnitDirectory:
    return UnitDirectory.load()


def parse_directive(text: str, directory: UnitDirectory | None = None) -> Directive:
    """Parse one directive; ``directory`` defaults to the packaged Nam Định directory."""
    try:
        return _parse(text if isinstance(text, str) else "", directory or _default_directory())
    except Exception as exc:  # the contract: never raise on input
        log.exception("parse failed")
        return Directive(warnings=[f"internal parser error ({type(exc).__name__}); nothing extracted"])


def _parse(text: str, directory: UnitDirectory) -> Directive:
    lines = clean_document(text)
    if not lines:
        return Directive(warnings=["no text"])
    d = Directive()
    header = parse_header(lines)
    tail_at = closing_start(lines, header.end)
    tail = lines[tail_at:]

    number = header.number
    if number is None and (lead := _news_lead(lines[header.end : header.end + 3])):
        number, d.doc_type, d.date, d.subject = lead
        d.warnings.append("document identified from a news page's lead paragraph")
    if number is not None:
        d.number, d.number_seq, d.symbol = number.number, number.seq, number.symbol
        if number.seq is None:
            d.warnings.append("number left blank")
    else:
        d.warnings.append("number not found")

    d.signer = parse_signer(tail)
    d.system = _system(header, number, d.signer.authority)
    d.doc_type = header.doc_type or d.doc_type or (number and doc_type_for(number, d.system))
    if d.doc_type is None and header.subject and fold(header.subject).startswith("v/v"):
        d.doc_type = "Công văn"  # only a công văn carries a "V/v" summary (Decree 30, Annex I)
    body = split_body(lines[header.end : tail_at], d.doc_type)
    d.subject = header.subject or d.subject or header.title
    d.place, d.urgency, d.secrecy = header.place, header.urgency, header.secrecy
    d.recipients = header.recipients
    d.distribution = parse_distribution(tail)
    _set_date(d, header)

    provinces = _provinces(text)
    province = provinces[0] if provinces else None
    d.issuer, d.parent_issuer = split_issuer(header.issuer_lines)
    if d.issuer is None:
        d.issuer = _infer_issuer(header, number, body.opening, province, directory)
        if d.issuer:
            d.warnings.append("issuer not printed in a header; inferred")
    if d.system is None and d.issuer:
        d.system = "party" if _PARTY_MARK.search(fold(d.issuer)) else "state"

    body_text = "\n".join([header.title or "", header.subject or "", *lines[header.end : tail_at]])
    d.references = find_references(body_text, exclude=d.number)
    d.sections = body.sections

    usable = not directory.province or not provinces or any(fold(p) == fold(directory.province) for p in provinces)
    if not usable:
        d.warnings.append(
            f"document is from {province}, the unit directory covers {directory.province}: unit ids left empty"
        )
    resolver = Resolver(directory, usable)
    year = d.date.year if d.date else (d.date_partial.year if d.date_partial else _latest_year(body_text))
    d.assignments = extract_assignments(body.opening, body.sections, body.closing, directory, resolver, year)
    if usable:
        d.warnings += [f"unit not in directory: {name}" for name in resolver.unknown]
    if not d.assignments:
        d.warnings.append("no assignments found")
    if not (d.signer.authority or d.signer.name):
        d.warnings.append("signature not found")
    return d


def _set_date(d: Directive, header: Header) -> None:
    if header.date is None:
        if d.date is None:
            d.warnings.append("date not found")
        return
    d.date_partial = header.date
    d.date = make_date(header.date.year, header.date.month, header.date.day)
    if d.date is None:
        missing = [part for part in ("day", "month", "year") if getattr(header.date, part) is None]
        d.warnings.append(f"date left blank: no {' or '.join(missing)}" if missing else "date invalid")


def _system(header: Header, number: ParsedNumber | None, authority: str | None) -> str | None:
    if header.system:
        return header.system
    if number and number.system:
        return number.system
    if authority:
        return "party" if "/" in authority.split()[0] else "state"
    return None


def _news_lead(opening: list[str]) -> tuple[ParsedNumber, str | None, object, str | None] | None:
    """(number, type, date, subject) of a directive quoted in a news lead paragraph."""
    for paragraph in opening[:3]:
        m = _NEWS_LEAD.search(paragraph)
        if not m or not (number := number_at(paragraph, m.end())):
            continue
        subject = _NEWS_SUBJECT.match(paragraph, number.end)
        date = parse_numeric_date(paragraph[: m.start()])
        about = subject.group(1).strip() if subject else None
        return number, canonical_doc_type(m.group(1)), date, about[:1].upper() + about[1:] if about else None
    return None


def _provinces(text: str) -> list[str]:
    """Provinces named in the text, most mentioned first (raw text: page furniture counts)."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for m in _PROVINCE.finditer(text):
        words = []
        for word in m.group(1).split():
            if not word[0].isupper():
                break
            words.append(word)
        # "của UBND tỉnh Quy định về ...": a capitalised type name is no province.
        if not words or fold(words[0]) in _NOT_PROVINCE or canonical_doc_type(" ".join(m.group(1).split()[:2])):
            continue
        name = " ".join(words)
        key = fold(name)
        counts[key] += 1
        names.setdefault(key, display_case(name) if name.isupper() else name)
    return [names[k] for k, _ in counts.most_common()]


def _issuer_code(number: ParsedNumber) -> str | None:
    parts = re.split(r"[-/]", number.symbol)
    if number.system == "party":
        return number.symbol.split("/", 1)[1] if "/" in number.symbol else None
    return parts[1] if number.type_code and len(parts) > 1 else parts[0]


def _infer_issuer(
    header: Header, number: ParsedNumber | None, opening: list[str], province: str | None, directory: UnitDirectory
) -> str | None:
    """The issuer from the number's issuer code and place, the title's "của ...", or the
    opening sentence's subject ("Ban Thường vụ Tỉnh ủy yêu cầu ...")."""
    code = _issuer_code(number) if number else None
    place = header.place or province
    if code in _PARTY_ISSUERS or code in _STATE_ISSUERS:
        name = _PARTY_ISSUERS.get(code) or _STATE_ISSUERS[code]
        if code in ("UBND", "HĐND") and place:
            is_province = place in (province, directory.province)
            return f"{name} tỉnh {place}" if is_province else f"{name} {place}"
        if code == "TU" and place:
            return f"{name} {place}"
        return name
    if header.title and (m := _OF.search(header.title)):
        return display_case(office_free(m.group(1))) if m.group(1).isupper() else office_free(m.group(1))
    for paragraph in opening[:3]:
        for clause in re.split(r"[;,]\s*", paragraph):
            if m := _ISSUER_VERB.search(clause):
                candidate = clause[: m.start()].strip()
                if 2 <= len(candidate.split()) <= 8 and candidate[:1].isupper():
                    return candidate
    return None


def _latest_year(text: str) -> int | None:
    years = [int(y) for y in _DATE_YEAR.findall(text)]
    return max(years) if years else None

