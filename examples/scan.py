"""Scan a rendered form as the mailroom's copier would: the signed paper's marks, then
the scanner's faults.

On the paper (drawn in colour on the rasterised page, where examples/form.py says the
parts are): a red round seal, its ring of text around a star, over the left of a blue
hand signature and reaching the signer's name; a "ĐẾN" received stamp, in the top
margin or over the text, with a number and date written into it by hand; the number's
sequence written by hand into the blank before its "/". Handwriting is drawn as jittered
strokes through a small stroke font (Debian ships no cursive font). Then the scanner:
a slight skew, speckles, a mild blur, and grey, black-and-white (CCITT G4 in a PDF) or
colour output. Everything is deterministic for a seed.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from typing import Literal

import pypdfium2
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from examples.form import BOLD, PAGE_WIDTH, REGULAR, Drawn, font_file

# Inks as scanned: a seal's red is light (grey scans show it at ~130 of 255), pen and
# stamp inks darker. Marks are laid over the print by multiplying: ink over ink.
RED = (220, 90, 95)
BLUE = (25, 45, 150)
STAMP_INK = (150, 60, 130)  # received stamps are often violet

Mode = Literal["grey", "bilevel", "colour"]

# Digits as strokes in a unit cell (x right, y down), traced through a smooth curve.
_DIGITS = {
    "0": [(0.5, 0.0), (0.15, 0.2), (0.1, 0.6), (0.35, 1.0), (0.7, 0.95), (0.88, 0.5), (0.75, 0.1), (0.5, 0.0)],
    "1": [(0.25, 0.25), (0.55, 0.0), (0.5, 1.0)],
    "2": [(0.1, 0.25), (0.3, 0.03), (0.65, 0.05), (0.8, 0.3), (0.6, 0.6), (0.1, 1.0), (0.9, 0.97)],
    "3": [(0.15, 0.1), (0.5, 0.0), (0.8, 0.15), (0.7, 0.4), (0.4, 0.48), (0.75, 0.58), (0.85, 0.8), (0.55, 1.0),
          (0.1, 0.9)],
    "4": [(0.6, 1.0), (0.6, 0.0), (0.05, 0.7), (0.9, 0.7)],
    "5": [(0.85, 0.0), (0.25, 0.0), (0.2, 0.45), (0.6, 0.4), (0.85, 0.65), (0.7, 0.95), (0.4, 1.0), (0.1, 0.9)],
    "6": [(0.75, 0.05), (0.4, 0.1), (0.15, 0.5), (0.2, 0.9), (0.5, 1.0), (0.8, 0.8), (0.75, 0.55), (0.45, 0.5),
          (0.18, 0.65)],
    "7": [(0.1, 0.0), (0.9, 0.0), (0.4, 1.0)],
    "8": [(0.5, 0.5), (0.2, 0.3), (0.3, 0.05), (0.7, 0.05), (0.8, 0.3), (0.5, 0.5), (0.15, 0.75), (0.35, 1.0),
          (0.7, 1.0), (0.85, 0.75), (0.5, 0.5)],
    "9": [(0.8, 0.35), (0.5, 0.5), (0.2, 0.35), (0.3, 0.05), (0.7, 0.05), (0.8, 0.35), (0.75, 0.7), (0.55, 1.0)],
    "/": [(0.8, 0.0), (0.2, 1.0)],
}


@dataclass(frozen=True)
class Artefacts:
    """What the scan shows besides the printed form, and how it is scanned.

    ``seal``: "over" (a 36 mm seal over the left of the signature, its ring across the
    signer's title and name, as it often lands), "within" (a smaller one inside the space
    between them), or None.
    ``stamp``: "margin" (the received stamp in the top margin of page 1), "text" (over
    the text under the header), or None. ``handwritten_number``: the number's sequence
    written by hand; render the form with its sequence blank (form.blank_number) and give
    the digits here.
    """

    seal: Literal["over", "within"] | None = "over"
    signature: bool = True
    stamp: Literal["margin", "text"] | None = "margin"
    handwritten_number: str = ""
    mode: Mode = "grey"
    skew: float = 0.6
    noise: float = 0.02


def rasterise(pdf_bytes: bytes, dpi: int) -> list[Image.Image]:
    """Every page of ``pdf_bytes`` as an RGB image at ``dpi``."""
    doc = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in doc]
    finally:
        doc.close()


def _curve(points: list[tuple[float, float]], steps: int = 8) -> list[tuple[float, float]]:
    """A Catmull-Rom spline through ``points``: the smooth path a pen takes."""
    if len(points) < 3:
        return points
    padded = [points[0], *points, points[-1]]
    out = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1 : i + 3]
        for s in range(steps):
            t = s / steps
            out.append(tuple(
                0.5 * (2 * p1[k] + (p2[k] - p0[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t * t
                       + (3 * p1[k] - p0[k] - 3 * p2[k] + p3[k]) * t ** 3) for k in (0, 1)))
    out.append(points[-1])
    return out


def handwrite(draw: ImageDraw.ImageDraw, text: str, x: float, y: float, height: float, rng: random.Random,
              ink: tuple[int, int, int] = BLUE) -> float:
    """Write ``text`` (digits and "/"; anything else is a gap) by hand from (x, y), the
    top left, ``height`` pixels high, slanted and jittered; the x where it ends."""
    width = 0.6 * height
    pen = max(2, round(height / 14))
    slant = rng.uniform(0.15, 0.3)
    for ch in text:
        strokes = _DIGITS.get(ch)
        if strokes:
            jitter = [(px + rng.uniform(-0.06, 0.06), py + rng.uniform(-0.05, 0.05)) for px, py in strokes]
            path = [(x + (px + slant * (1 - py)) * width, y + py * height + rng.uniform(-1, 1)) for px, py in jitter]
            draw.line(_curve(path), fill=ink, width=pen, joint="curve")
        x += width * rng.uniform(0.95, 1.2)
    return x


def _signature(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], rng: random.Random) -> None:
    """A looping hand signature across the middle of ``box``, ending in an underline flourish."""
    x0, top, x1, bottom = box
    cx, cy, w, h = (x0 + x1) / 2, (top + bottom) / 2, (x1 - x0) * 0.45, (bottom - top) * 0.6
    points = [(cx - w / 2 + w * i / 7 + rng.uniform(-w / 20, w / 20),
               cy + (h / 2 if i % 2 else -h / 2) * rng.uniform(0.3, 1.0)) for i in range(8)]
    pen = max(2, round(h / 25))
    draw.line(_curve(points, 12), fill=BLUE, width=pen, joint="curve")
    flourish = [(cx - w / 2, cy + h * 0.45), (cx, cy + h * 0.35), (cx + w * 0.6, cy + h * 0.2)]
    draw.line(_curve(flourish, 12), fill=BLUE, width=pen, joint="curve")


def _ring_text(image: Image.Image, text: str, centre: tuple[float, float], radius: float, size: int) -> None:
    """``text`` set around the upper part of a circle, each letter turned to face outwards."""
    font = ImageFont.truetype(font_file(BOLD), size)
    span = min(300.0, len(text) * 0.62 * size / radius * 180 / math.pi)  # a letter is ~0.62 em wide
    for i, ch in enumerate(text):
        angle = -90 - span / 2 + span * (i + 0.5) / len(text)  # degrees, 0 = right, clockwise (y down)
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.Resampling.BICUBIC)
        gx = centre[0] + radius * math.cos(math.radians(angle)) - size
        gy = centre[1] + radius * math.sin(math.radians(angle)) - size
        image.paste(Image.new("RGB", glyph.size, RED), (round(gx), round(gy)), glyph)


def seal(image: Image.Image, centre: tuple[float, float], radius: float, ring: str) -> None:
    """A round red seal: two rings, the body's name around them, a star in the middle."""
    draw = ImageDraw.Draw(image)
    cx, cy = centre
    pen = max(2, round(radius / 40))
    for r in (radius, radius * 0.97, radius * 0.68):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=RED, width=pen)
    _ring_text(image, ring, centre, radius * 0.83, max(8, round(radius * 0.17)))
    star = [(cx + radius * (0.25 if k % 2 == 0 else 0.1) * math.cos(math.radians(-90 + 36 * k)),
             cy + radius * (0.25 if k % 2 == 0 else 0.1) * math.sin(math.radians(-90 + 36 * k))) for k in range(10)]
    draw.polygon(star, fill=RED)


