"""Entry point of the parse stage: directive text -> :class:`vanthu.events.Directive`.

Pure: no I/O except loading the packaged unit directory once when none is given.
:func:`parse_directive` never raises on any input: what cannot be read is left null and
explained in ``warnings``; an internal error becomes a warning too, so one odd document
cannot stop the stream. :func:`parse_text` is the same reading without that guard, for
tests that must see a bug rather than a warning.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Sequence
from typing import NamedTuple

from vanthu.directory import CENTRAL, NameSource, UnitDirectory
from vanthu.events import Directive, PartialDate
from vanthu.settings import get_settings

from services.parse import roles
from services.parse.amendments import without_amended_text
from services.parse.assignments import Resolver, extract_assignments
from services.parse.closing import HEAD_TITLES, attached_document, closing_start, parse_distribution, parse_signer
from services.parse.dates import dates_in_figures, make_date, parse_numeric_date, parse_worded_date, worded_dates
from services.parse.header import (
    CAPTION_BEFORE,
    Header,
    display_case,
    is_upper,
    opens_body_name,
    parse_header,
    split_issuer,
)
from services.parse.header_evidence import header_evidence
from services.parse.jurisdiction import Jurisdiction, jurisdiction_of
from vanthu.normalize import clean_document, fold
from services.parse.numbers import (
    DOC_TYPE_NAMES,
    ParsedNumber,
    canonical_doc_type,
    doc_type_for,
    in_own_case,
    number_at,
    with_title_code,
)
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
# A lead opens with its date ("Ngày 26/11/2025, ..."); a letter's "X đã ban hành Công điện
# số ..." cites, it does not quote.
_NEWS_LEAD = re.compile(
    rf"\bngày\s+(\d{{1,2}}/\d{{1,2}}/\d{{4}})\s*,\s*([^.]{{0,120}}?)\s+(?:đã\s+)?(?:ban hành|có|ký)\s+({_TYPES})\s+(?:số\s+)?",
    re.IGNORECASE,
)
# A headerless letter's appendix names it: "(Kèm theo Công văn số 174/CV-BCĐ ngày 02 tháng 12 năm 2025 của Ban Chỉ đạo)".
# Its own line or parenthesis: a sentence's "theo mẫu ban hành kèm theo Thông tư số ..." cites another.
_CAPTION = re.compile(rf"(?:^|\()\s*(?:ban hành\s+)?kèm theo\s+({_TYPES})\s+(?:số\s*:?\s*)?", re.IGNORECASE)
# A portal's note of where its quoted text comes from, the page's last lines: "(Theo Công văn
# số 6012/UBND-KT, ngày 14/11/2023)"; a sentence "Theo Công văn số ..., Sở ..." cites another.
_SOURCE_NOTE = re.compile(rf"^\(\s*theo\s+({_TYPES})\s+(?:số\s*:?\s*)?(?=[^()]*\)\s*$)", re.IGNORECASE)
_SOURCE_LINES = 3
_CAPTION_OF = re.compile(r"^[^()]*?\bcủa\s+([^()]+?)\s*\)?\s*$")
_NEWS_SUBJECT = re.compile(r"\s+(về\s+[^.]+)")
# What the issuer says in its own opening sentence: "Ban Thường vụ Tỉnh ủy yêu cầu ...",
# "Cục Thuế nhận được công văn số ...". "X đã ban hành ..." reports another body's act.
_ISSUER_VERB = re.compile(
    r"\s(?:yêu cầu|đề nghị|ban hành|thống nhất|kết luận|quyết định|chỉ thị|nhận được|xin(?:\s+trân trọng)?\s+thông báo)(?=[\s:])"
)
_REPORTED = re.compile(r"\s(?:đã|cũng|vừa)$")
_PAST_INSIDE = re.compile(r"\s(?:da|dang)\s")  # on the folded name
# A speaker's name opens with a body's head noun or a head's title ("Chủ tịch UBND tỉnh").
_HEAD_TITLE = re.compile(rf"^(?:pho )?(?:{'|'.join(HEAD_TITLES)})\b")
_SPEAKER_WORDS = (2, 30)
_OF = re.compile(r"\bcủa\s+(.+?)(?:\s+(?:tại|về|trong)\s|$)", re.IGNORECASE)
_PARTY_MARK = re.compile(r"\b(?:uy|dang)\b")
# The signing time in an e-signature overlay, day first or ISO ("Thời gian ký: 18/03/2024
# 08:41:42", "SAO Y; ...; 18/03/2026; 08:32:14", "2025-09-16T14:37:50+07:00").
# A header's date line, its day as printed or misread ("ngày ⁄€ tháng 3 năm 2026",
# "ngày(2 tháng 10 năm 2025", "ngàW/† tháng 5 năm 2021"), on folded text; the slot keeps
# the "y" of "ngày", which has no digit.
_DATE_LINE = re.compile(r"\bnga(?P<slot>.{0,7}?)thang\s*(?P<month>\d{1,2})?\W{0,3}nam\s*(?P<year>\d{4})\b")
_DATE_YEAR = re.compile(r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*(\d{4})")
_LEGIBLE_DAY = re.compile(r"y\s+\d{1,2}\s+")  # the slot of "ngày 24 tháng": after "nga", the "y" and the day


@lru_cache(maxsize=1)
def _default_directory() -> UnitDirectory:
    return UnitDirectory.from_settings(get_settings())


@dataclass
class ParseResult:
    """The parsed directive, the header it was read from, and its jurisdiction (None when
    the header does not say whose units its names mean)."""

    directive: Directive
    header: Header | None = None
    jurisdiction: Jurisdiction | None = None


def parse_directive(text: str, directory: UnitDirectory | None = None, *, signed: Sequence[dt.date] = ()) -> Directive:
    """Parse one directive; ``directory`` defaults to the one the settings name (the
    national directory unless ``VANTHU_DIRECTORY_PATH`` is set). ``signed``: the dates
    of the document's signatures (services/parse/signings.py),
    evidence for a day the header leaves blank."""
    try:
        return parse_text(text if isinstance(text, str) else "", directory, signed=signed).directive
    except Exception as exc:  # the contract: never raise on input
        log.exception("parse failed")
        return Directive(warnings=[f"internal parser error ({type(exc).__name__}); nothing extracted"])


def parse_text(text: str, directory: UnitDirectory | None = None, *, signed: Sequence[dt.date] = ()) -> ParseResult:
    """The parser's core: like :func:`parse_directive`, but a bug raises."""
    directory = directory or _default_directory()
    lines = clean_document(text)
    if not lines:
        return ParseResult(Directive(warnings=["no text"]))
    d = Directive()
    header = parse_header(lines)
    tail_at = closing_start(lines, header.end)
    tail = lines[tail_at:]

    number = header.number
    quoted = None
    # A letter's body ("Kính gửi: ...") may retell an earlier document's issue ("Ngày
    # 25/02/2025, Tổng cục Thuế đã ban hành Công văn số 828/TCT-KK ..."): only a page with no
    # addressees is a news page whose lead names the document.
    if number is None and not header.recipients and (quoted := _news_lead(lines[header.end : header.end + 3])):
        d.warnings.append("document identified from a news page's lead paragraph")
    elif number is None and (quoted := _caption(lines[tail_at:])):
        d.warnings.append("document identified from its appendix caption")
    elif number is None and (quoted := _caption(lines[-_SOURCE_LINES:], _SOURCE_NOTE)):
        d.warnings.append("document identified from the page's source note")
    elif number is None and (titled := _titled_number(header)):
        number = titled
    if quoted:
        number, d.doc_type, d.date, d.subject = quoted.number, quoted.doc_type, quoted.date, quoted.subject
    if number is not None:
        if (restored := with_title_code(number, header.doc_type)) != number:
            d.warnings.append(f"symbol read as {number.symbol}: its type code taken from the title")
            d.inferred["number"] = (f"the symbol reads \"{number.symbol}\" on the page; its type code was taken "
                                    f"from the title ({header.doc_type}): check it against the original")
            number = restored
        d.number, d.number_seq, d.symbol = number.number, number.seq, number.symbol
        if number.seq is None:
            d.warnings.append("number left blank")
    else:
        d.warnings.append("number not found")

    d.signer = parse_signer(tail)
    d.system = _system(header, number, d.signer.authority)
    d.doc_type = header.doc_type or d.doc_type or _letter_type(header) or (number and doc_type_for(number, d.system))
    body_lines = lines[header.end : tail_at]
    body = split_body(body_lines, d.doc_type)
    d.subject = header.subject or d.subject or header.title
    d.place, d.urgency, d.secrecy = header.place, header.urgency, header.secrecy
    d.recipients = header.recipients
    d.distribution = parse_distribution(tail)
    _set_date(d, header, lines, signed)

    provinces = _provinces(text)
    province = provinces[0] if provinces else None
    d.issuer, d.parent_issuer = split_issuer(header.issuer_lines)
    if d.parent_issuer is None and (placed := _placed_issuer(d.issuer, d.place, directory)):
        d.inferred["issuer"] = (f"the header prints \"{d.issuer}\" with no province; the province was taken from "
                                f"the place line (\"{d.place}, ngày ...\")")
        d.issuer = placed
    elif d.parent_issuer is None and (enacting := _enacting_issuer(d.issuer, lines[header.start : tail_at])):
        d.inferred["issuer"] = (f"the header prints \"{d.issuer}\" only; the enacting authority's line "
                                f"over \"Căn cứ\" names it whole")
        d.issuer = enacting
    # The body's speaker ("Chủ tịch UBND tỉnh yêu cầu ...") keeps the issuer's own acts out of
    # the assignments; it is the document's issuer only on a page with a directive's form (a
    # header field, a signature or a distribution): a citizen's letter or a news clipping
    # names bodies, not its author.
    # A letter may number its first paragraph ("1. Thực hiện ..., Cục Lãnh sự xin trân trọng thông báo:").
    first = body.opening if body.opening or not body.sections else [body.sections[0].text]
    speaker = d.issuer or _infer_issuer(header, number, first, province, directory, quoted)
    has_form = bool(number or header.date or header.recipients or header.doc_type or d.signer.name or d.distribution)
    if d.issuer is None and has_form and speaker:
        d.issuer = speaker
        d.warnings.append("issuer not printed in a header; inferred")
    if d.system is None and d.issuer:
        d.system = "party" if _PARTY_MARK.search(fold(d.issuer)) else "state"

    body_text = "\n".join([header.title or "", header.subject or "", *lines[header.end : tail_at]])
    d.references = find_references("\n".join([body_text, *tail]), exclude=d.number)  # footnotes, appendices
    # A plan or regulation issued with the document, printed after its signature, is read as
    # its body: its parts are sections, its opening and closing paragraphs are read as the
    # body's closing ones; the rest of the tail (the closing, appendices) stays the appendix.
    sections, appendix = body.sections, tail
    # The assignments are read without the wording an amendment quotes (services/parse/amendments.py).
    tasked = body if (unquoted := without_amended_text(body_lines)) is body_lines else split_body(unquoted, d.doc_type)
    task_sections, task_closing = tasked.sections, tasked.closing
    if (attached := attached_document(tail)) is not None:
        start, end = attached
        issued_with = split_body(tail[start:end])
        sections = [*body.sections, *issued_with.sections]
        task_sections = [*tasked.sections, *issued_with.sections]
        task_closing = [*tasked.closing, *issued_with.opening, *issued_with.closing]
        appendix = [*tail[:start], *tail[end:]]
    d.sections = sections

    jurisdiction = jurisdiction_of(d.issuer, d.parent_issuer, d.place)
    names: NameSource = directory
    if directory.is_national:
        # The national directory reads bare names ("Sở Y tế") as the issuer's own level's.
        names = directory.view(directory.jurisdiction_of(d.issuer or speaker, d.parent_issuer, d.place))
        usable = True
    else:
        usable = _directory_applies(directory, jurisdiction, provinces)
    if not usable:
        where = jurisdiction.province if jurisdiction else province
        d.warnings.append(f"document is from {where}, the unit directory covers {directory.province}: unit ids left empty")
    resolver = Resolver(names, usable)
    year = d.date.year if d.date else (d.date_partial.year if d.date_partial else _latest_year(body_text))
    d.assignments = extract_assignments(
        tasked.opening, task_sections, task_closing, names, resolver, year, appendix, speaker, text, d.recipients
    )
    if usable:
        d.warnings += [f"unit not in directory: {name}" for name in resolver.unknown]
    d.warnings += resolver.notes
    if not d.assignments:
        d.warnings.append("no assignments found")
    if not (d.signer.authority or d.signer.name):
        d.warnings.append("signature not found")
    d.evidence = header_evidence(text, lines, header, d)
    return ParseResult(d, header, jurisdiction)


