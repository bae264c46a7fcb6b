"""Extraction from every accepted input kind, checked against the source text."""

from __future__ import annotations

import hashlib
import io

import pytest
from ocr_cer import cer
from PIL import Image

from examples.render import images_pdf, page_images, reading_text
from services.ocr import lighting
from services.ocr.pipeline import extract
from services.ocr.raster import PageImage, PdfPages
from vanthu.events import TextArtifact

MAX_OCR_CER = 0.01  # the samples read at ~0.1-0.3%; 1% leaves room for Tesseract versions


def test_text_layer_pdf_is_read_without_ocr(text_pdf_bytes, source_text, page_refs, options):
    # GIVEN a born-digital PDF of a directive on the real form
    seen: list[tuple[int, int]] = []
    # WHEN it is extracted
    artifact = extract(text_pdf_bytes, options, progress=lambda done, total: seen.append((done, total)))
    # THEN every page comes from the text layer, verbatim and in reading order, and progress counted every page
    pages = len(page_refs)
    assert artifact.document_id == hashlib.sha256(text_pdf_bytes).hexdigest()
    assert artifact.media_type == "application/pdf"
    assert [p.source for p in artifact.pages] == ["text-layer"] * pages
    assert all(p.confidence is None and p.error is None for p in artifact.pages)
    assert cer(artifact.text, reading_text(source_text)) < 0.001
    assert seen == [(n, pages) for n in range(1, pages + 1)]


def test_text_layer_keeps_lines_whole_and_in_order(text_pdf_bytes, options):
    # GIVEN the sample's first page: a Party header (Guideline 36), its "Kính gửi" list, paragraphs
    # WHEN it is extracted
    text = extract(text_pdf_bytes, options).pages[0].text
    # THEN lines come out whole, the header's left column before its right one, paragraph breaks kept
    lines = text.splitlines()
    assert lines[:3] == ["TỈNH ỦY NAM ĐỊNH", "*", "Số 215-CV/TU"]
    assert "Về một số nhiệm vụ trọng tâm tăng\ncường công tác phòng, chống dịch" in text
    assert lines.index("hội trên địa bàn tỉnh") < lines.index("ĐẢNG CỘNG SẢN VIỆT NAM")
    assert lines.index("ĐẢNG CỘNG SẢN VIỆT NAM") < lines.index("Nam Định, ngày 14 tháng 6 năm 2021")
    assert "Kính gửi: - Các đảng đoàn, ban cán sự đảng;\n- Các sở, ban, ngành" in text
    assert "phòng, chống\ndịch, thực hiện thắng lợi" in text  # no break inside a paragraph
    assert "trọng tâm sau:\n\n1. Tiếp tục quán triệt" in text


def test_image_only_pdf_is_recognised(scan_pdf_bytes, page_refs, options):
    # GIVEN a two-page 300 dpi scan with skew, speckles and blur
    # WHEN it is extracted
    artifact = extract(scan_pdf_bytes, options)
    # THEN both pages are OCR'd in order, confidently and accurately
    assert [p.source for p in artifact.pages] == ["ocr", "ocr"]
    for page, ref in zip(artifact.pages, page_refs, strict=False):
        assert page.error is None and page.rotation == 0
        assert page.confidence is not None and page.confidence > 85
        assert cer(page.text, ref) < MAX_OCR_CER


def bilevel_pdf(image: Image.Image, dpi: int) -> bytes:
    """A one-page PDF of ``image`` in black and white (Pillow writes it CCITT G4 encoded)."""
    buf = io.BytesIO()
    image.point(lambda v: 255 if v > 150 else 0).convert("1").save(buf, format="PDF", resolution=dpi)
    return buf.getvalue()


@pytest.mark.parametrize(("dpi", "bilevel"), [(150, False), (200, True)])
def test_low_resolution_scan_is_read_at_its_own_resolution(text_pdf_bytes, page_refs, options, dpi, bilevel):
    # GIVEN an image-only PDF of a page scanned at 150 dpi in grey, or at 200 dpi in
    # black and white, as portals publish them
    scan = page_images(text_pdf_bytes, dpi=dpi)[0]
    pdf = bilevel_pdf(scan, dpi) if bilevel else images_pdf([scan], dpi=dpi)
    # WHEN its page is taken for OCR, 300 dpi being the configured resolution, and extracted
    pages = PdfPages(pdf, options.dpi)
    image = pages.image(1)
    pages.close()
    # THEN the scan's own pixels are read, not an upsampling to 300 dpi, accurately
    assert options.dpi == 300 and image.dpi == dpi and image.image.size == scan.size
    assert cer(extract(pdf, options).pages[0].text, page_refs[0]) < MAX_OCR_CER


