"""Render directive texts as the mailroom receives them: text-layer PDFs and scans.

Used by the demo, the tests and the benchmarks to turn the plain-text examples into
realistic inputs. A scan is the text PDF rasterised, slightly skewed and noised, and
saved as an image-only PDF (or as PNG/JPEG/TIFF pages).
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

EXAMPLES = Path(__file__).resolve().parent / "directives"

# Liberation 2 and DejaVu carry Vietnamese glyphs; Liberation 1 does not (Tesseract then reads garbage).
_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]
_FONT_NAME = "VanthuSerif"
_MARKDOWN = re.compile(r"\*\*|^#+\s*|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", re.MULTILINE)


def example_texts() -> dict[str, str]:
    """The example directives by file stem."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))}


def _register_font() -> str:
    if _FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return _FONT_NAME
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            pdfmetrics.registerFont(TTFont(_FONT_NAME, candidate))
            return _FONT_NAME
    raise RuntimeError("no font with Vietnamese glyphs: install fonts-liberation2 or fonts-dejavu-core")


def _wrap(line: str, font: str, size: float, width: float) -> Iterator[str]:
    words = line.split(" ")
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if pdfmetrics.stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            yield current
            current = word
    yield current


def text_pdf(text: str, *, font_size: float = 13, leading: float = 1.35, strip_markdown: bool = True) -> bytes:
    """A born-digital A4 PDF of ``text`` (markdown marks removed, lines wrapped),
    ``leading`` times ``font_size`` from one baseline to the next."""
    font = _register_font()
    if strip_markdown:
        text = _MARKDOWN.sub("", text)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=True)
    width, height = A4
    margin_x, margin_y = 72.0, 64.0
    y = height - margin_y
    pdf.setFont(font, font_size)
    for raw in text.replace("\r", "").split("\n"):
        for line in _wrap(raw.strip(), font, font_size, width - 2 * margin_x):
            if y < margin_y:
                pdf.showPage()
                pdf.setFont(font, font_size)
                y = height - margin_y
            pdf.drawString(margin_x, y, line)
            y -= leading * font_size
    pdf.save()
    return buf.getvalue()


def page_images(pdf_bytes: bytes, *, dpi: int = 300, seed: int = 0, skew: float = 0.6, noise: float = 0.02) -> list[Image.Image]:
    """Rasterise each page as a grey scan: slight skew, speckle noise, mild blur."""
    rng = random.Random(seed)
    doc = pypdfium2.PdfDocument(pdf_bytes)
    images = []
    try:
        for page in doc:
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            angle = rng.uniform(-skew, skew)
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
            if noise:
                pixels = image.load()
                w, h = image.size
                for _ in range(int(w * h * noise / 10)):
                    x, y_ = rng.randrange(w), rng.randrange(h)
                    pixels[x, y_] = rng.choice((0, 90, 200))
            image = image.filter(ImageFilter.GaussianBlur(0.4))
            image.info["dpi"] = (dpi, dpi)
            images.append(image)
    finally:
        doc.close()
    return images


def images_pdf(images: list[Image.Image], *, dpi: int = 300) -> bytes:
    """An image-only PDF with one page per image (no text layer)."""
    buf = io.BytesIO()
    first, *rest = [im.convert("L") for im in images]
    first.save(buf, format="PDF", resolution=dpi, save_all=True, append_images=rest)
    return buf.getvalue()


def scan_pdf(text: str, *, dpi: int = 300, seed: int = 0) -> bytes:
    """An image-only scan of ``text``, as a copier would produce it."""
    return images_pdf(page_images(text_pdf(text), dpi=dpi, seed=seed), dpi=dpi)


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