# A people's council or committee named without its place (a copy lost the header's
# second line, "TỈNH SƠN LA"): the place line names the province it serves.
# A council or committee named by its level alone; since 2025 its chairman issues decisions
# in his own name ("CHỦ TỊCH ỦY BAN NHÂN DÂN" over "44/2025/QĐ-CTUBND").
_BARE_LEVEL = re.compile(r"(?:chu tich )?(?:uy ban nhan dan|hoi dong nhan dan)")


_CITY_WORD = re.compile(r"^(?:tp\s*\.|thành phố)\s*", re.IGNORECASE)


def _placed_issuer(issuer: str | None, place: str | None, directory: UnitDirectory) -> str | None:
    """"Ủy ban nhân dân" with the place line "Sơn La, ngày ..." -> "Ủy ban nhân dân tỉnh Sơn
    La", when the place is a province or centrally-run city the directory knows (then or
    now: "Bắc Giang" keeps its name); None otherwise (a district's or commune's place)."""
    if not issuer or not place or not _BARE_LEVEL.fullmatch(fold(issuer)):
        return None
    place = _CITY_WORD.sub("", place)  # "Tp. Hồ Chí Minh": the level is added below
    found = directory.match(f"Ủy ban nhân dân tỉnh {place}", CENTRAL)
    named = fold(found.unit.name) if found is not None else ""
    if not _PROVINCIAL_COMMITTEE.match(named):
        return None
    if fold(place) not in named and fold(place) != fold(directory.province or "") and not found.succession:
        return None  # a name the directory read another way ("tỉnh Hải Hậu": a district's place)
    # A former province's committee was a province's even when a city took it in.
    unit = fold(found.succession[0].former) if found.succession else named.removeprefix("uy ban nhan dan ")
    level = "thành phố" if unit.startswith("thanh pho") else "tỉnh"
    return f"{issuer} {level} {place}"