def _stamp(image: Image.Image, box: tuple[float, float, float, float], rng: random.Random) -> None:
    """A "ĐẾN" received stamp: its lines printed in violet, number and date written in by hand."""
    x0, top, x1, bottom = box
    stamp = Image.new("RGBA", (round(x1 - x0), round(bottom - top)), (255, 255, 255, 0))
    draw = ImageDraw.Draw(stamp)
    w, h = stamp.size
    pen = max(2, round(h / 60))
    draw.rectangle((pen, pen, w - pen, h - pen), outline=STAMP_INK, width=pen)
    small, large = ImageFont.truetype(font_file(REGULAR), round(h / 7)), ImageFont.truetype(font_file(BOLD), round(h / 4.5))
    draw.text((w * 0.06, h * 0.1), "ĐẾN", font=large, fill=STAMP_INK)
    rows = ("Số:", "Ngày:", "Chuyển:")
    for n, label in enumerate(rows):
        y = h * (0.42 + 0.18 * n)
        draw.text((w * 0.06, y), label, font=small, fill=STAMP_INK)
        if n < 2:  # the clerk writes the entry number and the day in
            written = str(rng.randrange(100, 9999)) if n == 0 else f"{rng.randrange(1, 29)}/{rng.randrange(1, 13)}"
            handwrite(draw, written, w * 0.42, y - h * 0.02, h * 0.16, rng)
    stamp = stamp.rotate(rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True)
    image.paste(stamp, (round(x0), round(top)), stamp)


