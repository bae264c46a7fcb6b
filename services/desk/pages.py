"""Page images of an original, and where a span of the parsed text stands on them.

Images are rendered on the server (pypdfium2 for PDFs, Pillow for scans and photos),
turned as the OCR stage turned the page to read it, and kept as PNG files under the
desk's data directory: a page is rendered once. Boxes are given as fractions of the
upright page (the text artifact's words are in points on it), so the browser scales
them with the image.
"""

from __future__ import annotations

import io
import os
import threading
from collections import OrderedDict
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from services.ocr.orientation import turn
from services.ocr.sniff import PDF, media_type
from vanthu.events import Box, PageText, Span, TextArtifact
from vanthu.settings import Settings
from vanthu.storage import Storage, text_artifact_ref

PAGE_BREAK = "\n\f\n"  # how TextArtifact.text joins pages
_TEXTS_KEPT = 32  # documents whose word positions are kept in memory


def render_page(data: bytes, number: int, dpi: int, rotation: int = 0) -> bytes:
    """Page ``number`` (1-based) of the original ``data`` as PNG, upright. IndexError for
    a page the original does not have."""
    if number < 1:
        raise IndexError(number)
    if media_type(data) == PDF:
        pdf = pdfium.PdfDocument(data)
        try:
            if number > len(pdf):
                raise IndexError(number)
            image = pdf[number - 1].render(scale=dpi / 72).to_pil()
        finally:
            pdf.close()
    else:
        with Image.open(io.BytesIO(data)) as frames:
            if number > getattr(frames, "n_frames", 1):
                raise IndexError(number)
            frames.seek(number - 1)
            image = frames.convert("RGB")
            width_in = image.width / (frames.info.get("dpi", (300, 300))[0] or 300)
            scale = dpi * width_in / image.width
            image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    out = io.BytesIO()
    turn(image, rotation).save(out, "PNG", optimize=False)
    return out.getvalue()


class PageCache:
    """Rendered pages under ``root/<document id>/<dpi>-<page>.png``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, document_id: str, number: int, dpi: int) -> Path:
        return self.root / document_id / f"{dpi}-{number}.png"

    def get(self, document_id: str, number: int, dpi: int) -> bytes | None:
        path = self.path(document_id, number, dpi)
        return path.read_bytes() if path.exists() else None

    def put(self, document_id: str, number: int, dpi: int, png: bytes) -> None:
        path = self.path(document_id, number, dpi)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(png)
        os.replace(tmp, path)


@dataclass(frozen=True)
class PageBoxes:
    """Boxes on one page, each ``(left, top, right, bottom)`` as fractions of the page."""

    page: int
    boxes: list[Box]


class WordIndex:
    """The words of a text artifact by their character offsets in its text (the parsed
    text the parse stage's spans point into)."""

    def __init__(self, artifact: TextArtifact) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._where: list[tuple[int, Box]] = []  # page number, box as fractions
        offset = 0
        for page in artifact.pages:
            self._index_page(page, offset)
            offset += len(page.text) + len(PAGE_BREAK)

    def _index_page(self, page: PageText, offset: int) -> None:
        if not page.width or not page.height:
            return
        # A page's text is its blocks' lines in reading order: each word is found after the
        # one before it. A word the text does not have as such (a table's "|" cells) is skipped.
        cursor = 0
        for block in page.blocks:
            for line in block.lines:
                for word in line.words:
                    at = page.text.find(word.text, cursor)
                    if at < 0:
                        continue
                    cursor = at + len(word.text)
                    x0, top, x1, bottom = word.box
                    self._starts.append(offset + at)
                    self._ends.append(offset + cursor)
                    self._where.append((page.number, (x0 / page.width, top / page.height,
                                                      x1 / page.width, bottom / page.height)))

    def boxes(self, span: Span) -> list[PageBoxes]:
        """The boxes of the words that overlap ``span``, page by page."""
        first = bisect_right(self._ends, span.start)
        last = bisect_left(self._starts, span.end)
        pages: dict[int, list[Box]] = {}
        for page, box in self._where[first:last]:
            pages.setdefault(page, []).append(box)
        return [PageBoxes(page, boxes) for page, boxes in pages.items()]


class DocumentTexts:
    """Each document's word positions and page turns, read from its text artifact once (the
    recently used ones are kept). Thread-safe: pages are served from worker threads."""

    def __init__(self, storage: Storage, settings: Settings) -> None:
        self.storage, self.settings = storage, settings
        self._cache: OrderedDict[str, tuple[WordIndex, dict[int, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, document_id: str) -> tuple[WordIndex, dict[int, int]] | None:
        """(word index, page number -> degrees turned), or None when the document has no
        text artifact (not read yet, or a secret document's, removed)."""
        with self._lock:
            if document_id in self._cache:
                self._cache.move_to_end(document_id)
                return self._cache[document_id]
        artifact = self.storage.get_model(text_artifact_ref(self.settings, document_id), TextArtifact)
        if artifact is None:
            return None
        entry = (WordIndex(artifact), {p.number: p.rotation for p in artifact.pages})
        with self._lock:
            self._cache[document_id] = entry
            while len(self._cache) > _TEXTS_KEPT:
                self._cache.popitem(last=False)
        return entry