def _enacting_issuer(issuer: str | None, lines: list[str]) -> str | None:
    """"Ủy ban nhân dân" whose place the copy lost from the header (or a name its cell cut
    after "và": "BỘ NÔNG NGHIỆP VÀ"), named whole by the
    enacting authority's line over the first basis of ``lines`` ("ỦY BAN NHÂN DÂN QUẬN
    9", "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN X") -> "Ủy ban nhân dân quận 9"; None when there is
    no such line or it names no more of the issuer."""
    if not issuer or not (_BARE_LEVEL.fullmatch(fold(issuer)) or _DANGLING.search(fold(issuer))):
        return None
    basis = next((k for k, line in enumerate(lines) if roles.BASIS.match(fold(line))), None)
    if not basis or not is_upper(lines[basis - 1]):
        return None
    words, size = lines[basis - 1].strip(" |*").split(), len(issuer.split())
    at = next((k for k in range(len(words) - size) if fold(" ".join(words[k : k + size])) == fold(issuer)), None)
    return display_case(" ".join(words[at:])) if at is not None else None


# A name the site's cell cut after a conjunction ("BỘ NÔNG NGHIỆP VÀ"): the enacting line has it whole.
_DANGLING = re.compile(r"(?:\s(?:va|cua)|[,-])$")
_PROVINCIAL_COMMITTEE = re.compile(r"uy ban nhan dan (?:tinh|thanh pho)(?![\w])")


