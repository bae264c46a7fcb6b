"""Digits written by hand into the form's blanks are read, or left blank; never guessed.

The hand is the test renderer's (examples/scan.py: pen strokes through digit skeletons,
slanted and jittered), which the classifier never saw in training
(services/ocr/data/train_digits.py).
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from examples.form import BOLD, ITALIC, REGULAR, blank_number, font_file, render_form
from examples.render import example_texts, form_from_text
from examples.scan import Artefacts, handwrite, images_pdf, scan_form
from services.ocr.geometry import Frame, line_of
from services.ocr import line_reader
from services.ocr.handwriting import confirmed, fill, glyph_probabilities, read_agreed, read_digits, read_fused
from services.ocr.pipeline import extract
from services.ocr.raster import PageImage
from services.parse.parser import parse_directive
from services.parse.signings import day_support
from vanthu.events import Line, Word
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


def test_numbers_the_classifier_is_unsure_of_are_read_where_the_line_reader_reads_them_alike():
    # GIVEN the same 150 numbers written by hand
    rng = random.Random(11)
    cases = [("".join(rng.choice("0123456789") for _ in range(rng.choice([2, 3, 4]))), rng.uniform(35, 60))
             for _ in range(150)]
    # WHEN each is read by the classifier, and the line reader has its word on that reading
    readings = [(digits, confirmed(read_digits(crop), crop))
                for digits, crop in ((digits, _written(digits, rng, height)) for digits, height in cases)]
    # THEN most are read (the classifier alone reads under 80%), and still no more are wrong
    read = [(digits, r.digits) for digits, r in readings if r is not None]
    wrong = [pair for pair in read if pair[0] != pair[1]]
    assert len(read) >= 0.85 * len(cases)
    assert len(wrong) <= 0.02 * len(cases), wrong


def _numbers(seed: int, count: int) -> list[tuple[str, Image.Image]]:
    """``count`` numbers of 2 to 4 digits written by hand at 30 to 60 px high, each drawn as it is drawn."""
    rng = random.Random(seed)
    numbers = []
    for _ in range(count):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([2, 3, 4])))
        numbers.append((digits, _written(digits, rng, rng.uniform(30, 60))))
    return numbers


def test_a_number_the_classifier_reads_surely_and_wrongly_is_read_with_the_line_reader_or_left_blank():
    # GIVEN two numbers the classifier reads surely, and wrongly ("5081" for 5087, "0581" for 0584)
    confirmations = []
    for seed, index in ((102, 116), (104, 22)):
        digits, crop = _numbers(seed, index + 1)[index]
        read = read_digits(crop)
        assert read is not None and read.digits != digits
        # WHEN the line reader has its word
        confirmations.append((digits, confirmed(read, crop)))
    # THEN neither keeps the classifier's wrong digits: the two readers together read the
    # number right, or the blank is left for a clerk; and the "7" the line reader is sure of is read
    assert all(c is None or c.digits == digits for digits, c in confirmations), confirmations
    assert confirmations[0][1] is not None


def test_a_blank_two_readers_read_differently_is_left_blank(monkeypatch):
    # GIVEN a number the classifier alone is unsure of, which the line reader reads alike
    rng = random.Random(11)
    crop = next(c for c in (_written("".join(rng.choice("0123456789") for _ in range(3)), rng) for _ in range(200))
                if read_digits(c) is None and read_agreed(c) is not None)
    # WHEN the line reader reads other digits there
    agreed = read_agreed(crop)
    assert agreed is not None
    other = str((int(agreed.digits) + 1) % 1000).zfill(3)
    monkeypatch.setattr(line_reader, "read_line", lambda image: (other, 0.99))
    # THEN the blank is not read
    assert read_agreed(crop) is None


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


def test_the_ink_of_a_blank_weighs_the_written_day_above_every_other_day():
    # GIVEN days written by hand
    rng = random.Random(7)
    for day in (3, 15, 17, 22, 28):
        # WHEN the blank's ink is kept as each glyph's digit probabilities
        glyphs = glyph_probabilities(_written(f"{day:02d}", rng, 45))
        # THEN of all the days of a month, the written one is the likeliest
        support = {d: day_support(glyphs, d) for d in range(1, 32)}
        assert max(support, key=support.__getitem__) == day, (day, glyphs)


def test_a_day_whose_first_digit_touches_the_tail_of_ngay_still_weighs_for_its_day():
    # GIVEN days written by hand right after an italic "ngày", the first digit touching the y's tail
    font = ImageFont.truetype(font_file(ITALIC), 40)
    for seed, day in enumerate([11, 12, 14, 17, 19, 23]):
        crop = Image.new("L", (330, 110), 255)
        draw = ImageDraw.Draw(crop)
        draw.text((10, 30), "ngày", font=font, fill=0)
        printed_end = draw.textbbox((10, 30), "ngày", font=font)[2]
        end = handwrite(draw, f"{day:02d}", printed_end - 14, 25, 44, random.Random(seed), ink=0)
        # WHEN the blank's ink (from where "ngày" ends, as wide a margin either side) is kept
        glyphs = glyph_probabilities(crop.crop((0, 0, round(end) + 10 + printed_end, 110)), printed_end, most=2)
        # THEN the written day is still the likeliest of the month's days
        support = {d: day_support(glyphs, d) for d in range(1, 32)}
        assert max(support, key=support.__getitem__) == day, (day, glyphs)


def _day_line(draw: ImageDraw.ImageDraw, frame: Frame, rng: random.Random, *, label_over_digit: bool = False):
    """ "Quảng Ngãi, ngày 17 tháng 01 năm 2025" printed, the day written by hand, and the
    words Tesseract reads there: "ngày4tháng" glued with low confidence, or (``label_over_digit``)
    "ngày" whose box takes in the hand's first digit, then the rest of the hand as debris."""
    font = ImageFont.truetype(font_file(REGULAR), 36)
    words, x, hand = [], 150, (0, 0)
    for text in ["Quảng", "Ngãi,", "ngày", None, "tháng", "01", "năm", "2025"]:
        if text is None:
            hand = (x + 10, handwrite(draw, "17", x + 10, 95, 40, rng, ink=0))
            x = round(hand[1]) + 15
            continue
        left, top, right, bottom = draw.textbbox((x, 100), text, font=font)
        draw.text((x, 100), text, font=font, fill=0)
        words.append(Word(text=text, box=frame.box((left, top, right, bottom)), confidence=96.0))
        x = right + 14
    if not label_over_digit:
        glued = Word(text="ngày4tháng", box=(words[2].box[0], words[2].box[1], words[3].box[2], words[3].box[3]),
                     confidence=31.0)
        return line_of([*words[:2], glued, *words[4:]])
    middle = frame.box(((hand[0] + hand[1]) / 2, 100, hand[1], 140))[0]
    label = words[2].model_copy(update={"box": (words[2].box[0], words[2].box[1], middle, words[2].box[3]),
                                        "confidence": 80.0})
    debris = Word(text="⁄€", box=(middle, words[2].box[1], words[3].box[0] - 2, words[2].box[3]), confidence=40.0)
    return line_of([*words[:2], label, debris, *words[3:]])


