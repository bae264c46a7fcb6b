"""The OCR stage's extraction pipeline: document bytes in, a TextArtifact out.

Stages are plain functions of one :class:`Context`, run in order by :func:`extract`:

1. ``identify``  -- size limits, content sniffing, the document id;
2. ``open_pages`` -- the page source (PDFium or Pillow) and, for PDFs, the text layer;
3. ``read_pages`` -- every page, in parallel: its text layer when usable, else OCR
   (a photo's desk cropped off, light evened out, turned upright, deskewed, prepared
   by layout, recognised); either way its lines, with their boxes in page points, are
   arranged in the form's regions (regions.arrange) and the page's text read from them;
4. ``assemble``  -- the artifact, or OCR_FAILED when no page could be read: each page in
   order with, on a PDF's scanned pages, the portal's e-signature overlay that its
   annotations draw set aside as evidence (``read_overlay``), the pages seen as one
   document (regions.document).

A long document (the bulk lane's) may keep its pages on disk as they are read and have
its artifact written to a file page by page (``artifact_file``, services/ocr/spool.py).

Parallelism: ``options.workers`` threads each drive one Tesseract process at a time,
so the recognition runs one process per core. A thread takes the next page only when
it is free, under a lock that also serialises the non-thread-safe readers (PDFium,
pdfplumber, Pillow's frame seeking); at most ``workers`` page images exist at once.
A document's last ``workers`` pages are cut into ``workers`` bands each (layout.split)
that any free thread reads: otherwise, at a document's end, the other cores would idle
while one reads the last long page, and a one-page document would use a single core.

Several documents read at once (the OCR service reads a few together, services/ocr/app.py)
share one :class:`Slots`: a thread holds a slot for each page or band it reads, so the
process runs at most ``workers`` Tesseract processes, and holds at most that many page
images being read, however many documents are open; a slot freed at one document's end
goes to the next document's pages at once, and a document's last pages are cut into
bands only when no other document is being read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import queue
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.ocr import (
    geometry,
    handwriting,
    layout,
    lighting,
    orientation,
    pdf_signatures,
    pdf_text,
    raster,
    regions,
    scan_tables,
    signature,
    sniff,
    stamps,
    tesseract,
)
from services.ocr.spool import PageSpool
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import BlankInk, Block, Line, PageText, TextArtifact
from vanthu.settings import OcrOptions

Progress = Callable[[int, int], None]


class Slots(threading.BoundedSemaphore):
    """The Tesseract slots of a process: one per core (``OcrOptions.workers``), shared by the
    documents it reads at once. Held for one page or one band at a time.

    :meth:`reading` counts the documents whose pages are being read: a document's last
    pages are cut into bands only while it is the only one, since other documents' pages
    keep the cores busy and cutting a page only costs (a Tesseract process and its page
    analysis per band)."""

    def __init__(self, value: int = 1) -> None:
        super().__init__(value)
        self._documents = 0
        self._count = threading.Lock()

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Count a document as being read for the duration."""
        with self._count:
            self._documents += 1
        try:
            yield
        finally:
            with self._count:
                self._documents -= 1

    def alone(self) -> bool:
        """Whether one document at most is being read."""
        return self._documents <= 1


@dataclass
class Context:
    """What the stages share about one document."""

    data: bytes
    options: OcrOptions
    progress: Progress | None = None
    slots: Slots | None = None
    document_id: str = ""
    media_type: str = ""
    images: raster.PageImages | None = None
    text_layer: pdf_text.TextLayer | None = None
    spool: PageSpool | None = None  # where read pages are kept, when not in memory
    pages: list[PageText] = field(default_factory=list)  # without their layout when spooled
    unreadable: set[int] = field(default_factory=set)  # pages whose bytes could not be decoded


