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

from examples.form import BOLD, blank_number, font_file, render_form
from examples.render import example_texts, form_from_text
from examples.scan import Artefacts, handwrite, images_pdf, scan_form
from services.ocr.handwriting import read_digits
from services.ocr.pipeline import extract
from services.parse.parser import parse_directive
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
    assert len(read) >= 0.25 * len(cases)
    assert len(wrong) <= 0.02 * len(cases), wrong


@pytest.mark.parametrize("what", ["letters", "seal arc", "rule", "nothing", "touching"])
def test_what_is_not_surely_digits_is_not_read(what):
    crop = Image.new("L", (160, 80), 255)
    draw = ImageDraw.Draw(crop)
    if what == "letters":  # "ngày"'s tail and the like
        draw.text((10, 10), "yn", font=ImageFont.truetype(font_file(BOLD), 48), fill=0)
    elif what == "seal arc":
        draw.arc((-60, -100, 200, 160), 200, 260, fill=0, width=4)
    elif what == "rule":  # the line under the issuer's name, above an empty blank
        draw.line((0, 8, 160, 8), fill=0, width=3)
    elif what == "touching":  # "00" written in one stroke: one glyph, two digits
        draw.ellipse((20, 15, 60, 70), outline=0, width=5)
        draw.ellipse((55, 15, 95, 70), outline=0, width=5)
    assert read_digits(crop) is None


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
