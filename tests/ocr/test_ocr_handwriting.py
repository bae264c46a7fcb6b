"""Digits written by hand into the form's blanks are read, or left blank; never guessed.

The hand is the test renderer's (examples/scan.py: pen strokes through digit skeletons,
slanted and jittered), which the classifier never saw in training
(services/ocr/data/train_digits.py).
"""

from __future__ import annotations

import dataclasses
import random

import pytest
from PIL import Image, ImageDraw, ImageFont

from examples.form import BOLD, REGULAR, blank_number, font_file, render_form
from examples.render import example_texts, form_from_text
from examples.scan import Artefacts, handwrite, images_pdf, scan_form
from services.ocr.geometry import Frame, line_of
from services.ocr.handwriting import fill, read_digits
from services.ocr.pipeline import extract
from services.ocr.raster import PageImage
from services.parse.parser import parse_directive
from vanthu.events import Word
from vanthu.settings import get_settings


def _written(digits: str, rng: random.Random, height: float = 50) -> Image.Image:
    crop = Image.new("RGB", (round(0.8 * height * len(digits)) + 30, round(1.6 * height)), "white")
    handwrite(ImageDraw.Draw(crop), digits, 10, 0.3 * height, height, rng)
    return crop.convert("L")


def test_handwritten_digits_are_read_or_left_blank_never_guessed():
    # GIVEN 150 numbers of 2 to 4 digits written by hand, at 35 to 60 px high
    rng = random.Random(11)
    cases = [("".join(rng.choice("0123456789") for _ in range(rng.choice([2, 3, 4]))), rng.uniform(35, 60))
             for _ in range(150)]
    # WHEN each is read
    readings = [(digits, read_digits(_written(digits, rng, height))) for digits, height in cases]
    # THEN a good share is read, and what is read is right (a rare miss at most)
    read = [(digits, r.digits) for digits, r in readings if r is not None]
    wrong = [pair for pair in read if pair[0] != pair[1]]
    assert len(read) >= 0.6 * len(cases)
    assert len(wrong) <= 0.02 * len(cases), wrong


@pytest.mark.parametrize("what", ["letters", "seal arc", "rule", "nothing"])
def test_what_is_not_surely_digits_is_not_read(what):
    crop = Image.new("L", (160, 80), 255)
    draw = ImageDraw.Draw(crop)
    if what == "letters":  # "ngày"'s tail and the like
        draw.text((10, 10), "yn", font=ImageFont.truetype(font_file(BOLD), 48), fill=0)
    elif what == "seal arc":
        draw.arc((-60, -100, 200, 160), 200, 260, fill=0, width=4)
    elif what == "rule":  # the line under the issuer's name, above an empty blank
        draw.line((0, 8, 160, 8), fill=0, width=3)
    assert read_digits(crop) is None


def test_digits_written_touching_are_read_as_two_or_left_blank():
    # GIVEN "00" written in one stroke: one glyph, two digits
    crop = Image.new("L", (160, 80), 255)
    draw = ImageDraw.Draw(crop)
    draw.ellipse((20, 15, 60, 70), outline=0, width=5)
    draw.ellipse((55, 15, 95, 70), outline=0, width=5)
    # WHEN it is read THEN it is both digits or nothing, never one digit for two
    read = read_digits(crop)
    assert read is None or read.digits == "00"


def _printed_digits(text: str, crop: Image.Image, x: int) -> int:
    """``text`` in the form's bold print at ``x`` on ``crop``; the x where it ends."""
    font = ImageFont.truetype(font_file(BOLD), 40)
    ImageDraw.Draw(crop).text((x, 15), text, font=font, fill=0)
    return x + round(font.getlength(text))


def test_a_digit_across_the_blank_side_is_read_whole_and_one_beside_the_blank_is_not_dropped():
    margin = 40
    # GIVEN "58" whose "8" crosses the blank's right side and ends before the margin does
    crop = Image.new("L", (2 * margin + 60, 80), 255)
    _printed_digits("58", crop, margin + 10)
    # THEN the blank reads "58", not "5" (nor nothing)
    read = read_digits(crop, margin)
    assert read is not None and read.digits == "58"
    # GIVEN "58" in the blank and a "9" wholly in the margin after it (the blank's box too short)
    crop = Image.new("L", (2 * margin + 50, 80), 255)
    end = _printed_digits("58", crop, margin + 5)
    _printed_digits("9", crop, end + 8)
    # THEN a whole number is not read (it would lose the "9"), the digits of a blank of
    # fixed length are (a lost digit leaves too few)
    assert read_digits(crop, margin) is None
    read = read_digits(crop, margin, whole=False)
    assert read is not None and read.digits == "58"


@pytest.mark.parametrize("seed", [3, 5, 8])
def test_a_day_tesseract_glued_between_its_words_is_read_or_blanked_never_guessed(seed):
    # GIVEN "Quảng Ngãi, ngày 17 tháng 01 năm 2025" printed at 200 dpi with the day written
    # by hand, which Tesseract read as one word "ngày4tháng" with low confidence
    dpi, rng = 200, random.Random(seed)
    page = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(font_file(REGULAR), 36)
    frame = Frame(0, 0, 1, page.width, page.height, dpi)
    words, x = [], 150
    for text in ["Quảng", "Ngãi,", "ngày", None, "tháng", "01", "năm", "2025"]:
        if text is None:
            end = handwrite(draw, "17", x + 10, 95, 40, rng, ink=0)
            x = round(end) + 15
            continue
        left, top, right, bottom = draw.textbbox((x, 100), text, font=font)
        draw.text((x, 100), text, font=font, fill=0)
        words.append(Word(text=text, box=frame.box((left, top, right, bottom)), confidence=96.0))
        x = right + 14
    glued = Word(text="ngày4tháng", box=(words[2].box[0], words[2].box[1], words[3].box[2], words[3].box[3]),
                 confidence=31.0)
    line = line_of([*words[:2], glued, *words[4:]])
    # WHEN the header's blanks are filled
    filled = fill(PageImage(page, dpi, frame), [line])[0]
    # THEN the day is the hand's "17", or blank for a clerk to fill: never Tesseract's "4"
    assert filled.text in ("Quảng Ngãi, ngày 17 tháng 01 năm 2025", "Quảng Ngãi, ngày tháng 01 năm 2025")
    day = [w for w in filled.words if w.text == "17"]
    assert all(w.handwritten for w in day)


@pytest.mark.parametrize(("written", "seed"), [("509", 4), ("37", 1), ("182", 2)])
def test_a_number_written_into_the_blank_of_a_scanned_form_is_read_or_left_blank(written, seed):
    # GIVEN a directive printed with its number's sequence left blank, the sequence written
    # in by hand, scanned at 200 dpi
    form = form_from_text(example_texts()["002_d2642929b84c508e"])
    form = dataclasses.replace(form, number=blank_number(form.number))
    page = scan_form(render_form(form), Artefacts(seal=None, stamp=None, handwritten_number=written), dpi=200,
                     seed=seed, pages=[0])
    # WHEN it goes through the OCR stage and the parser
    directive = parse_directive(extract(images_pdf(page, dpi=200), get_settings().ocr).text)
    # THEN the number is the one written by hand, joined to the printed symbol, or its
    # sequence is left blank (for a clerk to fill in): never other digits
    assert directive.number in (f"{written}/TB-UBND", "/TB-UBND")
    if written == "509":  # a clear hand: read
        assert directive.number == "509/TB-UBND"
