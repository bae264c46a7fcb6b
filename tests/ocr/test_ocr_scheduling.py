"""How pages flow through the worker pool."""

from __future__ import annotations

import threading

from ocr_inputs import DPI

from examples.render import images_pdf
from ocr_cer import cer
from services.ocr import pipeline, raster, tesseract


def test_pages_are_rasterised_only_when_a_worker_is_free(scans, fake, monkeypatch):
    # GIVEN a six-page scan, two workers, and a Tesseract that takes a moment per page
    data = images_pdf((scans * 3)[:6], dpi=DPI)
    options = fake("blank", workers=2)
    live, peak, lock = 0, 0, threading.Lock()
    render, recognise = raster.PdfPages.image, tesseract.recognise

    def counted_render(self, number):
        nonlocal live, peak
        with lock:
            live += 1
            peak = max(peak, live)
        return render(self, number)

    def counted_recognise(*args, **kwargs):
        nonlocal live
        try:
            return recognise(*args, **kwargs)
        finally:
            with lock:
                live -= 1

    monkeypatch.setattr(raster.PdfPages, "image", counted_render)
    monkeypatch.setattr(pipeline.tesseract, "recognise", counted_recognise)
    # WHEN it is extracted
    artifact = pipeline.extract(data, options)
    # THEN every page was read, and never more page images existed than workers
    assert [p.number for p in artifact.pages] == [1, 2, 3, 4, 5, 6]
    assert all(p.error is None and p.text == "" for p in artifact.pages)
    assert peak == 2


def test_a_documents_last_pages_are_shared_out_in_bands(scans, page_refs, options, monkeypatch):
    # GIVEN a three-page scan, two workers, and a record of which thread reads what
    data = images_pdf([*scans, scans[-1]][:3], dpi=DPI)
    refs = [*page_refs, page_refs[-1]][:3]
    reads: list[tuple[str, int]] = []
    recognise = tesseract.recognise

    def recorded(image, **kwargs):
        reads.append((threading.current_thread().name, image.height))
        return recognise(image, **kwargs)

    monkeypatch.setattr(pipeline.tesseract, "recognise", recorded)
    # WHEN it is extracted
    artifact = pipeline.extract(data, options)
    # THEN page 1 is read whole, pages 2 and 3 in two bands each, by both threads,
    # and every page reads as accurately as the others
    assert len(reads) == 1 + 2 + 2
    assert len({thread for thread, _ in reads[1:]}) == 2
    assert all(p.error is None for p in artifact.pages)
    assert [cer(p.text, ref) < 0.01 for p, ref in zip(artifact.pages, refs, strict=True)] == [True] * 3