def _directory_applies(directory: UnitDirectory, jurisdiction: Jurisdiction | None, provinces: list[str]) -> bool:
    """Whether the (one-province) unit directory may resolve this directive's unit names.

    The issuer's jurisdiction decides: a central body's directive speaks to every province,
    the directory's too; a provincial one only to its own. Only when the header names no
    jurisdiction do the provinces the text mentions stand in for it.
    """
    if not directory.province:
        return True
    if jurisdiction is not None:
        return jurisdiction.central or fold(jurisdiction.province or "") == fold(directory.province)
    return not provinces or any(fold(p) == fold(directory.province) for p in provinces)


def _letter_type(header: Header) -> str | None:
    """"Công văn" for a header with no type title but a "V/v" summary or a "Kính gửi" block:
    every other type prints its name (Decree 30, Annex I). It outranks the number's leading
    code, which may be the issuer's ("5348/CT-CS": CT is Cục Thuế)."""
    if header.doc_type is None and (header.recipients or (header.subject and fold(header.subject).startswith("v/v"))):
        return "Công văn"
    return None


def _set_date(d: Directive, header: Header, lines: list[str], signed: Sequence[dt.date]) -> None:
    """The header's date; a day or month it leaves blank or illegible (a signing system
    fills the blanks in, a scan's are handwritten) is taken from the evidence of the
    document's own appendix caption ("(Kèm theo Quyết định số 1696/QĐ-UBND ngày
    15/5/2026 ...)"), or, the day only, from the earliest signing time of the document's
    signatures (services/parse/signings.py) in the header's month and year that the day's
    legible digits do not contradict: the signer signs first, the issuing body's and a
    copying office's signatures follow, never precede. A signing time is a corroboration,
    not a source: an office may sign a scan days after the paper was signed (in the
    corpus, 3 of 11 scans' earliest signing days are 1 to 4 days late), so it never
    supplies a month."""
    if header.date is None and d.date is not None:
        return  # a headerless page's date, from the lead or caption that identified the document
    slot, illegible = _date_line(lines[: header.end])
    date = header.date or illegible
    if date is None and (adopted := _adopted(lines)) is not None:
        # A law or an Assembly's resolution prints no date line: its date is the day it
        # was adopted ("Nghị quyết này được Ủy ban Thường vụ Quốc hội ... thông qua ngày ...").
        d.date, d.date_partial = adopted, PartialDate(day=adopted.day, month=adopted.month, year=adopted.year)
        d.warnings.append("date taken from the adoption clause")
        return
    if date is None:
        d.warnings.append("date not found")
        return
    d.date_partial = date
    d.date = make_date(date.year, date.month, date.day)
    if d.date is None and date.year is not None:
        caption = _caption(lines[header.end :])
        if caption and caption.date and _same_document(caption.number, d) and _agrees(caption.date, date.year, date.month):
            d.date = caption.date
            d.warnings.append("date taken from the appendix caption naming this document")
            return
        days = [s for s in signed if _agrees(s, date.year, date.month) and _fits(slot, s.day)]
        if date.month is not None and days:
            d.date = min(days)
            d.warnings.append("day taken from the e-signature's signing time")
            d.inferred["date"] = (f"the day is not legible on the page; {d.date:%d/%m/%Y} is the day the document "
                                  "was signed electronically, which may be days after it was issued: check the day")
            return
    if d.date is None:
        missing = [part for part in ("day", "month", "year") if getattr(date, part) is None]
        d.warnings.append(f"date left blank: no {' or '.join(missing)}" if missing else "date invalid")