@pytest.mark.parametrize(
    ("fixture", "media_type", "pages"),
    [("png_bytes", "image/png", 1), ("jpeg_bytes", "image/jpeg", 1), ("tiff_bytes", "image/tiff", 2)],
)
def test_images_are_recognised(request, fixture, media_type, pages, page_refs, options):
    # GIVEN the scanned pages saved as an image file (the TIFF holds two pages)
    data = request.getfixturevalue(fixture)
    # WHEN it is extracted
    artifact = extract(data, options)
    # THEN its type is sniffed and every frame is read accurately
    assert artifact.media_type == media_type
    assert len(artifact.pages) == pages
    for page, ref in zip(artifact.pages, page_refs, strict=False):
        assert page.source == "ocr" and page.error is None
        assert cer(page.text, ref) < MAX_OCR_CER


@pytest.mark.parametrize("degrees", [90, 180])
def test_turned_page_is_turned_back(turned_pdf, degrees, page_refs, options):
    # GIVEN a scan fed into the copier turned `degrees` clockwise
    data = turned_pdf(degrees)
    # WHEN it is extracted
    page = extract(data, options).pages[0]
    # THEN the page was turned back before it was read
    assert page.rotation == (360 - degrees) % 360
    assert cer(page.text, page_refs[0]) < MAX_OCR_CER


def test_skewed_page_is_straightened(skewed_png, page_refs, options):
    # GIVEN a page scanned 3 degrees askew
    # WHEN it is extracted
    page = extract(skewed_png, options).pages[0]
    # THEN it reads as well as a straight one
    assert cer(page.text, page_refs[0]) < 0.005


def test_shaded_photo_is_evened_out(shaded_jpeg, page_refs, options):
    # GIVEN a page photographed with the light falling off to 35% in one corner
    # WHEN it is extracted
    page = extract(shaded_jpeg, options).pages[0]
    # THEN the dark corner reads like the rest: no text is lost to the shadow
    assert cer(page.text, page_refs[0]) < MAX_OCR_CER


def test_evenly_lit_scan_is_left_as_it_is(scans):
    # GIVEN a flatbed scan, its paper evenly white
    page = PageImage(scans[0], 300)
    # WHEN its lighting is evened out
    # THEN nothing is changed
    assert lighting.even(page) is page


def test_mixed_pdf_is_decided_page_by_page(mixed_pdf_bytes, page_refs, options):
    # GIVEN a born-digital page 1 and a scanned page 2
    # WHEN it is extracted
    artifact = extract(mixed_pdf_bytes, options)
    # THEN only the scanned page went to OCR, and the artifact says the source is mixed
    assert [p.source for p in artifact.pages] == ["text-layer", "ocr"]
    assert artifact.text_source == "mixed"
    for page, ref in zip(artifact.pages, page_refs, strict=False):
        assert cer(page.text, ref) < MAX_OCR_CER


def test_a_document_spooled_to_disk_gives_the_same_artifact(mixed_pdf_bytes, options, tmp_path):
    # GIVEN a text-layer page and a scanned one, read in memory, and read again with the
    # pages kept on disk and the artifact written to a file (the bulk lane's long documents)
    whole = extract(mixed_pdf_bytes, options)
    written = tmp_path / "artifact.json"
    spooled = extract(mixed_pdf_bytes, options, artifact_file=written)
    # THEN the file holds the same artifact, every page's layout included
    stored = TextArtifact.model_validate_json(written.read_bytes())

    def read(artifact: TextArtifact) -> list[tuple]:
        return [(p.number, p.source, p.text, p.blocks, p.aside, p.blanks, p.warning) for p in artifact.pages]

    assert read(stored) == read(whole) and len(stored.pages) == 2
    assert (stored.document_id, stored.signatures) == (whole.document_id, whole.signatures)
    # AND what comes back to the caller has the text and what is known of each page, not its words
    assert spooled.text == whole.text and [p.source for p in spooled.pages] == ["text-layer", "ocr"]
    assert all(not p.blocks and not p.aside for p in spooled.pages)