def test_a_day_whose_first_digit_tesseract_took_into_the_label_is_read_whole():
    # GIVEN "ngày 17 tháng" with the day written by hand, whose "1" Tesseract took into "ngày"'s box
    dpi, rng = 200, random.Random(3)
    page = Image.new("L", (1700, 2200), 255)
    frame = Frame(0, 0, 1, page.width, page.height, dpi)
    line = _day_line(ImageDraw.Draw(page), frame, rng, label_over_digit=True)
    # WHEN the header's blanks are filled
    filled = fill(PageImage(page, dpi, frame), [line])[0][0]
    # THEN the day reads "17", not "7" nor blank
    assert filled.text == "Quảng Ngãi, ngày 17 tháng 01 năm 2025"


@pytest.mark.parametrize("seed", [3, 5, 8])
def test_a_day_tesseract_glued_between_its_words_is_read_or_blanked_never_guessed(seed):
    # GIVEN "Quảng Ngãi, ngày 17 tháng 01 năm 2025" printed at 200 dpi with the day written
    # by hand, which Tesseract read as one word "ngày4tháng" with low confidence
    dpi, rng = 200, random.Random(seed)
    page = Image.new("L", (1700, 2200), 255)
    frame = Frame(0, 0, 1, page.width, page.height, dpi)
    line = _day_line(ImageDraw.Draw(page), frame, rng)
    # WHEN the header's blanks are filled
    filled = fill(PageImage(page, dpi, frame), [line])[0][0]
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