# The adoption clause closing a law or an Assembly's resolution: "Luật này đã được Quốc hội
# ... kỳ họp thứ 8 thông qua ngày 29 tháng 11 năm 2024." (on the folded text).
_ADOPTED = re.compile(r"\bnay\b[^.]{0,240}?\bthong qua ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_ADOPTION_LINES = 40  # the clause stands right before the signature, near the end


def _adopted(lines: list[str]) -> dt.date | None:
    """The day the document says it was adopted, in its last lines; None when it does not."""
    found = None
    for m in _ADOPTED.finditer(fold(" ".join(lines[-_ADOPTION_LINES:]))):
        found = make_date(int(m[3]), int(m[2]), int(m[1])) or found
    return found


def _date_line(header: list[str]) -> tuple[str, PartialDate | None]:
    """The header's date line as printed or misread: what stands in its day slot, and its
    month and year when its day is illegible ("ngày ⁄€ tháng 3 năm 2026"), which the
    header's reading of dates leaves unread."""
    for line in header:
        if (m := _DATE_LINE.search(fold(line))) and not _LEGIBLE_DAY.fullmatch(m["slot"]):
            # (a legible date the header did not take is another document's, cited in the trích
            # yếu: "... theo Nghị quyết số 03/2021/UBTVQH15 ngày 24 tháng 9 năm 2021")
            month = int(m["month"]) if m["month"] and 1 <= int(m["month"]) <= 12 else None
            return m["slot"], PartialDate(month=month, year=int(m["year"]))
    return "", None


def _fits(slot: str, day: int) -> bool:
    """Whether the digits legible in a day ``slot`` fit ``day``: a handwritten or stamped
    day that OCR misreads keeps some of its digits ("Ø3" for 03, "⁄{5" for 15)."""
    return "".join(re.findall(r"[0-9]", slot)) in f"{day:02d}"


def _same_document(number: ParsedNumber, d: Directive) -> bool:
    """Whether a caption's ``number`` is the directive's own (its sequence may be blank in the header)."""
    if d.symbol is None or fold(number.symbol or "") != fold(d.symbol):
        return False
    return d.number_seq is None or number.seq == d.number_seq


def _agrees(date: dt.date, year: int, month: int | None) -> bool:
    return date.year == year and (month is None or date.month == month)


def _system(header: Header, number: ParsedNumber | None, authority: str | None) -> str | None:
    if header.system:
        return header.system
    if number and number.system:
        return number.system
    if authority:
        return "party" if "/" in authority.split()[0] else "state"
    return None


class _Quoted(NamedTuple):
    """A directive as a news lead or an appendix caption names it."""

    number: ParsedNumber
    doc_type: str | None
    date: dt.date | None
    subject: str | None
    issuer: str | None


# An old document's title names it ("CHỈ THỊ / CỦA THỦ TƯỚNG CHÍNH PHỦ SỐ 16/2001/CT-TTG /
# NGÀY 21 THÁNG 6 NĂM 2001 / VỀ VIỆC ..."), where a header table would print its number.
_TITLE_NUMBER = re.compile(r"\b(?:SỐ|Số|số)\s*:?\s*(?=\d)")


def _titled_number(header: Header) -> ParsedNumber | None:
    """The number a title carries; the title then keeps what precedes it (its issuer). A
    date right after the number ("SỐ 15-LĐ/TT NGÀY 10 THÁNG 8 NĂM 1961") is the header's
    when it has no place-date line."""
    title = header.title or ""
    for m in _TITLE_NUMBER.finditer(title):
        if CAPTION_BEFORE.search(fold(title), max(0, m.start() - 60), m.start()):
            continue  # a regulation's "(Ban hành kèm theo Quyết định số ...)": its enacting act
        if (parsed := number_at(title, m.end())) and parsed.seq is not None:
            after = title[parsed.end :]
            dated = [(e, date) for b, e, date in (*worded_dates(after), *dates_in_figures(after)) if not after[:b].strip(" ,")]
            if header.date is None and dated:
                header.date = dated[0][1]
            # "NGHỊ QUYẾT SỐ 214 ... NGÀY 26-8-1994 CỦA ỦY BAN ...": with nothing before the
            # number, the title goes on after it and its date.
            header.title = title[: m.start()].rstrip() or after[dated[0][0] if dated else 0 :].strip(" ,") or None
            return in_own_case(parsed)
    return None


def _news_lead(opening: list[str]) -> _Quoted | None:
    """A directive quoted in a news lead paragraph ("Ngày 26/11/2025, Thủ tướng Chính phủ có
    Công điện 229/CĐ-TTg về ...")."""
    for paragraph in opening[:3]:
        for m in _NEWS_LEAD.finditer(paragraph):
            if number := number_at(paragraph, m.end()):
                break
        else:
            continue
        subject = _NEWS_SUBJECT.match(paragraph, number.end)
        about = subject.group(1).strip() if subject else None
        issuer = m.group(2).strip() or None
        return _Quoted(number, canonical_doc_type(m.group(3)), parse_numeric_date(m.group(1)),
                       about[:1].upper() + about[1:] if about else None, issuer)
    return None


def _caption(tail: list[str], pattern: re.Pattern[str] = _CAPTION) -> _Quoted | None:
    """The document as the first appendix caption names it (no subject), or what else
    ``pattern`` finds that names it the same way (a portal's source note)."""
    for line in tail:
        if (m := pattern.search(line)) and (number := number_at(line, m.end())):
            after = line[number.end :]
            worded = parse_worded_date(after[:40])
            date = make_date(worded.year, worded.month, worded.day) if worded else parse_numeric_date(after[:20])
            of = _CAPTION_OF.match(after)
            # "kèm theo văn bản số ...": a document of no type the caption says; its number's does
            named = canonical_doc_type(m.group(1))
            return _Quoted(number, None if named == "Văn bản" else named, date, None, of.group(1).strip() if of else None)
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
    header: Header,
    number: ParsedNumber | None,
    opening: list[str],
    province: str | None,
    directory: UnitDirectory,
    quoted: _Quoted | None,
) -> str | None:
    """The issuer from the number's issuer code and place; else the body a news lead or an
    appendix caption names (spelt out in full when the opening's speaker extends it: "Ban
    Chỉ đạo" -> "Ban Chỉ đạo thực hiện sắp xếp ..."); else the title's "của ..."; else the
    opening sentence's speaker ("Ban Thường vụ Tỉnh ủy yêu cầu ...")."""
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
    speaker = next(filter(None, map(_speaker, opening)), None)
    if quoted and quoted.issuer:
        return speaker if speaker and fold(speaker).startswith(fold(quoted.issuer)) else quoted.issuer
    if header.title and (m := _OF.search(header.title)):
        named = _known_prefix(m.group(1), directory) or office_free(m.group(1))
        return display_case(named) if named.isupper() else named
    return speaker


