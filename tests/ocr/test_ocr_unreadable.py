"""Pages OCR cannot make sense of at first: a phone photo turned past a quarter turn on a
dark desk, read upside down, is turned the other way; one that stays unreadable is
flagged for review, never passed on as if its text were good."""

from __future__ import annotations

import pytest
from ocr_cer import cer
from ocr_inputs import save_images
from PIL import Image, ImageFilter

from services.ocr import orientation, tesseract
from services.ocr.app import summarise
from services.ocr.pipeline import extract
from vanthu.events import S3Record
from vanthu.settings import get_settings

DESK = 45  # the grey of a dark desk around the sheet


def photo(page: Image.Image, *, blur: float = 0.0) -> bytes:
    """``page`` photographed turned 92 degrees clockwise on a dark desk, as a JPEG."""
    turned = orientation.turn(page, 90).rotate(-2, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    if blur:
        turned = turned.filter(ImageFilter.GaussianBlur(blur))
    desk = Image.new("L", (turned.width + 300, turned.height + 300), DESK)
    desk.paste(turned, (150, 150))
    return save_images([desk], "JPEG", quality=85)


@pytest.fixture
def osd_wrong_then_unsure(monkeypatch):
    """Tesseract OSD that answers the wrong quarter turn first, then cannot tell."""
    answers = [tesseract.Orientation(rotate=90, confidence=20.0)]
    monkeypatch.setattr(tesseract, "detect_orientation", lambda image, **kwargs: answers.pop() if answers else None)


def test_photo_read_upside_down_is_read_the_other_way_up(scans, page_refs, options, osd_wrong_then_unsure):
    # GIVEN a phone photo of page 1 turned 92 degrees on a dark desk, which OSD turns the wrong way
    # WHEN it is extracted
    page = extract(photo(scans[0]), options).pages[0]
    # THEN the upside-down reading is retried the other way up, and that reading is kept
    assert page.rotation == 270 and page.warning is None
    assert page.confidence is not None and page.confidence > 85
    assert cer(page.text, page_refs[0]) < 0.03


def test_page_unreadable_either_way_up_goes_to_review(scans, options, osd_wrong_then_unsure):
    # GIVEN the same photo, out of focus: no way up reads well
    artifact = extract(photo(scans[0], blur=6), options)
    page = artifact.pages[0]
    # WHEN it is extracted  THEN the page says why its text cannot be trusted
    assert page.error is None and page.warning and "low confidence" in page.warning
    # AND the vanthu.text event flags the document and names the page for review
    record = S3Record.model_validate(
        {"eventName": "s3:ObjectCreated:Put", "s3": {"bucket": {"name": "incoming"}, "object": {"key": "photo.jpg"}}}
    )
    event = summarise(record, artifact, get_settings())
    assert event.low_confidence and event.review_pages == [1] and event.failed_pages == []