def _grey_page() -> tuple[int, Image.Image, ImageDraw.ImageDraw, Frame, ImageFont.FreeTypeFont]:
    """A blank A4 page in grey at 200 dpi to draw a header line on: its dpi, image, pen,
    frame (image pixels are page points at that dpi) and the form's 36 px print."""
    dpi = 200
    page = Image.new("L", (1700, 2200), 255)
    return dpi, page, ImageDraw.Draw(page), Frame(0, 0, 1, page.width, page.height, dpi), \
        ImageFont.truetype(font_file(REGULAR), 36)


def _number_written_in_pieces(pieces: list[str], seed: int, *, symbol_gap: int = 14):
    """ "Số: <pieces> /QĐ-UBND" on a grey page, the pieces written by hand one after
    another: the page, its frame, the label's box, where the first piece starts and each
    ends, and the symbol's box (image pixels)."""
    dpi, page, draw, frame, font = _grey_page()
    label = draw.textbbox((150, 100), "Số:", font=font)
    draw.text((150, 100), "Số:", font=font, fill=0)
    rng = random.Random(seed)
    edges = [label[2] + 20]
    for piece in pieces:
        edges.append(handwrite(draw, piece, edges[-1], 95, 40, rng, ink=0))
    symbol = draw.textbbox((edges[-1] + symbol_gap, 100), "/QĐ-UBND", font=font)
    draw.text(symbol[:2], "/QĐ-UBND", font=font, fill=0)
    return PageImage(page, dpi, frame), frame, label, edges, symbol


def test_digits_tesseract_guessed_into_the_number_label_are_not_kept():
    # GIVEN "Số: 4214/BCA-C04" with the sequence written by hand, which Tesseract read as
    # one word "Số:2214/BCA-C04" with low confidence
    dpi, page, draw, frame, font = _grey_page()
    end = draw.textbbox((150, 100), "Số:", font=font)[2]
    draw.text((150, 100), "Số:", font=font, fill=0)
    after = handwrite(draw, "4214", end + 4, 95, 40, random.Random(1), ink=0)
    draw.text((after + 2, 100), "/BCA-C04", font=font, fill=0)
    box = frame.box((150, 95, draw.textbbox((after + 2, 100), "/BCA-C04", font=font)[2], 140))
    line = line_of([Word(text="Số:2214/BCA-C04", box=box, confidence=54.0)])
    # WHEN the header's blanks are filled
    filled = fill(PageImage(page, dpi, frame), [line])[0][0]
    # THEN the number is the hand's, or left blank after its label: never Tesseract's guess
    assert filled.text in ("Số: 4214 /BCA-C04", "Số: /BCA-C04"), filled.text


def test_digits_tesseract_read_with_doubt_into_the_symbol_s_word_go_with_an_unread_blank():
    # GIVEN "Số: 02124/QĐ-UBND" on a grey scan, the sequence written by hand, which Tesseract
    # read as "Số:" then, with doubt, "2124/QĐ-UBND": the hand's first digit alone before it
    page, frame, label, (_, second, _), symbol = _number_written_in_pieces(["0", "2124"], 5, symbol_gap=4)
    line = line_of([Word(text="Số:", box=frame.box(label), confidence=96.0),
                    Word(text="2124/QĐ-UBND", box=frame.box((second - 4, 95, symbol[2], 140)), confidence=45.0)])
    # WHEN the header's blanks are filled
    filled = fill(page, [line])[0][0]
    # THEN the number is the whole hand's, or left blank: never the "2124" Tesseract kept
    assert filled.text in ("Số: 02124 /QĐ-UBND", "Số: /QĐ-UBND"), filled.text