def extract(data: bytes, options: OcrOptions, *, progress: Progress | None = None,
            slots: Slots | None = None, artifact_file: Path | None = None) -> TextArtifact:
    """The text of a PDF, PNG, JPEG or TIFF document, page by page.

    ``document_id`` is the sha256 of ``data``; ``data`` itself is never modified.
    ``progress(done, total)`` is called in the caller's thread after each page.
    ``slots``, when given, are shared with the other documents being read (see the module
    docstring); by default the document has ``options.workers`` slots of its own.
    ``artifact_file``, when given, is where the artifact's JSON is written, page by page,
    and the artifact returned has its pages without their layout (blocks, asides,
    blanks): the memory it takes is then that of the pages being read, not of the
    document (services/ocr/spool.py).

    Raises DocumentError for input that cannot be processed (EMPTY_FILE, TOO_LARGE,
    UNSUPPORTED_FORMAT, CORRUPT_FILE, ENCRYPTED, NO_PAGES, TOO_MANY_PAGES,
    IMAGE_TOO_LARGE, OCR_FAILED when no page could be read). A page that fails alone
    (Tesseract crash or timeout, undecodable page) carries ``error`` instead. Any
    other exception (Tesseract not installed, ...) is an environment problem, not the
    document's.
    """
    ctx = Context(data=data, options=options, progress=progress, slots=slots)
    identify(ctx)
    with contextlib.ExitStack() as cleanup:
        if artifact_file is not None:
            ctx.spool = PageSpool(artifact_file)
            cleanup.callback(ctx.spool.close)
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

    A thread reads a queued band if there is one, else takes the next page, holding one of
    ``ctx.slots`` meanwhile. A thread that finds neither waits, holding no slot, while
    another is still cutting a page into bands.

    A DocumentError (or an unexpected exception) from any page stops the others
    after their current page and is raised here once every thread has finished, so
    that the page source is never closed under a running thread.
    """
    assert ctx.images is not None
    options = ctx.options
    slots = ctx.slots or Slots(options.workers)
    total = len(ctx.images)
    in_bands_after = total - options.workers if options.workers > 1 else total
    numbers = iter(range(1, total + 1))
    take = threading.Lock()
    stop = threading.Event()
    results: queue.Queue[PageText | BaseException] = queue.Queue()
    bands: list[tuple[_Split, int]] = []  # queued (page, band index), oldest first
    cutting = 0  # pages taken to be cut whose bands are not queued yet
    changed = threading.Condition()

    def next_band() -> tuple[_Split, int] | None:
        with changed:
            return bands.pop(0) if bands else None

    def bands_to_come() -> bool:
        """Wait while a page is being cut and no band is queued; whether any band is left."""
        with changed:
            while not bands and cutting and not stop.is_set():
                changed.wait()
            return bool(bands)

    def cut(number: int, page: raster.PageImage, started: float) -> None:
        nonlocal cutting
        split = None
        try:
            remaining = _clock(options, started)
            rotation, upright = _upright(page, options, remaining)
            parts = layout.split(upright.image, options.workers)
            split = _Split(number, started, page, rotation, upright, parts, remaining)
        except tesseract.TesseractError as exc:
            results.put(_failed(number, started, exc))
        finally:
            with changed:
                cutting -= 1
                if split is not None:
                    bands.extend((split, index) for index in range(1, len(split.parts.images)))
                changed.notify_all()
        if split is not None:
            read_band(split, 0)

    def read_band(split: _Split, index: int) -> None:
        if (page := split.read(index, options)) is not None:
            results.put(page)

    def step() -> bool:
        """Read one band or one page; False when there is neither left to take."""
        nonlocal cutting
        if (band := next_band()) is not None:
            read_band(*band)
            return True
        with take:
            started = time.perf_counter()
            number = next(numbers, None)
            if number is not None:
                page = _open_page(ctx, number, started)
                in_bands = number > in_bands_after and not isinstance(page, PageText) and slots.alone()
                if in_bands:
                    with changed:
                        cutting += 1
        if number is None:
            return False
        if isinstance(page, PageText):
            results.put(page)
        elif in_bands:
            cut(number, lighting.even(lighting.on_paper(page)), started)
        else:
            results.put(_recognise(number, lighting.even(lighting.on_paper(page)), options, started))
        return True

    def work() -> None:
        while not stop.is_set():
            with slots:
                if stop.is_set():
                    return
                more = step()
            if not more and not bands_to_come():
                return

    def guarded() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            results.put(exc)

    pages: dict[int, PageText] = {}
    failure: BaseException | None = None
    with slots.reading():
        threads = [threading.Thread(target=guarded, daemon=True) for _ in range(options.workers)]
        for thread in threads:
            thread.start()
        try:
            while len(pages) < total and failure is None:
                item = results.get()
                if isinstance(item, BaseException):
                    failure = item
                else:
                    pages[item.number] = ctx.spool.put(item) if ctx.spool is not None else item
                    if ctx.progress is not None:
                        ctx.progress(len(pages), total)
        finally:
            stop.set()
            with changed:
                changed.notify_all()
            for thread in threads:
                thread.join()
    if failure is not None:
        raise failure
    ctx.pages = [pages[n] for n in range(1, total + 1)]


def read_overlay(ctx: Context, page: PageText) -> PageText:
    """``page`` with, when it is a page of a PDF read by OCR, the e-signature overlay ("Ký
    bởi: ... Thời gian ký: ...") that its annotations draw set aside: a portal signs a
    scan by annotating it, and its small print at the page's edge is rarely legible to
    OCR. What the annotations draw counts only when regions.arrange finds an e-signature
    in it; the overlay is that with the lines it wraps onto (its box is narrow).
    """
    if ctx.media_type != sniff.PDF or page.source != "ocr" or page.error or not (page.width and page.height) \
            or any(block.kind == "e-signature" for block in page.aside):
        return page
    if lines := stamps.annotation_lines(ctx.data, page.number, page.height):
        found = regions.arrange(lines, [], width=page.width, height=page.height, first_page=False)
        if seeds := [line for block in found.aside if block.kind == "e-signature" for line in block.lines]:
            overlay = stamps.wrapped(seeds, lines)
            block = Block(kind="e-signature", box=geometry.bounds(line.box for line in overlay), lines=overlay)
            return page.model_copy(update={"aside": [*page.aside, block]})
    return page


def _open_page(ctx: Context, number: int, started: float) -> PageText | raster.PageImage:
    """Page ``number``: finished when its text layer is usable, else its image for OCR.

    Runs under the page lock. A page that cannot be decoded becomes a failed page;
    a DocumentError (a decompression bomb) fails the document.
    """
    assert ctx.images is not None
    # PDFium tells in a few ms whether a page has any text; pdfplumber is only asked
    # about pages that do (on a scan it would parse, and cache, every page's image).
    if ctx.text_layer is not None and ctx.images.has_text(number):
        layer = ctx.text_layer.page(number)
        if layer is not None and pdf_text.unusable(layer.text, ctx.options.min_text_chars) is None:
            layer = pdf_text.clean(layer)
            page = _page(number, layer.lines, layer.tables, (layer.width, layer.height), source="text-layer",
                         seconds=time.perf_counter() - started)
            # A scan whose only text is a portal's overlay ("SAO Y; <unit>; <time>", "Ký bởi: ...")
            # has nothing of the document in its text layer once that is set aside: OCR it.
            if len("".join(page.text.split())) >= ctx.options.min_text_chars:
                return page
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


def _clock(options: OcrOptions, started: float) -> Callable[[], float]:
    """Seconds left of the page's time; raises TesseractTimeout once it is spent."""
    deadline = started + options.page_timeout_s

    def remaining() -> float:
        left = deadline - time.perf_counter()
        if left <= 0:
            raise tesseract.TesseractTimeout(f"page timed out after {options.page_timeout_s:.0f}s")
        return left

    return remaining


def _turned(page: raster.PageImage, degrees: int) -> raster.PageImage:
    """``page`` turned, deskewed and prepared (layout.prepare) for Tesseract."""
    upright, angle = orientation.deskew(orientation.turn(page.image, degrees))
    colour_of = page.colour_changed(lambda colour: orientation.tilt(orientation.turn(colour, degrees), angle))
    return layout.prepare(raster.PageImage(upright, page.dpi, colour_of=colour_of, coloured=page.coloured))


def _upright(
    page: raster.PageImage, options: OcrOptions, remaining: Callable[[], float]
) -> tuple[int, raster.PageImage]:
    """The clockwise turn a sideways page needs (Tesseract OSD; 0 for an upright one) and the page so turned."""
    rotation = _orientation(page, options, remaining()) if orientation.sideways(page.image) else 0
    return rotation, _turned(page, rotation)


def _read(image: raster.PageImage, options: OcrOptions, remaining: Callable[[], float]) -> tesseract.Recognition:
    """Recognise ``image``; its lines in page points (``image.frame``)."""
    result = tesseract.recognise(
        image.image, language=options.language, dpi=image.dpi, timeout=remaining(), cmd=options.tesseract_cmd
    )
    if image.frame is None:
        return result
    return dataclasses.replace(result, lines=image.frame.lines(result.lines))


def _page(number: int, lines: list[Line], tables: list[Block], size: tuple[float, float], **fields: Any) -> PageText:
    """The page of ``lines`` and ``tables`` (page points), arranged in its regions (regions.arrange)."""
    found = regions.arrange(lines, tables, width=size[0], height=size[1], first_page=number == 1)
    return PageText(number=number, text=unicodedata.normalize("NFC", regions.page_text(found.blocks)),
                    width=size[0], height=size[1], blocks=found.blocks, aside=found.aside, **fields)


def _recognise(number: int, page: raster.PageImage, options: OcrOptions, started: float) -> PageText:
    """OCR one page image: turn it upright, deskew it, prepare it (layout.prepare), recognise it."""
    remaining = _clock(options, started)
    try:
        rotation, upright = _upright(page, options, remaining)
        return _finish(number, page, rotation, upright, _read(upright, options, remaining), options, remaining, started)
    except tesseract.TesseractError as exc:
        return _failed(number, started, exc)


def _finish(
    number: int,
    page: raster.PageImage,
    rotation: int,
    upright: raster.PageImage,
    result: tesseract.Recognition,
    options: OcrOptions,
    remaining: Callable[[], float],
    started: float,
) -> PageText:
    """The page's text from its first reading, or from a reading turned upside down.

    OSD costs about 40% of a recognition, so it only runs on a page whose lines run
    vertically (in :func:`_upright`, to choose between 90 and 270 degrees) or whose
    reading has low confidence although there is enough text to judge (upside down,
    here); a page turned after a reading is read again whole, and kept only if it then
    reads with more confidence. When OSD cannot tell, the other way up (180 degrees
    more) is tried: a page read at low confidence is most often one read upside down.
    A page that still reads at low confidence carries a ``warning`` for review, so that
    its poor text is never taken silently. Raises TesseractError.
    """
    warning = None
    if _worth_turning(result, options):
        turn = (rotation + _orientation(upright, options, remaining())) % 360
        if turn == rotation:
            turn = (rotation + 180) % 360  # OSD cannot tell: the other way up is the likelier mistake
        turned = _turned(page, turn)
        retry = _read(turned, options, remaining)
        if (retry.confidence or 0.0) > (result.confidence or 0.0):
            result, rotation, upright = retry, turn, turned
        if _worth_turning(result, options):
            warning = (f"low confidence ({result.confidence or 0.0:.0f}) read either way up: "
                       "the page may be damaged, dark or handwritten")
    assert upright.frame is not None  # layout.prepare sets it
    lines = signature.with_name(upright, result.lines, language=options.language, timeout=remaining(),
                                cmd=options.tesseract_cmd)
    blanks: list[BlankInk] = []
    if number == 1:  # the header's blanks; a later page's are an attached draft's
        lines, blanks = handwriting.fill(upright, lines)
    lines, tables = scan_tables.find(upright, lines, language=options.language, timeout=remaining(),
                                     cmd=options.tesseract_cmd)  # ruled tables as "| cell |" rows
    return _page(number, lines, tables, upright.frame.size, source="ocr", confidence=result.confidence, blanks=blanks,
                 rotation=rotation, warning=warning, seconds=time.perf_counter() - started)


def _failed(number: int, started: float, error: tesseract.TesseractError | str) -> PageText:
    return PageText(number=number, text="", source="ocr", seconds=time.perf_counter() - started, error=str(error))


@dataclass
class _Split:
    """A page cut into bands (layout.split) that any free thread may read.

    The thread that reads the last band joins the readings and finishes the page; a
    band that fails fails the page.
    """

    number: int
    started: float
    page: raster.PageImage
    rotation: int
    upright: raster.PageImage
    parts: layout.Bands
    remaining: Callable[[], float]
    readings: dict[int, tesseract.Recognition] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, index: int, options: OcrOptions) -> PageText | None:
        """Read band ``index``; the finished page when it was the last band to be read."""
        assert self.upright.frame is not None  # layout.prepare sets it
        band = raster.PageImage(self.parts.images[index], self.upright.dpi,
                                self.upright.frame.moved(0, self.parts.tops[index]))
        try:
            reading, error = _read(band, options, self.remaining), None
        except tesseract.TesseractError as exc:
            reading, error = None, exc
        with self.lock:
            if reading is not None:
                self.readings[index] = reading
            if error is not None:
                self.errors.append(str(error))
            if len(self.readings) + len(self.errors) < len(self.parts.images):
                return None
        if self.errors:
            return _failed(self.number, self.started, self.errors[0])
        joined = layout.join([self.readings[i] for i in range(len(self.parts.images))], self.parts.joins)
        try:
            return _finish(self.number, self.page, self.rotation, self.upright, joined, options, self.remaining, self.started)
        except tesseract.TesseractError as exc:
            return _failed(self.number, self.started, exc)