def _pixels(box: tuple[int, float, float, float, float], scale: float) -> tuple[float, float, float, float]:
    return box[1] * scale, box[2] * scale, box[3] * scale, box[4] * scale


def mark_paper(pages: list[Image.Image], drawn: Drawn, artefacts: Artefacts, dpi: int,
               rng: random.Random) -> list[Image.Image]:
    """``pages`` (RGB) with the seal, signature, received stamp and handwritten number on them."""
    scale = dpi / 72
    boxes = drawn.boxes
    inks: dict[int, Image.Image] = {}

    def ink(page: int) -> Image.Image:
        return inks.setdefault(page, Image.new("RGB", pages[page].size, "white"))

    if artefacts.signature and "signature" in boxes:
        _signature(ImageDraw.Draw(ink(boxes["signature"][0])), _pixels(boxes["signature"], scale), rng)
    if artefacts.seal and "signature" in boxes:
        # Over the left third of the signature: a 36 mm seal whose ring crosses the title
        # and the name, or one that fits the space between them.
        x0, top, x1, bottom = _pixels(boxes["signature"], scale)
        radius = 51 * scale if artefacts.seal == "over" else (bottom - top) / 2
        centre = (x0 + (x1 - x0) * 0.3, (top + bottom) / 2 + (10 * scale if artefacts.seal == "over" else 0))
        seal(ink(boxes["signature"][0]), centre, radius, f"{drawn.seal} *")
    if artefacts.handwritten_number and "number_blank" in boxes:
        x0, top, x1, bottom = _pixels(boxes["number_blank"], scale)
        # As tall as the printed line, narrowed to fit the blank (a digit takes ~0.75 of its height).
        height = min((bottom - top) * 0.9, (x1 - x0) / (0.75 * len(artefacts.handwritten_number)))
        handwrite(ImageDraw.Draw(ink(boxes["number_blank"][0])), artefacts.handwritten_number, x0, top, height, rng)
    if artefacts.stamp:
        if artefacts.stamp == "margin" or "header_left" not in boxes:
            box = (PAGE_WIDTH - 230, 4, PAGE_WIDTH - 70, 54)  # the top margin, right
        else:
            top = max(boxes["header_left"][4], boxes.get("header_right", boxes["header_left"])[4])
            box = (100.0, top + 2, 270.0, top + 92)  # over the title and the first lines
        _stamp(ink(0), tuple(v * scale for v in box), rng)
    return [ImageChops.multiply(page, inks[n]) if n in inks else page for n, page in enumerate(pages)]


def degrade(page: Image.Image, *, dpi: int, seed: int, skew: float = 0.6, noise: float = 0.02,
            mode: Mode = "grey") -> Image.Image:
    """``page`` as the scanner gives it: turned up to ``skew`` degrees, ``noise`` of its
    pixels (over ten) speckled, a mild blur; grey ("L"), black and white ("1") or colour."""
    rng = random.Random(seed)
    image = page.convert("RGB" if mode == "colour" else "L")
    white = (255, 255, 255) if mode == "colour" else 255
    image = image.rotate(rng.uniform(-skew, skew), resample=Image.Resampling.BICUBIC, expand=False, fillcolor=white)
    if noise:
        pixels = image.load()
        w, h = image.size
        for _ in range(int(w * h * noise / 10)):
            value = rng.choice((0, 90, 200))
            pixels[rng.randrange(w), rng.randrange(h)] = (value,) * 3 if mode == "colour" else value
    image = image.filter(ImageFilter.GaussianBlur(0.4))
    if mode == "bilevel":
        image = image.point(lambda v: 255 if v > 150 else 0).convert("1")
    image.info["dpi"] = (dpi, dpi)
    return image


def scan_form(drawn: Drawn, artefacts: Artefacts, *, dpi: int = 300, seed: int = 0,
              pages: list[int] | None = None) -> list[Image.Image]:
    """The pages of ``drawn`` (or those of index ``pages``) as scanned images, with
    ``artefacts``; deterministic by ``seed``."""
    rng = random.Random(seed)
    marked = mark_paper(rasterise(drawn.pdf, dpi), drawn, artefacts, dpi, rng)
    chosen = sorted(set(range(len(marked)) if pages is None else (p % len(marked) for p in pages)))
    return [degrade(marked[n], dpi=dpi, seed=seed * 7919 + n, skew=artefacts.skew, noise=artefacts.noise,
                    mode=artefacts.mode) for n in chosen]


def images_pdf(images: list[Image.Image], *, dpi: int = 300) -> bytes:
    """An image-only PDF with one page per image (no text layer): black-and-white pages
    CCITT G4, grey and colour ones JPEG, as scanners write them."""
    buf = io.BytesIO()
    first, *rest = [im if im.mode in ("1", "L", "RGB") else im.convert("L") for im in images]
    first.save(buf, format="PDF", resolution=dpi, save_all=True, append_images=rest)
    return buf.getvalue()