def _blue_number_page(written: str, seed: int, misread: str | None = None) -> tuple[PageImage, Line]:
    """ "Số: <written>/KH-BCA-C04" at 200 dpi in colour: the sequence written in blue ink, its
    last digit touching the printed "/", and the words Tesseract reads there: the label,
    then the last digit read into the symbol's word with low confidence ("9/KH-BCA-C04"),
    or (``misread``) other digits read with confidence before the symbol."""
    dpi = 200
    page = Image.new("RGB", (1700, 2200), "white")
    draw = ImageDraw.Draw(page)
    frame = Frame(0, 0, 1, page.width, page.height, dpi)
    font = ImageFont.truetype(font_file(REGULAR), 36)
    label = draw.textbbox((150, 100), "Số:", font=font)
    draw.text((150, 100), "Số:", font=font, fill=0)
    after = handwrite(draw, written, label[2] + 20, 95, 40, random.Random(seed))
    symbol = draw.textbbox((after - 6, 100), "/KH-BCA-C04", font=font)
    draw.text((after - 6, 100), "/KH-BCA-C04", font=font, fill=0)
    if misread:
        line = line_of([Word(text="Số:", box=frame.box(label), confidence=96.0),
                        Word(text=misread, box=frame.box((label[2] + 20, 95, after - 8, 140)), confidence=91.0),
                        Word(text="/KH-BCA-C04", box=frame.box(symbol), confidence=95.0)])
    else:
        line = line_of([Word(text="Số:", box=frame.box(label), confidence=96.0),
                        Word(text=f"{written[-1]}/KH-BCA-C04", box=frame.box((after - 30, 95, symbol[2], 140)),
                             confidence=48.0)])
    return PageImage(page.convert("L"), dpi, frame, colour_of=lambda: page), line


@pytest.mark.parametrize(("written", "seed"), [("589", 1), ("2388", 2), ("47", 3)])
def test_a_number_in_blue_ink_is_told_from_the_print_it_touches(written, seed):
    # GIVEN a number written in blue into the blank, touching the printed symbol, its last
    # digit read by Tesseract into the symbol's word
    page, line = _blue_number_page(written, seed)
    # WHEN the header's blanks are filled
    filled = fill(page, [line])[0][0]
    # THEN the whole number is read apart from the print, or left blank: never Tesseract's last digit alone
    assert filled.text in (f"Số: {written} /KH-BCA-C04", "Số: /KH-BCA-C04"), filled.text
    if written != "47":  # clear enough to read
        assert filled.text == f"Số: {written} /KH-BCA-C04"
    # AND on the same page in grey, the number is never read without its last digit
    grey = fill(PageImage(page.image, page.dpi, page.frame), [line])[0][0]
    assert all(w.text == written for w in grey.words if w.handwritten), grey.text


def test_a_round_zero_is_read_as_one_digit():
    # GIVEN the day "03" written with a round "0" (about as wide as it is high)
    crop = Image.new("L", (200, 90), 255)
    draw = ImageDraw.Draw(crop)
    draw.ellipse((20, 22, 62, 64), outline=0, width=5)
    _printed_digits("3", crop, 80)
    # WHEN it is read THEN it is "03", not blank
    read = read_digits(crop, whole=False)
    assert read is not None and read.digits == "03"


def test_a_short_printed_mark_beside_the_number_does_not_hide_it():
    # GIVEN "08" written into the blank and, in the margin after it, the printed "/" of the
    # symbol cut short by the crop's band (half the digits' height)
    margin = 40
    crop = Image.new("L", (2 * margin + 60, 90), 255)
    end = _printed_digits("08", crop, margin + 5)
    ImageDraw.Draw(crop).line((end + 24, 62, end + 25, 48), fill=0, width=4)
    # WHEN the whole number is read THEN it is "08"
    read = read_digits(crop, margin)
    assert read is not None and read.digits == "08"


@pytest.mark.parametrize(("written", "seed"), [("2388", 5), ("91", 6)])
def test_a_number_in_blue_on_a_colour_scan_is_read_from_the_pen_s_ink(written, seed):
    # GIVEN a directive scanned in colour whose only colour is the number written in blue
    # ballpoint into the blank (no seal, no stamp: too little colour to call the page coloured)
    form = form_from_text(example_texts()["002_d2642929b84c508e"])
    form = dataclasses.replace(form, number=blank_number(form.number))
    page = scan_form(render_form(form), Artefacts(seal=None, stamp=None, signature=False, handwritten_number=written,
                                                  mode="colour"), dpi=200, seed=seed, pages=[0])
    # WHEN it goes through the OCR stage and the parser
    directive = parse_directive(extract(images_pdf(page, dpi=200), get_settings().ocr).text)
    # THEN the number is the one written (its grey alone leaves these blank)
    assert directive.number == f"{written}/TB-UBND"


