"""The Tesseract wrapper: every call to the ``tesseract`` program goes through here.

Each call is one ``tesseract`` process reading the page from a temporary uncompressed
PNM file (PNG would cost a deflate here and an inflate there; Tesseract reads stdin
slowly, ~10% more CPU a page) and writing to stdout. The process runs with
``OMP_THREAD_LIMIT=1``: parallelism comes from running one process per core, and
Tesseract's own OpenMP threads on top of that make a page several times slower.
pytesseract is not used for the call itself because it offers neither an environment
for the child nor a way to kill a hung child's process group.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field

from PIL import Image

from services.ocr import geometry
from vanthu.events import Line, Word, lines_text
from vanthu.storage import scratch_dir


class TesseractError(Exception):
    """Tesseract crashed, hung past its deadline, or produced no usable output."""


class TesseractTimeout(TesseractError):
    """Tesseract was still running at its deadline and was killed."""


@dataclass(frozen=True)
class Recognition:
    """Text of one page in Tesseract's reading order.

    ``text`` keeps Tesseract's layout: words joined by spaces, one line per text line
    and a blank line between paragraphs. ``confidence`` is the mean word confidence
    (0-100), ``None`` when no word was found. ``lines`` are the same lines with their
    words' boxes in the pixels of the image read (a paragraph's first line starts one).
    """

    text: str
    confidence: float | None
    words: int
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation guess: turn the page ``rotate`` degrees clockwise."""

    rotate: int
    confidence: float


def _run(cmd: str, args: list[str], image: Image.Image, timeout: float) -> str:
    """Run ``cmd <page file> stdout *args`` on ``image``; its stdout, or TesseractError.

    The child gets its own session so that a wrapper script and everything it started
    die together on timeout.
    """
    with tempfile.NamedTemporaryFile(prefix="vanthu-page-", suffix=".pnm", dir=scratch_dir()) as page:
        image.save(page, format="PPM")  # PGM/PBM/PPM by mode
        page.flush()
        proc = subprocess.Popen(
            [cmd, page.name, "stdout", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TesseractTimeout(f"tesseract timed out after {timeout:.0f}s") from None
    if proc.returncode != 0:
        how = f"killed by signal {-proc.returncode}" if proc.returncode < 0 else f"exit status {proc.returncode}"
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise TesseractError(f"tesseract failed ({how})" + (f": {detail[-1]}" if detail else ""))
    return out.decode("utf-8", "replace")


def _dpi(dpi: int | None) -> list[str]:
    # Without it Tesseract estimates the resolution from the text size.
    return ["--dpi", str(dpi)] if dpi else []


def recognise(
    image: Image.Image, *, language: str, dpi: int | None, timeout: float, cmd: str = "tesseract", psm: int = 3
) -> Recognition:
    """Recognise ``image`` (automatic page segmentation unless ``psm`` says otherwise; no
    orientation detection).

    Raises TesseractError when the process fails, exceeds ``timeout`` seconds, or
    returns no TSV at all (a real Tesseract always prints the header, even for a blank
    page).
    """
    tsv = _run(cmd, ["-l", language, *_dpi(dpi), "--psm", str(psm), "tsv"], image, timeout)
    rows = tsv.splitlines()
    if not rows or not rows[0].startswith("level\t"):
        raise TesseractError("tesseract returned no output")
    # Word rows (level 5) arrive in reading order; (block, paragraph, line) numbers say
    # where a line or a paragraph ends.
    paragraphs: dict[tuple[str, str], dict[str, list[Word]]] = {}
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, top, width, height = (float(v) for v in cells[6:10])
        conf = float(cells[10])
        word = Word(text=cells[11].strip(), box=(left, top, left + width, top + height),
                    confidence=conf if conf >= 0 else None)
        paragraphs.setdefault((cells[2], cells[3]), {}).setdefault(cells[4], []).append(word)
    lines = [
        geometry.line_of(words, starts_paragraph=i == 0)
        for paragraph in paragraphs.values()
        for i, words in enumerate(paragraph.values())
    ]
    text = lines_text(lines)
    confidences = [w.confidence for line in lines for w in line.words if w.confidence is not None]
    confidence = sum(confidences) / len(confidences) if confidences else None
    return Recognition(text=text, confidence=confidence, words=len(confidences), lines=lines)


_OSD_FIELD = re.compile(r"^(Rotate|Orientation confidence):\s*([-\d.]+)", re.MULTILINE)


def detect_orientation(
    image: Image.Image, *, dpi: int | None, timeout: float, cmd: str = "tesseract"
) -> Orientation | None:
    """Tesseract OSD (``--psm 0``) on ``image``; ``None`` when it cannot tell.

    Tesseract refuses pages with too few characters ("Too few characters. Skipping
    this page") by failing; that is an answer ("cannot tell"), not an error. A
    timeout is still raised: the page's time is used up.
    """
    try:
        out = _run(cmd, [*_dpi(dpi), "--psm", "0"], image, timeout)
    except TesseractTimeout:
        raise
    except TesseractError:
        return None
    fields = dict(_OSD_FIELD.findall(out))
    if "Rotate" not in fields or "Orientation confidence" not in fields:
        return None
    return Orientation(rotate=int(fields["Rotate"]) % 360, confidence=float(fields["Orientation confidence"]))
