"""Render directive texts as the mailroom receives them: text-layer PDFs and scans.

Used by the demo, the tests and the benchmarks to turn the plain-text examples into
realistic inputs. A plain-text directive is read into its printed parts
(:func:`form_from_text`) and laid out on the real form (examples/form.py); a text with
no header (a web page's article) is laid out as a single column. A scan is the PDF
rasterised with a hand signature (seals, received stamps and handwritten numbers are
options of examples/scan.py), slightly skewed and noised, saved as an image-only PDF (or as
PNG/JPEG/TIFF pages).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from PIL import Image

from examples.form import PARTY_MOTTO, Form, render_form
from examples.form import register_fonts as _register_font  # noqa: F401  (the tests' name for it)
from examples.scan import Artefacts, degrade, images_pdf, rasterise, scan_form
from services.parse.numbers import canonical_doc_type
from vanthu.normalize import fold

EXAMPLES = Path(__file__).resolve().parent / "directives"

_MARKDOWN = re.compile(r"\*\*|^#+\s*|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|\*$", re.MULTILINE)
_DATELINE = re.compile(r"^[^\d,:]{2,40},?\s+ngày\b")
_NUMBER = re.compile(r"^Số\b\s*:?\s*(.*)$")
_PARTY_NUMBER = re.compile(r"^\d*\s*-\s*[A-ZĐ]\w*/")  # "215-CV/TU": number-TYPE/ISSUER
_MARKS = frozenset({"khan", "thuong khan", "hoa toc", "mat", "toi mat", "tuyet mat"})
_MOTTO_FOLDED = ("cong hoa xa hoi chu nghia", "doc lap - tu do", fold(PARTY_MOTTO))
_AUTHORITY = re.compile(r"^(?:T/M|TM|KT|K/T|TL|T/L|TUQ|Q)\.?\s")
_RECIPIENTS = re.compile(r"^(?:-\s*)?Kính gửi\s*:?\s*(.*)$")
_DISTRIBUTION = re.compile(r"^Nơi nhận\s*:?\s*$")


def example_texts() -> dict[str, str]:
    """The example directives by file stem."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))}


def _caps(line: str) -> bool:
    """An upper-case line (a body's name, an authority or a title line)."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_type_title(line: str) -> bool:
    return _caps(line) and canonical_doc_type(line) is not None


def _is_name(line: str) -> bool:
    """A signer's name: 2-6 capitalised words, no digits or punctuation."""
    words = line.split()
    return 2 <= len(words) <= 6 and all(w[0].isupper() and w.isalpha() for w in words)


def _header_lines(form: Form, lines: list[str]) -> bool:
    """Fill ``form``'s header from ``lines`` (issuer, motto, number, place/date,
    a công văn's trích yếu, marks); False when they hold no header at all."""
    issuer: list[str] = []
    subject: list[str] = []
    for line in lines:
        folded = fold(line)
        if not line or line == "*":
            continue
        if any(m in folded for m in _MOTTO_FOLDED):
            form.party = form.party or fold(PARTY_MOTTO) in folded
        elif folded in _MARKS:
            form.urgency, form.secrecy = (line, form.secrecy) if "mat" not in folded else (form.urgency, line)
        elif _DATELINE.match(line):
            form.dateline = line
        elif m := _NUMBER.match(line):
            form.number = m.group(1).strip()
            form.party = form.party or bool(_PARTY_NUMBER.match(form.number))
        elif _caps(line) and not form.number and not subject:
            issuer.append(line)
        else:
            subject.append(line)
    form.issuer = issuer
    if not (form.has_header or subject[:1] and fold(subject[0]).startswith("v/v")):
        return False
    form.subject = [" ".join(subject)] if subject else []  # re-wrapped to the column
    return True


def _closing(form: Form, lines: list[str]) -> int:
    """Fill ``form``'s closing from the end of ``lines`` (Nơi nhận, authority, title,
    name); the index where the closing starts (``len(lines)`` when there is none)."""
    end = len(lines)
    while end and not lines[end - 1]:
        end -= 1
    if not end or not _is_name(lines[end - 1]):
        return len(lines)
    form.signer = lines[end - 1]
    start = end - 1
    # Walk up over the signature block and the Nơi nhận list, in either order.
    received = next((i for i in range(end - 1, -1, -1) if _DISTRIBUTION.match(lines[i])), None)
    if received is not None:
        start = received
    while start and (not lines[start - 1] or (_caps(lines[start - 1]) and len(lines[start - 1].split()) <= 8)):
        start -= 1
    while start < end - 1 and not lines[start]:
        start += 1
    right: list[str] = []
    for line in lines[start : end - 1]:
        if not line:
            continue
        if _caps(line) and not line.startswith("-"):
            right.append(line)
        elif not _DISTRIBUTION.match(line):
            form.distribution.append(line)
    authority = [line for line in right if _AUTHORITY.match(line)]
    # Guideline 36 writes the Party's "T/M" with a slash; Decree 30 writes "TM.".
    form.party = form.party or any(line.startswith("T/M") for line in authority)
    titles = [line for line in right if not _AUTHORITY.match(line)]
    form.authority, form.title = authority + titles[:-1], (titles[-1] if titles else "")
    return start