def test_digits_tesseract_read_with_confidence_give_way_to_the_pen_s_ink_read_otherwise():
    # GIVEN "5253" written in blue into the blank, which Tesseract read as "9263" with confidence
    page, line = _blue_number_page("5253", 4, misread="9263")
    # WHEN the header's blanks are filled
    filled = fill(page, [line])[0][0]
    # THEN the number is the pen's, or left blank: not Tesseract's misreading
    assert filled.text in ("Số: 5253 /KH-BCA-C04", "Số: /KH-BCA-C04"), filled.text


def _grey_number_line(written: str, seed: int, *, faint_last: bool = False, misread: str | None = None,
                      kerned: bool = False, underlined: bool = False, slash_in_blank: bool = False) -> tuple[PageImage, Line]:
    """ "Số: <written> /QĐ-UBND" at 200 dpi in grey, the sequence written by hand, and the
    words Tesseract reads there: the label, then the symbol with doubt (confidence 52).
    ``faint_last``: a last digit so faint that only its left arc shows, in the symbol's box.
    ``misread``: other digits read there with confidence, the symbol too. ``kerned``: the
    "/" set so close to the "Q" that they share columns. ``underlined``: the short rule
    under the issuer's name above the line, reaching over the blank from the right.
    ``slash_in_blank``: the symbol's box starts after its "/" (the blank then holds it)."""
    dpi, page, draw, frame, font = _grey_page()
    label = draw.textbbox((150, 100), "Số:", font=font)
    draw.text((150, 100), "Số:", font=font, fill=0)
    if underlined:
        draw.line((label[2] + 110, 90, label[2] + 460, 90), fill=0, width=3)
    after = handwrite(draw, written, label[2] + 20, 95, 40, random.Random(seed), ink=0)
    start = after + 14
    if faint_last:
        draw.arc((after + 4, 92, after + 30, 122), 110, 250, fill=0, width=3)
        start = after
    symbol = draw.textbbox((after + 40 if faint_last else start, 100), "/QĐ-UBND", font=font)
    if kerned:
        slash = draw.textbbox(symbol[:2], "/", font=font)
        draw.text(symbol[:2], "/", font=font, fill=0)
        draw.text((slash[2] - 3, symbol[1]), "QĐ-UBND", font=font, fill=0)
    else:
        draw.text(symbol[:2], "/QĐ-UBND", font=font, fill=0)
    read = [Word(text=misread, box=frame.box((label[2] + 20, 95, after, 140)), confidence=91.0)] if misread else []
    if slash_in_blank:
        start = draw.textbbox(symbol[:2], "/", font=font)[2] + 1
    line = line_of([Word(text="Số:", box=frame.box(label), confidence=96.0), *read,
                    Word(text="/QĐ-UBND", box=frame.box((start, *symbol[1:])), confidence=95.0 if misread else 52.0)])
    return PageImage(page, dpi, frame), line


def test_a_number_before_a_symbol_read_with_doubt_is_read_up_to_the_printed_slash():
    # GIVEN "51" written by hand, then the printed "/QĐ-UBND" that Tesseract read with doubt
    page, line = _grey_number_line("51", 2)
    # WHEN the header's blanks are filled THEN the number is read: the "/" closes it
    assert fill(page, [line])[0][0].text == "Số: 51 /QĐ-UBND"


def test_a_number_before_a_slash_kerned_into_the_next_letter_is_read():
    # GIVEN "51" written by hand, then the printed "/QĐ-UBND" whose "/" shares columns with
    # its "Q", read by Tesseract with doubt
    page, line = _grey_number_line("51", 2, kerned=True)
    # WHEN the header's blanks are filled THEN the number is read: the "/" still closes it
    assert fill(page, [line])[0][0].text == "Số: 51 /QĐ-UBND"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_faint_last_digit_in_the_symbol_s_box_leaves_the_number_blank(seed):
    # GIVEN "58" written by hand and a last digit so faint that only its arc shows, which
    # Tesseract took into the box of the symbol it read with doubt
    page, line = _grey_number_line("58", seed, faint_last=True)
    # WHEN the header's blanks are filled THEN the number is left blank, not read as "58"
    assert fill(page, [line])[0][0].text == "Số: /QĐ-UBND"


