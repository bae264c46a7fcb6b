"""Tesseract misbehaving, simulated by the wrapper scripts in tests/ocr/fakes."""

from __future__ import annotations

import time

import pytest

from services.ocr.pipeline import extract
from vanthu.errors import DocumentError, FailureReason


@pytest.mark.parametrize(
    ("fake_name", "message"),
    [("crash", "exit status 1"), ("segfault", "killed by signal 11"), ("silent", "no output")],
)
def test_every_page_failing_fails_the_document(png_bytes, fake, fake_name, message):
    # GIVEN a Tesseract that crashes, segfaults or prints nothing
    options = fake(fake_name)
    # WHEN a one-page scan is extracted
    with pytest.raises(DocumentError) as caught:
        extract(png_bytes, options)
    # THEN the document fails as OCR_FAILED, saying why
    assert caught.value.reason == FailureReason.OCR_FAILED
    assert message in caught.value.message


def test_hung_tesseract_is_killed_at_the_page_timeout(png_bytes, fake):
    # GIVEN a Tesseract that never finishes and a 1 s page timeout
    options = fake("hang", page_timeout_s=1)
    started = time.monotonic()
    # WHEN a one-page scan is extracted
    with pytest.raises(DocumentError) as caught:
        extract(png_bytes, options)
    # THEN it is killed after the timeout and the document fails
    assert time.monotonic() - started < 10
    assert caught.value.reason == FailureReason.OCR_FAILED
    assert "timed out" in caught.value.message


def test_one_failed_page_keeps_the_others(scan_pdf_bytes, fake, monkeypatch, tmp_path):
    # GIVEN a Tesseract that hangs on the first page it gets and works on the others
    monkeypatch.setenv("FAKE_TESSERACT_STATE", str(tmp_path))
    options = fake("hang_once", page_timeout_s=8)
    # WHEN a two-page scan is extracted
    artifact = extract(scan_pdf_bytes, options)
    # THEN one page carries the timeout, the other its text
    failed = [p for p in artifact.pages if p.error]
    read = [p for p in artifact.pages if not p.error]
    assert len(failed) == 1 and "timed out" in failed[0].error and failed[0].text == ""
    assert len(read) == 1 and len(read[0].text) > 500


def test_missing_tesseract_is_not_blamed_on_the_document(png_bytes, fake):
    # GIVEN a tesseract_cmd that does not exist (a broken deployment)
    options = fake("does-not-exist")
    # WHEN a scan is extracted
    # THEN the error is not a DocumentError, so the message is retried rather than failed
    with pytest.raises(FileNotFoundError):
        extract(png_bytes, options)
