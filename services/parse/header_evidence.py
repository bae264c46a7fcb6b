"""Where the header fields of a parsed directive stand in the parsed text.

The header reader (:mod:`services.parse.header`) keeps, per field, the cleaned lines it
read the field from; the signature block's name is read from the closing. This module
finds those lines back in the parsed text with :class:`services.parse.evidence.TextLocator`
(the locator the assignments' evidence uses), so the desk can outline a header field on
its page as it does an assignment. A field whose lines cannot be found (an OCR repair, a
field inferred rather than printed) gets no evidence rather than a wrong one.
"""

from __future__ import annotations

from services.parse.evidence import TextLocator
from services.parse.header import Header
from vanthu.events import Directive, FieldEvidence, HeaderField


def _sources(header: Header, directive: Directive) -> dict[HeaderField, str]:
    """Each field of ``directive`` read from the header -> the header span it was read from.
    A field found elsewhere (a news page's lead, an appendix caption, a type told by the
    number's symbol) has none: the header's line is not its evidence."""
    sources: dict[HeaderField, str] = {}
    if directive.issuer and header.issuer_lines:
        sources["issuer"] = "issuer"
    if directive.number and header.number is not None and directive.number == header.number.number:
        sources["number"] = "number"
    if (directive.date or directive.date_partial) and header.date is not None:
        sources["date"] = "date"
    if directive.doc_type and header.doc_type:
        sources["doc_type"] = "title"
    if directive.subject and directive.subject in (header.subject, header.title):
        sources["subject"] = "subject" if directive.subject == header.subject else "title"
    return sources


def header_evidence(text: str, lines: list[str], header: Header, directive: Directive) -> dict[HeaderField, FieldEvidence]:
    """Evidence of each header field of ``directive`` that was read from ``header`` (its
    spans index ``lines``, the cleaned lines of ``text``) or, for the signer, from the
    closing: page and span in the NFC form of ``text``."""
    locator = TextLocator(text)
    # The header's first line: fields are looked for from there on (a news page's preamble
    # may name the same body before it).
    start = 0
    if header.start < len(lines) and (opening := locator.find(lines[header.start])):
        start = opening.start
    found: dict[HeaderField, FieldEvidence] = {}
    for field, name in _sources(header, directive).items():
        if name not in header.spans:
            continue
        first, last = header.spans[name]
        if name == "title" and header.doc_type:
            # a title is the type's line, then (for a titled document) the subject's lines
            first, last = (first, first) if field == "doc_type" else (min(first + 1, last), last)
        span = locator.find_clause(" ".join(lines[first : last + 1]), start)
        if span is None:
            continue
        if field == "number":  # "Số: 12/CT-UBND": the number itself, where it is printed as read
            span = locator.find(directive.number, span.start, span.end) or span
        found[field] = FieldEvidence(page=locator.page(span.start), span=span)
    if directive.signer.name:
        # The name stands at the end of the document, after the body that may cite others.
        span = locator.find_before(directive.signer.name, len(locator.text))
        if span is not None:
            found["signer"] = FieldEvidence(page=locator.page(span.start), span=span)
    return found