def form_from_text(text: str, *, strip_markdown: bool = True) -> Form:
    """The printed parts of a plain-text directive, read by where they stand: the lines
    before the type title or "Kính gửi" are the header, the type title and the lines up
    to a blank one its trích yếu, the closing runs from "Nơi nhận" or the authority lines
    to the signer's name on the last line; the rest is the body. A text with no header
    gives a form of body only."""
    text = unicodedata.normalize("NFC", text.replace("\r", ""))
    if strip_markdown:
        text = _MARKDOWN.sub("", text)
    lines = [line.strip() for line in text.split("\n")]
    form = Form()
    end = _closing(form, lines)
    lines = lines[:end]
    # The header ends at the type title, "Kính gửi" or the first paragraph.
    head = next(
        (i for i, line in enumerate(lines) if _is_type_title(line) or _RECIPIENTS.match(line) or len(line) > 120),
        len(lines),
    )
    start = head if _header_lines(form, lines[:head]) else 0
    while start < len(lines) and not lines[start]:
        start += 1
    if start < len(lines) and _is_type_title(lines[start]):
        form.type_title = lines[start]
        start += 1
        while start < len(lines) and lines[start]:
            form.subject.append(lines[start])
            start += 1
    while start < len(lines) and not lines[start]:
        start += 1
    if start < len(lines) and (m := _RECIPIENTS.match(lines[start])):
        entries = [m.group(1).strip()] if m.group(1).strip() else []
        start += 1
        while start < len(lines) and lines[start]:
            line = lines[start]
            if entries and not line.startswith("-"):
                entries[-1] += " " + line  # a wrapped entry
            else:
                entries.append(line)
            start += 1
        form.recipients = entries
    body = lines[start:]
    while body and not body[0]:
        body.pop(0)
    while body and not body[-1]:
        body.pop()
    form.body = [line for i, line in enumerate(body) if line or (i and body[i - 1])]  # one blank line at most
    return form


def text_pdf(text: str, *, font_size: float = 13, leading: float = 1.35, strip_markdown: bool = True) -> bytes:
    """A born-digital A4 PDF of ``text`` on the real form (markdown marks removed, lines
    wrapped), the body ``leading`` times ``font_size`` from one baseline to the next."""
    return render_form(form_from_text(text, strip_markdown=strip_markdown), font_size=font_size, leading=leading).pdf


def reading_text(text: str, *, font_size: float = 13, leading: float = 1.35) -> str:
    """The text :func:`text_pdf` draws for ``text``, in reading order (each header and
    closing column whole, left before right): the reference for reading its PDF."""
    return render_form(form_from_text(text), font_size=font_size, leading=leading).text


def page_images(pdf_bytes: bytes, *, dpi: int = 300, seed: int = 0, skew: float = 0.6, noise: float = 0.02) -> list[Image.Image]:
    """Rasterise each page as a grey scan: slight skew, speckle noise, mild blur."""
    return [degrade(page, dpi=dpi, seed=seed * 1000 + n, skew=skew, noise=noise)
            for n, page in enumerate(rasterise(pdf_bytes, dpi))]


def scan_pdf(text: str, *, dpi: int = 300, seed: int = 0) -> bytes:
    """An image-only grey scan of ``text`` on the real form with a blue hand signature,
    as a copier would produce it. Seals and received stamps (examples/scan.py) are left
    off: the OCR stage does not yet set them aside, and they cost the signer's name and
    the type title (see bench/rendered_corpus.py for their effect)."""
    images = scan_form(render_form(form_from_text(text)), Artefacts(seal=None, stamp=None), dpi=dpi, seed=seed)
    return images_pdf(images, dpi=dpi)


def main(argv: list[str]) -> None:
    """``python -m examples.render OUTDIR``: every example as a text PDF, plus the first as a scan."""
    out = Path(argv[1] if len(argv) > 1 else "rendered")
    out.mkdir(parents=True, exist_ok=True)
    texts = example_texts()
    for stem, text in texts.items():
        (out / f"{stem}.pdf").write_bytes(text_pdf(text))
    first = next(iter(texts))
    (out / f"{first}-scan.pdf").write_bytes(scan_pdf(texts[first]))
    print(out)


if __name__ == "__main__":
    import sys

    main(sys.argv)