def test_digits_tesseract_read_with_confidence_are_dropped_when_the_ink_surely_reads_otherwise():
    # GIVEN "5528" written by hand on a grey scan, which Tesseract read as "0528" with confidence
    page, line = _grey_number_line("5528", 3, misread="0528")
    # WHEN the header's blanks are filled THEN the blank is left for a clerk: two readers disagree
    assert fill(page, [line])[0][0].text == "Số: /QĐ-UBND"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_number_under_the_rule_below_the_issuer_s_name_is_read(seed):
    # GIVEN "2003" written by hand under the short rule that ends the issuer's name, which
    # reaches over the blank from the right, and the symbol read with doubt
    page, line = _grey_number_line("2003", seed, underlined=True)
    # WHEN the header's blanks are filled THEN the rule is no digit's: the number is read
    assert fill(page, [line])[0][0].text == "Số: 2003 /QĐ-UBND"


def test_a_number_whose_blank_takes_in_the_printed_slash_is_read_up_to_it():
    # GIVEN "3565" written by hand three times, and the symbol's box starting after its "/",
    # so that the blank between the label and that box holds the printed "/" after the digits
    lines = [_grey_number_line("3565", seed, slash_in_blank=True) for seed in (1, 2, 3)]
    # WHEN the header's blanks are filled
    read = [fill(page, [line])[0][0].text for page, line in lines]
    # THEN the number is the hand's digits, the "/" none of them, or left blank; mostly read
    assert set(read) <= {"Số: 3565 /QĐ-UBND", "Số: /QĐ-UBND"}, read
    assert read.count("Số: 3565 /QĐ-UBND") >= 2, read


def test_digits_sharing_columns_are_read_as_their_own_strokes():
    # GIVEN a hand's "74" whose "7" reaches with its bar over the "4", the strokes apart
    crop = Image.new("RGB", (170, 90), "white")
    draw = ImageDraw.Draw(crop)
    handwrite(draw, "7", 20, 20, 50, random.Random(3), ink=(0, 0, 0))
    handwrite(draw, "4", 42, 22, 50, random.Random(4), ink=(0, 0, 0))
    grey = crop.convert("L")
    # WHEN the blank is read THEN it is the two digits, not one glyph no digit
    read = read_digits(grey)
    assert read is not None and read.digits == "74", read


def _character(probable: dict[int, float]) -> np.ndarray:
    """The line reader's probabilities of the digits for one character it read."""
    return np.array([probable.get(d, 0.0) for d in range(10)], dtype=np.float32)


def test_two_readers_that_each_doubt_a_different_digit_read_the_number_together(monkeypatch):
    # GIVEN a hand's "23" and a line reader that takes its "2" for an "8" (0.6, "2" 0.3) and
    # is sure of its "3"
    rng = random.Random(7)
    crop = next(c for c in (_written("23", rng) for _ in range(50)) if (r := read_digits(c)) and r.digits == "23")
    monkeypatch.setattr(line_reader, "read_digits", lambda image: [_character({8: 0.6, 2: 0.3}), _character({3: 0.97})])
    # WHEN the two read it together THEN it is "23": the classifier's sure "2" outweighs an unsure "8"
    fused = read_fused(crop)
    assert fused is not None and fused.digits == "23" and fused.checked
    # AND where the line reader reads a character more than the glyphs, they read nothing together
    monkeypatch.setattr(line_reader, "read_digits", lambda image: [_character({2: 0.9}), _character({3: 0.9}),
                                                                   _character({1: 0.9})])
    assert read_fused(crop) is None


def test_capitals_tesseract_read_from_the_hand_do_not_end_the_number_s_blank():
    # GIVEN "Số: 1617 /QĐ-UBND" with the sequence written by hand, which Tesseract read as
    # "16" with confidence, then "IFA" with doubt over the "17"
    page, frame, label, (start, middle, after), symbol = _number_written_in_pieces(["16", "17"], 2)
    line = line_of([Word(text="Số:", box=frame.box(label), confidence=96.0),
                    Word(text="16", box=frame.box((start, 95, middle, 140)), confidence=88.0),
                    Word(text="IFA", box=frame.box((middle, 95, after, 140)), confidence=31.0),
                    Word(text="/QĐ-UBND", box=frame.box(symbol), confidence=95.0)])
    # WHEN the header's blanks are filled
    filled = fill(page, [line])[0][0]
    # THEN the number is the whole hand's, or left blank: never the "16" before the capitals
    assert filled.text in ("Số: 1617 /QĐ-UBND", "Số: /QĐ-UBND"), filled.text


