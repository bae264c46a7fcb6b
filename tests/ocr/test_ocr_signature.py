"""The signer's name is read even when a seal and a signature cover the space above it.

Tesseract's page segmentation takes a seal and a signature for a picture and drops the
name printed under them; the OCR stage reads that strip again (services/ocr/signature.py).
The page is the real form (examples/form.py) scanned with a seal over the title and the
name, as seals often land (examples/scan.py); a signature block drawn alone, for what a
seal's rim and a red name stamp do to the name's line; or a real scan's signature page
(../shared/corpus/pdfs).
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from examples.form import BOLD, font_file, render_form
from examples.render import example_texts, form_from_text
from examples.scan import BLUE, RED, Artefacts, images_pdf, scan_form, seal
from services.ocr import geometry, raster
from services.ocr.pipeline import extract
from services.ocr.signature import _name_in, looks_like_name, with_name
from services.parse.parser import parse_directive
from vanthu.events import Line, Word
from vanthu.normalize import fold
from vanthu.settings import get_settings

SIGNER = "Chu Thị Hồng Loan"  # sample 002's signer


@pytest.mark.parametrize("mode", ["grey", "colour"])
def test_the_name_under_a_seal_is_read(mode):
    # GIVEN the last page of a directive scanned at 200 dpi with a red seal and a blue
    # signature over its signature block
    drawn = render_form(form_from_text(example_texts()["002_d2642929b84c508e"]))
    page = scan_form(drawn, Artefacts(seal="over", stamp=None, mode=mode), dpi=200, seed=3, pages=[-1])
    # WHEN it goes through the OCR stage and the parser
    text = extract(images_pdf(page, dpi=200), get_settings().ocr).text
    # THEN the signer is named as printed
    assert parse_directive(text).signer.name == SIGNER


def test_the_name_under_a_seal_s_ring_on_grey_scans_is_read_and_never_misread():
    # GIVEN the last page of a directive scanned in grey at 200 dpi eight times, the seal's
    # ring (mid grey, about where ink begins) across the title and the name each time elsewhere
    drawn = render_form(form_from_text(example_texts()["002_d2642929b84c508e"]))
    names = []
    for seed in range(1, 9):
        page = scan_form(drawn, Artefacts(seal="over", stamp=None, mode="grey"), dpi=200, seed=seed, pages=[-1])
        # WHEN each goes through the OCR stage and the parser
        names.append(parse_directive(extract(images_pdf(page, dpi=200), get_settings().ocr).text).signer.name)
    # THEN the signer is named as printed on most, and on none wrongly
    assert set(names) <= {SIGNER, None}, names
    assert names.count(SIGNER) >= 6, names


@pytest.mark.parametrize("name", ["Mai Sơn", "Đào Mỹ"])
def test_a_two_word_name_under_a_seal_on_grey_scans_is_read(name):
    # GIVEN the last page of a directive signed by someone with a two-word name, scanned in
    # grey at 200 dpi four times with the seal over the title and the name
    form = dataclasses.replace(form_from_text(example_texts()["002_d2642929b84c508e"]), signer=name)
    drawn = render_form(form)
    names = []
    for seed in range(1, 5):
        page = scan_form(drawn, Artefacts(seal="over", stamp=None, mode="grey"), dpi=200, seed=seed, pages=[-1])
        # WHEN each goes through the OCR stage and the parser
        names.append(parse_directive(extract(images_pdf(page, dpi=200), get_settings().ocr).text).signer.name)
    # THEN the signer is named on each
    assert names == [name] * 4, names


def test_a_title_and_name_under_a_seal_are_read_without_an_authority_line():
    # GIVEN a directive signed by the chairman in his own right ("CHỦ TỊCH", no "TM."/"KT."
    # line above it), scanned in colour with the red seal over the title and the name:
    # the page reading loses the whole signature block
    form = form_from_text(example_texts()["002_d2642929b84c508e"])
    form = dataclasses.replace(form, authority=[], title="CHỦ TỊCH")
    page = scan_form(render_form(form), Artefacts(seal="over", stamp=None, mode="colour"), dpi=200, seed=3,
                     pages=[-1])
    # WHEN it goes through the OCR stage and the parser
    signer = parse_directive(extract(images_pdf(page, dpi=200), get_settings().ocr).text).signer
    # THEN the signer is named, with the title
    assert (signer.title, signer.name) == ("CHỦ TỊCH", SIGNER)


@pytest.mark.parametrize(("text", "name"), [
    ("Chu Thị Hồng Loan", True),
    ("Nguyễn Văn An", True),
    ("Hồng Loan", False),  # cut by a stroke: too short to be taken from a noisy strip
    ("Mai Sơn", True),  # two words, a family name first
    ("Tang Đông", False),  # "Tạ Quang Đông" cut: "Tang" is no family name as spelled ("Tăng" is)
    ("PHÓ CHÁNH VĂN PHÒNG", False),
    ("Chu TRÍ Hồng Loan", False),
    ("Chu Thị 3ồng Loan", False),
])
def test_only_a_whole_name_is_taken(text, name):
    assert looks_like_name(text) is name


_DPI = 300
_PT = _DPI / 72  # pixels per point
_BLOCK = [  # the page reading's signature block, in points: "KT. CỤC TRƯỞNG" / "PHÓ CỤC TRƯỞNG"
    [("KT.", (330, 40, 350, 53)), ("CỤC", (353, 40, 380, 53)), ("TRƯỞNG", (383, 40, 440, 53))],
    [("PHÓ", (330, 56, 360, 69)), ("CỤC", (363, 56, 390, 69)), ("TRƯỞNG", (393, 56, 450, 69))],
]


def _drawn_page(texts: list[tuple[str, float, float, tuple[int, int, int], str]], *, colour: bool = True,
                seal_at: tuple[float, float] | None = None,
                pen: list[tuple[float, float]] | None = None, bilevel: bool = False) -> raster.PageImage:
    """The top of an A4 page at 300 dpi with ``texts`` printed in 13 pt bold: (text, x, y of the
    baseline in points, ink, Pillow anchor); a red seal centred at ``seal_at`` (points); a
    blue pen's stroke through the points ``pen``, laid over the print as ink is; scanned
    ``bilevel``, in black and white, where the seal is as black as the print."""
    size = (round(595 * _PT), round(300 * _PT))
    image = Image.new("RGB", size, "white")
    draw, font = ImageDraw.Draw(image), ImageFont.truetype(font_file(BOLD), round(13 * _PT))
    for text, x, y, ink, anchor in texts:
        draw.text((x * _PT, y * _PT), text, font=font, fill=ink, anchor=anchor)
    if seal_at is not None:
        seal(image, (seal_at[0] * _PT, seal_at[1] * _PT), 46 * _PT, "TRƯỜNG ĐẠI HỌC CÔNG THƯƠNG")
    if pen is not None:
        stroke = Image.new("RGB", size, "white")
        ImageDraw.Draw(stroke).line([(x * _PT, y * _PT) for x, y in pen], fill=BLUE, width=round(2 * _PT), joint="curve")
        image = ImageChops.multiply(image, stroke)
    grey = image.convert("L")
    if bilevel:
        grey = grey.point(lambda v: 255 if v > 150 else 0)
    return raster.PageImage(grey, _DPI, frame=geometry.Frame(0, 0, 1.0, *size, _DPI),
                            colour_of=(lambda: image) if colour and not bilevel else None)


def _read_as_drawn(texts: list[tuple[str, float, float]]) -> list[Line]:
    """The page reading of ``texts`` drawn by :func:`_drawn_page` (text, x, baseline y in
    points), each word where the font puts it: what Tesseract gives when it reads them."""
    font, lines = ImageFont.truetype(font_file(BOLD), round(13 * _PT)), []
    for text, x, y in texts:
        words = []
        for word in text.split():
            left, top, right, bottom = font.getbbox(word, anchor="ls")
            words.append(Word(text=word, box=(x + left / _PT, y + top / _PT, x + right / _PT, y + bottom / _PT),
                              confidence=95))
            x += font.getlength(word + " ") / _PT
        lines.append(geometry.line_of(words))
    return lines


def _signature_page(before_name: tuple[int, int, int], *, colour: bool) -> raster.PageImage:
    """A page whose signature block has "Phạm Huy Nam Sơn" printed under the title (the page
    reading missed it) and, just before it on its line, the word "Tân" in ``before_name``'s
    ink: a dark red for the seal's rim text where it crosses the name's line."""
    return _drawn_page([("Phạm Huy Nam Sơn", 360, 150, (0, 0, 0), "ls"), ("Tân", 355, 150, before_name, "rs")],
                       colour=colour)


def _names(page: raster.PageImage) -> list[str]:
    lines = [geometry.line_of([Word(text=t, box=b, confidence=95) for t, b in words]) for words in _BLOCK]
    found = with_name(page, lines, language=get_settings().ocr.language, timeout=30)
    return [ln.text for ln in found if looks_like_name(ln.text)]


def test_the_seals_rim_text_on_the_names_line_is_left_out():
    # GIVEN a page in colour where the seal's dark red rim text stands on the name's line
    page = _signature_page((120, 20, 30), colour=True)
    # WHEN the name is read again under the signature block
    # THEN it is the printed name alone: the red word is the seal's
    assert _names(page) == ["Phạm Huy Nam Sơn"]


@pytest.mark.parametrize(("ink", "colour"), [((120, 20, 30), False), ((0, 0, 0), True)])
def test_a_word_before_the_family_name_that_may_be_print_gives_no_name(ink, colour):
    # GIVEN a name's line with a word before its family name that cannot be told from
    # print: a grey scan, or the same black ink
    page = _signature_page(ink, colour=colour)
    # WHEN the name is read again under the signature block
    # THEN no name is taken: "Tân Phạm Huy Nam Sơn" may be debris and a name, or a cut one
    assert _names(page) == []


def _names_read(printed: list[tuple[str, float, float]], read: list[tuple[str, float, float]], *,
                colour: bool = False, pen: list[tuple[float, float]] | None = None,
                seal_at: tuple[float, float] | None = None, bilevel: bool = False) -> list[str]:
    """The name-like lines :func:`with_name` gives for a page with ``printed`` on it (and a
    blue ``pen`` stroke, a red seal at ``seal_at``, scanned ``bilevel``), whose page reading
    found ``read`` (its words where ``read``'s texts would be printed)."""
    page = _drawn_page([(text, x, y, (0, 0, 0), "ls") for text, x, y in printed], colour=colour, pen=pen,
                       seal_at=seal_at, bilevel=bilevel)
    found = with_name(page, _read_as_drawn(read), language=get_settings().ocr.language, timeout=30)
    return [ln.text for ln in found if looks_like_name(ln.text)]


def test_a_recipients_line_on_the_names_row_is_not_read_into_the_name():
    # GIVEN a closing whose "Nơi nhận" lines run long, one on the name's row, under an
    # authority line long enough to reach far left ("KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN"), and
    # whose page reading lost the name
    recipients = [("Nơi nhận:", 60, 53), ("- Phó TTg Chính phủ Nguyễn", 60, 90), ("- VPCP: BTCN, Trợ lý TTgTTCP;", 60, 150)]
    block = [("KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN", 230, 53), ("PHÓ THỦ TƯỚNG", 320, 69)]
    # WHEN the name is read again under the signature block
    names = _names_read([*recipients, *block, ("Phạm Thị Thanh Trà", 330, 150)], [*recipients, *block])
    # THEN it is the name alone: the recipients' words on its row are not part of it
    assert names == ["Phạm Thị Thanh Trà"]


def test_a_name_the_page_reading_garbled_is_read_again():
    # GIVEN a signature block whose page reading has the name with its family name garbled
    # by the seal's ring ("Nguểiễn Sỹ Hiệp": name-like, but no family name)
    block = [("KT. BỘ TRƯỞNG", 330, 53), ("THỨ TRƯỞNG", 335, 69)]
    # WHEN the block goes through the signature step
    names = _names_read([*block, ("Nguyễn Sỹ Hiệp", 340, 150)], [*block, ("Nguểiễn Sỹ Hiệp", 340, 150)])
    # THEN the name is the printed one
    assert names == ["Nguyễn Sỹ Hiệp"]


def test_a_two_word_name_opening_with_a_family_name_is_read_again():
    # GIVEN a signature block whose page reading lost the signer's name, a name of two words
    block = [("KT. CHỦ TỊCH", 340, 53), ("PHÓ CHỦ TỊCH", 335, 69)]
    # WHEN the name is read again under the signature block
    names = _names_read([*block, ("Mai Sơn", 365, 150)], block)
    # THEN it is the printed name
    assert names == ["Mai Sơn"]


def test_a_recipients_abbreviation_is_not_taken_for_the_authority():
    # GIVEN a closing whose "Nơi nhận" list runs below the signature block's authority line,
    # one entry naming the economic department by its abbreviation "KT" far enough right,
    # and whose page reading lost the name
    recipients = [("Nơi nhận:", 60, 53), ("- Như trên;", 60, 69),
                  ("- VPUB: CPVP, các phòng KT, KGVX, TH;", 60, 101), ("- Lưu: VT.", 60, 117)]
    block = [("TM. ỦY BAN NHÂN DÂN", 330, 53), ("CHỦ TỊCH", 370, 69)]
    # WHEN the name is read again under the signature block
    names = _names_read([*recipients, *block, ("Lê Hải Hòa", 365, 150)], [*recipients, *block])
    # THEN it is the printed name: the block is the one under "TM."
    assert names == ["Lê Hải Hòa"]


def test_a_blue_signature_across_the_name_is_read_through_on_a_page_in_colour():
    # GIVEN a page scanned in colour whose page reading lost the name under the title, a
    # blue signature's strokes running down through the name's letters
    block = [("KT. BỘ TRƯỞNG", 330, 53), ("THỨ TRƯỞNG", 335, 69)]
    pen = [(330 + 12 * i, 120 if i % 2 else 152) for i in range(10)]
    # WHEN the name is read again under the signature block
    names = _names_read([*block, ("Vũ Mạnh Hà", 345, 150)], block, colour=True, pen=pen)
    # THEN it is the printed name: the pen's ink is not read as letters
    assert names == ["Vũ Mạnh Hà"]


@pytest.mark.parametrize(("name", "seal_at"), [
    ("Phạm Minh Chính", (345, 112)), ("Bùi Thanh Sơn", (330, 112)), ("Trần Văn Hùng", (330, 112)),
    ("Đặng Quốc Khánh", (345, 112)),
])
def test_the_name_under_a_black_seal_s_rings_is_read_on_a_black_and_white_scan(name, seal_at):
    # GIVEN a page scanned in black and white whose page reading lost the name under the
    # title: the red seal came out as black as the print, its rings across the name
    block = [("KT. BỘ TRƯỞNG", 330, 53), ("THỨ TRƯỞNG", 335, 69)]
    # WHEN the name is read again under the signature block
    names = _names_read([*block, (name, 340, 150)], block, seal_at=seal_at, bilevel=True)
    # THEN it is the printed name: the rings are not read as letters
    assert names == [name]


def test_a_family_name_the_black_seal_s_rings_garble_gives_no_name():
    # GIVEN a page scanned in black and white with the seal's rings through the family name
    block = [("KT. BỘ TRƯỞNG", 330, 53), ("THỨ TRƯỞNG", 335, 69)]
    # WHEN the name is read again under the signature block ("Xếuyên Thanh Binl" as it comes out)
    names = _names_read([*block, ("Nguyễn Thanh Bình", 340, 150)], block, seal_at=(335, 102), bilevel=True)
    # THEN no name is taken rather than a wrong one
    assert names == []


@pytest.mark.parametrize(("printed", "taken"), [
    ("Nguyễn Quỳnh Thiện", True),
    ("Quỳnh Thiện Anh", False),  # no family name: may be the end of a cut name, or debris
])
def test_a_name_alone_across_from_the_recipients_is_read_when_it_opens_with_a_family_name(printed, taken):
    # GIVEN the last page of a directive whose signature block's title lines fell on the page
    # before: across from "Nơi nhận" only the name, which the page reading lost
    recipients = [("Nơi nhận:", 60, 53), ("- Như Điều 3;", 60, 69), ("- Lưu: VT.", 60, 85)]
    # WHEN the page goes through the signature step
    names = _names_read([*recipients, (printed, 340, 110)], recipients)
    # THEN a name opening with a family name is the signer's; another run of capitals is not taken
    assert names == ([printed] if taken else [])


def test_a_red_name_stamp_in_place_of_a_typed_name_is_read():
    # GIVEN a page in colour with no typed name: the title and the name are red rubber
    # stamps ("PHÓ HIỆU TRƯỞNG", "Thái Doãn Thanh") and the red seal is over the title
    page = _drawn_page([("KT. HIỆU TRƯỞNG", 340, 53, (0, 0, 0), "ls"), ("PHÓ HIỆU TRƯỞNG", 335, 69, RED, "ls"),
                        ("Thái Doãn Thanh", 360, 150, RED, "ls")], seal_at=(360, 80))
    authority = geometry.line_of([Word(text=t, box=b, confidence=95) for t, b in
                                  [("KT.", (340, 40, 360, 53)), ("HIỆU", (363, 40, 400, 53)), ("TRƯỞNG", (403, 40, 460, 53))]])
    # WHEN the name is read again under the signature block
    found = with_name(page, [authority], language=get_settings().ocr.language, timeout=30)
    # THEN the stamp's name is the signer's
    assert [ln.text for ln in found if looks_like_name(ln.text)] == ["Thái Doãn Thanh"]


# Real scans of ../shared/corpus/pdfs: the signature page only, the truth from its notes.
_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pdfs"


def _signature_page_of(stem: str, number: int) -> tuple[bytes, dict]:
    pdf = _CORPUS / f"{stem}.pdf"
    if not pdf.exists():
        pytest.skip(f"the real-document corpus is not at {_CORPUS}")
    source, single = pypdfium2.PdfDocument(pdf.read_bytes()), pypdfium2.PdfDocument.new()
    try:
        single.import_pages(source, [number - 1])
        out = io.BytesIO()
        single.save(out)
    finally:
        single.close()
        source.close()
    return out.getvalue(), json.loads((_CORPUS / "truth" / f"{stem}.json").read_text(encoding="utf-8"))["signer"]


@pytest.mark.parametrize(("stem", "number"), [
    # a portal's 87 dpi re-compressed JPEG, the red seal's rim over the name's first word
    ("813-HC-CNHC_2026", 2),
    # the red seal over "KT." and "PHÓ" of the title lines, which the page reading loses
    ("04-CT-UBND_2024_QuangNgai", 4),
])
def test_a_real_signature_block_under_a_seal_is_read(stem, number):
    # GIVEN the signature page of a real scan, a red seal over part of the block
    data, truth = _signature_page_of(stem, number)
    # WHEN it goes through the OCR stage and the parser
    signer = parse_directive(extract(data, get_settings().ocr).text).signer
    # THEN the authority, the title and the name are as printed
    assert (signer.authority, signer.title, signer.name) == (truth["authority"], truth["title"], truth["name"])


def test_a_red_name_stamp_that_cannot_be_read_gives_no_wrong_name():
    # GIVEN a signature page with no typed name: a red script-font name stamp under the
    # seal (753/KH-DCT), which Tesseract cannot read
    data, truth = _signature_page_of("753-KH-DCT_2026", 4)
    # WHEN it goes through the OCR stage and the parser
    signer = parse_directive(extract(data, get_settings().ocr).text).signer
    # THEN the name is the stamp's, or none: never a guess
    assert signer.name is None or fold(signer.name) == fold(truth["name"])


@pytest.mark.parametrize(("read", "name"), [
    ("Mạnh ?hị Tuyết Mai", "Mạnh Thị Tuyết Mai"),  # the "T"'s bar went with the ring it lay along
    ("Nguyễn Yhanh Bình", "Nguyễn Thanh Bình"),
    ("... Nguyễn Văn Khởi", "Nguyễn Văn Khởi"),  # a stroke's dots before the name are no word of it
    ("Nguyễn ?an Bình", None),  # no "h" after the stem: which letter it was cannot be told
    ("Nguyễn Xhị Hoa", None),  # an "X" is no stem left of a "T"
    ("Nguyệ« Quỳnh Thiện", "Nguyễn Quỳnh Thiện"),  # the ring took the last letter: one family name is that close
    ("Phan. Mạnh Cường", None),  # a whole family name the ring cut may be a "Phạm": no evidence
    ("'Ñ§guyễn Thị Bích Ngọc", "Nguyễn Thị Bích Ngọc"),  # specks the ring left inside the word
    ("Mạnh thị Tuyết Mai", "Mạnh Thị Tuyết Mai"),  # the middle name's capital lost its top
])
def test_a_name_read_where_the_seal_s_rings_were_taken_out_is_mended_only_where_a_stem_is_left(read, name):
    # GIVEN the strip's reading once a black-and-white seal's rings were taken out of it
    words, x = [], 340.0
    for text in read.split():
        words.append(Word(text=text, box=(x, 140.0, x + 8.0 * len(text), 153.0), confidence=80))
        x += 8.0 * len(text) + 4.0
    # WHEN the name is taken from it  THEN a "T" whose bar went with a ring is read back, nothing else
    found = _name_in(geometry.line_of(words), whole=True)
    assert (found.text if found else None) == name