def _known_prefix(text: str, directory: UnitDirectory) -> str | None:
    """The longest opening words of ``text`` the directory knows as one body ("ỦY BAN
    THƯỜNG VỤ QUỐC HỘI" of "... QUY ĐỊNH SỐ PHÓ CHỦ TỊCH ..."), or None."""
    words = text.split()
    for n in range(min(len(words), _ISSUER_WORDS), 1, -1):
        if directory.match(candidate := " ".join(words[:n])) is not None:
            return candidate
    return None


_ISSUER_WORDS = 12


def _speaker(paragraph: str) -> str | None:
    """The body that speaks in a sentence of ``paragraph`` ("Trước tình hình đó, Bộ Văn hóa,
    Thể thao và Du lịch yêu cầu:" -> "Bộ Văn hóa, Thể thao và Du lịch"): the text before the
    verb from the last comma-separated part that opens with a body's head noun or a head's
    title, so a name with commas stays whole and an introductory phrase is left out."""
    for sentence in re.split(r"(?<=[.;:])\s+", paragraph):
        m = _ISSUER_VERB.search(sentence)
        if not m or _REPORTED.search(sentence[: m.start()]):
            continue
        before = sentence[: m.start()].strip()
        starts = [0, *(k.end() for k in re.finditer(r",\s+", before))]
        for start in reversed(starts):
            name = before[start:]
            folded = fold(name)
            if name[:1].isupper() and (opens_body_name(folded) or _HEAD_TITLE.match(folded)):
                # "Cục Thuế đã nâng cấp ứng dụng ..., ban hành quy trình": a report, no speaker
                if _SPEAKER_WORDS[0] <= len(name.split()) <= _SPEAKER_WORDS[1] and not _PAST_INSIDE.search(folded):
                    return name
                break
    return None


def _latest_year(text: str) -> int | None:
    years = [int(y) for y in _DATE_YEAR.findall(text)]
    return max(years) if years else None

