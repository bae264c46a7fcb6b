"""What of a page goes to Tesseract: the text area, despeckled, and bands read concurrently."""

from __future__ import annotations

import contextlib
import dataclasses
import io

import pypdfium2
import pytest
from ocr_inputs import DPI
from ocr_cer import cer
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from examples.render import _register_font, page_images, text_pdf
from services.ocr import layout, pipeline, regions, tesseract
from services.ocr.geometry import Frame
from services.ocr.raster import PageImage
from services.ocr.tesseract import Recognition
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import Line

MAX_OCR_CER = 0.01


def read(image: Image.Image, dpi: int | None = DPI) -> Recognition:
    return tesseract.recognise(image, language="vie", dpi=dpi, timeout=60)


def prepared(image: Image.Image) -> PageImage:
    return layout.prepare(PageImage(image, DPI))


def arranged(lines: list[Line], frame: Frame) -> str:
    """The page's text as the pipeline makes it of ``lines`` (in page points) on the page of
    ``frame``: arranged in the form's regions (a two-column header read column by column)."""
    width, height = frame.size
    return regions.page_text(regions.arrange(lines, [], width=width, height=height, first_page=True).blocks)


def two_column_page(lines: list[str]) -> Image.Image:
    """A 300 dpi A4 page with ``lines`` printed twice, side by side in two columns."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=True)
    pdf.setFont(_register_font(), 11)
    for i, line in enumerate(lines):
        for x in (72, 310):
            pdf.drawString(x, 770 - 16 * i, line)
    pdf.save()
    doc = pypdfium2.PdfDocument(buf.getvalue())
    try:
        return doc[0].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        doc.close()


def test_text_area_is_cropped_scaled_and_read_alike(scans, page_refs):
    # GIVEN a scanned page with margins, its 13 pt text larger at 300 dpi than Tesseract needs
    page = scans[0]
    # WHEN it is prepared for Tesseract
    area = prepared(page)
    # THEN it is scaled down, but not below 150 dpi, and its margins are gone
    assert 150 <= area.dpi < 0.9 * DPI
    scale = area.dpi / DPI
    assert area.image.width < page.width * scale * 0.85 and area.image.height < page.height * scale * 0.95
    # ... but no text: it reads as accurately as the whole page
    assert area.frame is not None
    assert cer(arranged(area.frame.lines(read(area.image, area.dpi).lines), area.frame), page_refs[0]) < MAX_OCR_CER


def prepared_dpi(source_text: str, *, dpi: int, font_size: float, leading: float) -> int | None:
    """The resolution layout.prepare gives the first page of ``source_text`` scanned at ``dpi``."""
    scan = page_images(text_pdf(source_text, font_size=font_size, leading=leading), dpi=dpi)[0]
    return layout.prepare(PageImage(scan, dpi)).dpi


def test_text_of_portal_scan_size_is_not_scaled(source_text):
    # GIVEN a page of 13 pt text scanned at 200 dpi, as provincial portals publish them
    # WHEN it is prepared for Tesseract
    # THEN it keeps its resolution: the text is no larger than Tesseract needs
    assert prepared_dpi(source_text, dpi=200, font_size=13, leading=1.35) == 200


def test_tight_lines_are_not_taken_for_large_text(source_text):
    # GIVEN the same 11 pt text scanned at 300 dpi, once with single-spaced lines whose
    # diacritics touch the line above, once with loose ones
    # WHEN each is prepared for Tesseract
    tight = prepared_dpi(source_text, dpi=300, font_size=11, leading=1.1)
    loose = prepared_dpi(source_text, dpi=300, font_size=11, leading=1.5)
    # THEN both are scaled alike: the text size is measured, not the line spacing
    assert tight is not None and loose is not None
    assert abs(tight - loose) <= 0.1 * loose


def test_dust_is_lightened_at_300_dpi_only():
    # GIVEN a blank page with isolated black specks of dust
    page = Image.new("L", (2480, 3508), 255)
    for x, y in ((400, 500), (1200, 1700), (2000, 3000)):
        page.putpixel((x, y), 0)
    # WHEN it is prepared at 300 dpi, and at 150 dpi
    at_300 = layout.prepare(PageImage(page, 300)).image
    at_150 = layout.prepare(PageImage(page, 150)).image
    # THEN a page without text is left whole; at 300 dpi the specks become too light
    # to be ink, at 150 dpi (where strokes are a pixel or two wide) nothing is blurred
    assert at_300.size == at_150.size == page.size
    assert at_300.getextrema()[0] > 160
    assert at_150.getextrema()[0] == 0


def test_two_bands_read_like_the_whole_page(scans, page_refs):
    # GIVEN a prepared scanned page of about forty lines
    prepared_page = prepared(scans[1])
    page, dpi = prepared_page.image, prepared_page.dpi
    # WHEN it is cut into two bands, each read on its own, and the readings joined
    bands = layout.split(page, 2)
    frame = prepared_page.frame
    assert frame is not None
    readings = [read(band, dpi) for band in bands.images]
    # (the pipeline puts each band's lines in page points before joining them)
    in_points = [dataclasses.replace(r, lines=frame.moved(0, top).lines(r.lines)) for r, top in zip(readings, bands.tops)]
    joined = layout.join(in_points, bands.joins)
    whole = read(page, dpi)
    # THEN the cut falls near the middle, and the joined reading says what the whole page says
    assert len(bands.images) == 2 and bands.tops == [0, bands.images[0].height]
    assert sum(band.height for band in bands.images) == page.height
    assert 0.3 < bands.images[0].height / page.height < 0.7
    assert cer(joined.text, whole.text) < 0.005
    assert cer(arranged(joined.lines, frame), page_refs[1]) < MAX_OCR_CER
    assert abs(joined.words - whole.words) <= 3


def test_page_without_a_blank_gap_near_the_middle_is_not_cut(scans):
    # GIVEN a page with a vertical rule through its middle third, so no row there is blank
    page = prepared(scans[1]).image.copy()
    ImageDraw.Draw(page).rectangle((10, page.height // 3, 16, 2 * page.height // 3), fill=0)
    # WHEN it is split in two
    bands = layout.split(page, 2)
    # THEN it stays whole
    assert bands.images == [page] and bands.joins == []


def test_page_with_little_text_is_not_cut(scans):
    # GIVEN the top few lines of a page
    page = prepared(scans[1]).image
    top = page.crop((0, 0, page.width, page.height // 12))
    # WHEN it is split in two
    # THEN it stays whole: a second Tesseract process would cost more than it saves
    assert layout.split(top, 2).images == [top]


def test_lines_in_columns_are_not_cut(source_text):
    # GIVEN a page whose text runs in two columns side by side
    lines = [line[:40] for line in source_text.splitlines() if len(line) > 40][:30]
    page = two_column_page(lines)
    # WHEN it is split in two
    # THEN it stays whole: bands would interleave the columns' reading order
    assert layout.split(page, 2).images == [page]


def test_joined_reading_weighs_confidence_by_words():
    # GIVEN the readings of three bands, the middle one blank, the last after a paragraph break
    readings = [Recognition("Điều 1.\nThi hành", 90.0, 3), Recognition("", None, 0), Recognition("ngay.", 60.0, 1)]
    # WHEN they are joined
    joined = layout.join(readings, ["\n", "\n\n"])
    # THEN the texts follow each other, the blank band adds nothing, and each word counts once
    assert joined.text == "Điều 1.\nThi hành\n\nngay."
    assert joined.words == 4
    assert joined.confidence == pytest.approx((90 * 3 + 60) / 4)


def test_last_page_is_read_in_bands(png_bytes, page_refs, options, monkeypatch):
    # GIVEN a one-page scan, two workers, and a count of Tesseract readings
    calls: list[int] = []
    recognise = tesseract.recognise

    def counted(image, **kwargs):
        calls.append(image.height)
        return recognise(image, **kwargs)

    monkeypatch.setattr(pipeline.tesseract, "recognise", counted)
    # WHEN it is extracted
    page = pipeline.extract(png_bytes, options).pages[0]
    # THEN its two halves were read by two processes and the page reads accurately
    assert len(calls) == 2
    assert page.error is None and page.confidence is not None and page.confidence > 85
    assert cer(page.text, page_refs[0]) < MAX_OCR_CER


def test_one_failed_band_fails_the_page(png_bytes, fake, monkeypatch, tmp_path):
    # GIVEN a Tesseract that reads the first band of a page and crashes on the second
    monkeypatch.setenv("FAKE_TESSERACT_STATE", str(tmp_path))
    options = fake("crash_after_first")
    # WHEN a one-page scan is extracted
    with pytest.raises(DocumentError) as caught:
        pipeline.extract(png_bytes, options)
    # THEN the page fails with the crash, and with it the document
    assert caught.value.reason == FailureReason.OCR_FAILED
    assert "exit status 1" in caught.value.message


@pytest.mark.parametrize("others", [0, 1])
def test_a_page_is_cut_into_bands_only_when_no_other_document_is_being_read(scans, page_refs, monkeypatch, others):
    # GIVEN a one-page scan, a process of two Tesseract slots, and ``others`` other
    # documents being read in that process meanwhile
    buffer = io.BytesIO()
    scans[1].save(buffer, format="PNG", dpi=(DPI, DPI))
    calls: list[int] = []
    recognise = pipeline.tesseract.recognise

    def counted(image, **kwargs):
        calls.append(image.height)
        return recognise(image, **kwargs)

    monkeypatch.setattr(pipeline.tesseract, "recognise", counted)
    options = pipeline.OcrOptions(workers=2)
    slots = pipeline.Slots(2)
    # WHEN it is read
    with contextlib.ExitStack() as stack:
        for _ in range(others):
            stack.enter_context(slots.reading())
        text = pipeline.extract(buffer.getvalue(), options, slots=slots).pages[0].text
    # THEN alone, its page is read in two bands by both cores at once; beside another
    # document, whole, by one (the other document's pages keep the other core busy);
    # either way the page reads right
    assert len(calls) == (2 if others == 0 else 1)
    assert cer(text, page_refs[1]) < MAX_OCR_CER
