"""The OCR stage's extraction pipeline: document bytes in, a TextArtifact out.

Stages are plain functions of one :class:`Context`, run in order by :func:`extract`:

1. ``identify``  -- size limits, content sniffing, the document id;
2. ``open_pages`` -- the page source (PDFium or Pillow) and, for PDFs, the text layer;
3. ``read_pages`` -- every page, in parallel: its text layer when usable, else OCR;
4. ``assemble``  -- the artifact, or OCR_FAILED when no page could be read.

Parallelism: ``options.workers`` threads each drive one Tesseract process at a time,
so the recognition runs one process per core. A thread takes the next page only when
it is free, under a lock that also serialises the non-thread-safe readers (PDFium,
pdfplumber, Pillow's frame seeking); at most ``workers`` page images exist at once.
The thread that takes a document's last page cuts it into ``workers`` bands (see
layout.split) and runs a process per band: otherwise the other cores would idle while
one reads that page, and a one-page document would use a single core.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from services.ocr import layout, orientation, pdf_text, raster, sniff, tesseract
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import PageText, TextArtifact
from vanthu.settings import OcrOptions

Progress = Callable[[int, int], None]


@dataclass
class Context:
    """What the stages share about one document."""

    data: bytes
    options: OcrOptions
    progress: Progress | None = None
    document_id: str = ""
    media_type: str = ""
    images: raster.PageImages | None = None
    text_layer: pdf_text.TextLayer | None = None
    pages: list[PageText] = field(default_factory=list)
    unreadable: set[int] = field(default_factory=set)  # pages whose bytes could not be decoded


def extract(data: bytes, options: OcrOptions, *, progress: Progress | None = None) -> TextArtifact:
    """The text of a PDF, PNG, JPEG or TIFF document, page by page.

    ``document_id`` is the sha256 of ``data``; ``data`` itself is never modified.
    ``progress(done, total)`` is called in the caller's thread after each page.

    Raises DocumentError for input that cannot be processed (EMPTY_FILE, TOO_LARGE,
    UNSUPPORTED_FORMAT, CORRUPT_FILE, ENCRYPTED, NO_PAGES, TOO_MANY_PAGES,
    IMAGE_TOO_LARGE, OCR_FAILED when no page could be read). A page that fails alone
    (Tesseract crash or timeout, undecodable page) carries ``error`` instead. Any
    other exception (Tesseract not installed, ...) is an environment problem, not the
    document's.
    """
    ctx = Context(data=data, options=options, progress=progress)
    identify(ctx)
    try:
        open_pages(ctx)
        read_pages(ctx)
    finally:
        if ctx.images is not None:
            ctx.images.close()
        if ctx.text_layer is not None:
            ctx.text_layer.close()
    return assemble(ctx)


def identify(ctx: Context) -> None:
    """Refuse oversized input, sniff the media type (refusing empty input), hash the bytes."""
    if len(ctx.data) > ctx.options.max_bytes:
        raise DocumentError(
            FailureReason.TOO_LARGE, f"{len(ctx.data)} bytes, over the {ctx.options.max_bytes} byte limit"
        )
    ctx.media_type = sniff.media_type(ctx.data)
    ctx.document_id = hashlib.sha256(ctx.data).hexdigest()


def open_pages(ctx: Context) -> None:
    """Open the page source and check the page count."""
    if ctx.media_type == sniff.PDF:
        _check_pdf_end(ctx.data)
        ctx.images = raster.PdfPages(ctx.data, ctx.options.dpi)
        ctx.text_layer = pdf_text.TextLayer(ctx.data)
    else:
        ctx.images = raster.ImageFrames(ctx.data)
    count = len(ctx.images)
    if count == 0:
        raise DocumentError(FailureReason.NO_PAGES, "the document has no pages")
    if count > ctx.options.max_pages:
        raise DocumentError(FailureReason.TOO_MANY_PAGES, f"{count} pages, over the {ctx.options.max_pages} page limit")


_PDF_EOF_WINDOW = 1024


def _check_pdf_end(data: bytes) -> None:
    """A PDF must end with ``%%EOF`` (in its last KiB, as Acrobat requires).

    PDFium repairs many truncated files by scanning for objects and would silently
    return the surviving pages; a cut-off upload should be refused instead.
    """
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise DocumentError(FailureReason.CORRUPT_FILE, "the PDF is truncated (no %%EOF at its end)")


def read_pages(ctx: Context) -> None:
    """Read every page with ``options.workers`` threads; results in page order.

    A DocumentError (or an unexpected exception) from any page stops the others
    after their current page and is raised here once every thread has finished, so
    that the page source is never closed under a running thread.
    """
    assert ctx.images is not None
    total = len(ctx.images)
    numbers = iter(range(1, total + 1))
    take = threading.Lock()
    stop = threading.Event()
    results: queue.Queue[PageText | BaseException] = queue.Queue()

    def work() -> None:
        while not stop.is_set():
            with take:
                started = time.perf_counter()
                number = next(numbers, None)
                if number is None:
                    return
                try:
                    page = _open_page(ctx, number, started)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    results.put(exc)
                    return
            try:
                if not isinstance(page, PageText):
                    bands = ctx.options.workers if number == total else 1
                    page = _recognise(number, page, ctx.options, started, bands=bands)
                results.put(page)
            except BaseException as exc:  # noqa: BLE001
                results.put(exc)
                return

    threads = [threading.Thread(target=work, daemon=True) for _ in range(min(ctx.options.workers, total))]
    for thread in threads:
        thread.start()
    pages: dict[int, PageText] = {}
    failure: BaseException | None = None
    try:
        while len(pages) < total and failure is None:
            item = results.get()
            if isinstance(item, BaseException):
                failure = item
            else:
                pages[item.number] = item
                if ctx.progress is not None:
                    ctx.progress(len(pages), total)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    if failure is not None:
        raise failure
    ctx.pages = [pages[n] for n in range(1, total + 1)]


def _open_page(ctx: Context, number: int, started: float) -> PageText | raster.PageImage:
    """Page ``number``: finished when its text layer is usable, else its image for OCR.

    Runs under the page lock. A page that cannot be decoded becomes a failed page;
    a DocumentError (a decompression bomb) fails the document.
    """
    assert ctx.images is not None
    # PDFium tells in a few ms whether a page has any text; pdfplumber is only asked
    # about pages that do (on a scan it would parse, and cache, every page's image).
    if ctx.text_layer is not None and ctx.images.has_text(number):
        text = ctx.text_layer.page_text(number)
        if pdf_text.unusable(text, ctx.options.min_text_chars) is None:
            return PageText(
                number=number,
                text=pdf_text.clean(text),
                source="text-layer",
                seconds=time.perf_counter() - started,
            )
    try:
        return ctx.images.image(number)
    except DocumentError:
        raise
    except Exception as exc:  # PdfiumError on a broken page, OSError on truncated image data
        ctx.unreadable.add(number)
        return PageText(
            number=number,
            text="",
            source="ocr",
            seconds=time.perf_counter() - started,
            error=f"page could not be decoded: {exc}",
        )


def _recognise(number: int, page: raster.PageImage, options: OcrOptions, started: float, *, bands: int) -> PageText:
    """OCR one page image: turn it upright, deskew it, prepare it (layout.prepare), recognise it.

    The first reading is of up to ``bands`` bands at once (layout.split); a band that
    fails fails the page. OSD costs about 40% of a recognition, so it only runs on a
    page whose lines run vertically (to choose between 90 and 270 degrees) or whose
    reading has low confidence although there is enough text to judge (upside down);
    a page turned after a reading is read again whole, and kept only if it then reads
    with more confidence.
    """
    deadline = started + options.page_timeout_s

    def remaining() -> float:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise tesseract.TesseractTimeout(f"page timed out after {options.page_timeout_s:.0f}s")
        return left

    def read(image: raster.PageImage, parts: int = 1) -> tesseract.Recognition:
        cut = layout.split(image.image, parts)
        with ThreadPoolExecutor(len(cut.images)) as pool:
            readings = [
                pool.submit(
                    tesseract.recognise,
                    band,
                    language=options.language,
                    dpi=image.dpi,
                    timeout=remaining(),
                    cmd=options.tesseract_cmd,
                )
                for band in cut.images
            ]
            return layout.join([reading.result() for reading in readings], cut.joins)

    def turned(degrees: int) -> raster.PageImage:
        upright = orientation.deskew(orientation.turn(page.image, degrees))[0]
        return layout.prepare(raster.PageImage(upright, page.dpi))

    try:
        rotation = 0
        if orientation.sideways(page.image):
            rotation = _orientation(page, options, remaining())
        upright = turned(rotation)
        result = read(upright, bands)
        if _worth_turning(result, options):
            turn = (rotation + _orientation(upright, options, remaining())) % 360
            if turn != rotation:
                retry = read(turned(turn))
                if (retry.confidence or 0.0) > (result.confidence or 0.0):
                    result, rotation = retry, turn
    except tesseract.TesseractError as exc:
        return PageText(number=number, text="", source="ocr", seconds=time.perf_counter() - started, error=str(exc))
    return PageText(
        number=number,
        text=unicodedata.normalize("NFC", result.text),
        source="ocr",
        confidence=result.confidence,
        rotation=rotation,
        seconds=time.perf_counter() - started,
    )


def _worth_turning(result: tesseract.Recognition, options: OcrOptions) -> bool:
    enough_text = sum(len(w) for w in result.text.split()) >= options.min_text_chars
    return enough_text and (result.confidence or 0.0) < options.low_confidence


def _orientation(page: raster.PageImage, options: OcrOptions, timeout: float) -> int:
    """Clockwise degrees to turn ``page`` by, per Tesseract OSD; 0 unless it is confident.

    OSD runs at half resolution: as reliable on the samples, 40% cheaper.
    """
    half = page.image.reduce(2)
    dpi = page.dpi // 2 if page.dpi else None
    found = tesseract.detect_orientation(half, dpi=dpi, timeout=timeout, cmd=options.tesseract_cmd)
    if found is None or found.confidence < options.osd_min_confidence:
        return 0
    return found.rotate


def assemble(ctx: Context) -> TextArtifact:
    """The artifact; OCR_FAILED (CORRUPT_FILE if no page could even be decoded) when every page failed."""
    failed = [p for p in ctx.pages if p.error]
    if len(failed) == len(ctx.pages):
        reason = FailureReason.CORRUPT_FILE if len(ctx.unreadable) == len(ctx.pages) else FailureReason.OCR_FAILED
        raise DocumentError(reason, f"no page could be read; page 1: {failed[0].error}")
    return TextArtifact(document_id=ctx.document_id, media_type=ctx.media_type, pages=ctx.pages)