def test_print_after_the_digits_the_line_reader_read_a_slash_before_is_left_out(monkeypatch):
    # GIVEN a blank holding a hand's "3565" and, after it, the symbol's "/Q" set so close that
    # they are one glyph, no slash alone; the line reader reads "3565/Q"
    crop = Image.new("L", (330, 80), 255)
    draw = ImageDraw.Draw(crop)
    after = handwrite(draw, "3565", 8, 15, 45, random.Random(6), ink=0)
    font = ImageFont.truetype(font_file(REGULAR), 36)
    slash = draw.textbbox((after + 6, 22), "/", font=font)
    draw.text((after + 6, 22), "/", font=font, fill=0)
    draw.text((slash[2] - 4, 22), "Q", font=font, fill=0)
    monkeypatch.setattr(line_reader, "read_line", lambda image: ("3565/Q", 0.9))
    # WHEN the two readers read it THEN it is the hand's four digits
    agreed = read_agreed(crop)
    assert agreed is not None and agreed.digits == "3565", agreed


def test_digits_whose_strokes_thin_out_in_the_middle_are_read_whole():
    # GIVEN 3-digit numbers written by hand that the classifier reads, then the same with
    # a band across their middle written faintly (the pen's pressure let up: mid grey, not dark)
    rng = random.Random(5)
    cases = []
    for _ in range(40):
        digits = "".join(rng.choice("0123456789") for _ in range(3))
        crop = _written(digits, rng)
        if (read := read_digits(crop)) is None or read.digits != digits:
            continue
        pixels = np.array(crop)
        rows = np.flatnonzero((pixels < 128).any(axis=1))
        band = pixels[rows[0] + (rows[-1] - rows[0]) * 45 // 100:rows[0] + (rows[-1] - rows[0]) * 58 // 100]
        band[band < 160] = 160
        cases.append((digits, Image.fromarray(pixels)))
    # WHEN the faint ones are read
    readings = [(digits, read_digits(crop)) for digits, crop in cases]
    # THEN nearly all are still read, none wrong: a faint stroke joining dark ones is the glyph's
    assert len(cases) >= 30
    assert sum(r is not None and r.digits == digits for digits, r in readings) >= 0.9 * len(cases), readings
    assert all(r is None or r.digits == digits for digits, r in readings), readings


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_hand_s_digit_after_a_blank_cut_short_is_not_taken_for_the_printed_slash(seed):
    # GIVEN a hand's "02174" of which the blank holds only "021" (the symbol's box, read
    # with doubt, took in the "74"), the "7" a straight stroke with its bar
    margin = 100
    page = Image.new("L", (500, 80), 255)
    draw = ImageDraw.Draw(page)
    rng = random.Random(seed)
    middle = round(handwrite(draw, "021", margin + 8, 15, 45, rng, ink=0))
    end = handwrite(draw, "74", middle + 6, 15, 45, rng, ink=0)
    crop = page.crop((0, 0, middle + 3 + margin, page.height))
    assert end < crop.width - 5
    # WHEN the blank is read, to be closed by the printed "/"
    read = read_digits(crop, margin, whole=True, closed=True)
    # THEN the "7" is no slash: the number is not "021"
    assert read is None, read


def test_a_number_both_readers_read_alike_is_filled_in():
    # GIVEN 40 numbers of 2 to 4 digits written by hand into the blank of a grey scan, the
    # symbol after it read by Tesseract with doubt
    rng = random.Random(0)
    lines = [(written, *_grey_number_line(written, seed)) for seed in range(1, 41)
             for written in ["".join(rng.choice("0123456789") for _ in range(rng.choice([2, 3, 4])))]]
    # WHEN the header's blanks are filled
    read = [(written, fill(page, [line])[0][0].text) for written, page, line in lines]
    # THEN nearly every number is read (a reading the classifier is fairly sure of counts
    # when the line reader reads the same digits), and none wrong
    assert all(text in (f"Số: {written} /QĐ-UBND", "Số: /QĐ-UBND") for written, text in read), read
    assert sum(text == f"Số: {written} /QĐ-UBND" for written, text in read) >= 38, read