def _worth_turning(result: tesseract.Recognition, options: OcrOptions) -> bool:
    enough_text = sum(len(w) for w in result.text.split()) >= options.min_text_chars
    return enough_text and (result.confidence or 0.0) < options.low_confidence


_OSD_DPI = 150


def _orientation(page: raster.PageImage, options: OcrOptions, timeout: float) -> int:
    """Clockwise degrees to turn ``page`` by, per Tesseract OSD; 0 unless it is confident.

    OSD runs at about 150 dpi: as reliable on the samples as at 300, 40% cheaper.
    """
    factor = max(1, round(layout.resolution(page) / _OSD_DPI))
    reduced = page.image.reduce(factor) if factor > 1 else page.image
    dpi = page.dpi // factor if page.dpi else None
    found = tesseract.detect_orientation(reduced, dpi=dpi, timeout=timeout, cmd=options.tesseract_cmd)
    if found is None or found.confidence < options.osd_min_confidence:
        return 0
    return found.rotate


def assemble(ctx: Context) -> TextArtifact:
    """The artifact, with a PDF's digital signatures (services/ocr/pdf_signatures.py), its
    pages taken one at a time (written to the spool's file, when spooled); OCR_FAILED
    (CORRUPT_FILE if no page could even be decoded) when every page failed."""
    failed = [p for p in ctx.pages if p.error]
    if len(failed) == len(ctx.pages):
        reason = FailureReason.CORRUPT_FILE if len(ctx.unreadable) == len(ctx.pages) else FailureReason.OCR_FAILED
        raise DocumentError(reason, f"no page could be read; page 1: {failed[0].error}")
    signatures = pdf_signatures.read(ctx.data) if ctx.media_type == sniff.PDF else []
    shell = TextArtifact(document_id=ctx.document_id, media_type=ctx.media_type, pages=[], signatures=signatures)
    pages = regions.document(read_overlay(ctx, page) for page in (ctx.spool.pages() if ctx.spool else ctx.pages))
    if ctx.spool is not None:
        return ctx.spool.write_artifact(shell, pages)
    return shell.model_copy(update={"pages": list(pages)})
