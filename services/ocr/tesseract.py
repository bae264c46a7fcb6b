"""The Tesseract wrapper: every call to the ``tesseract`` program goes through here.

Each call reads the page from a temporary uncompressed PNM file (PNG would cost a deflate
here and an inflate there; Tesseract reads stdin slowly, ~10% more CPU a page). Debian's
``tesseract`` is read by long-lived hosts (services/ocr/tesseract_host.py: the same
library, loaded once, where a process per page paid ~0.1 s to start), one per call in
flight, kept between calls; any other program (the tests' failing fakes) is run as one
process per call, writing to stdout. Either runs with ``OMP_THREAD_LIMIT=1``:
parallelism comes from one process per core, and Tesseract's own OpenMP threads on top
of that make a page several times slower. A call past its deadline kills its process's
group (a host too: the next call starts another). pytesseract is not used because it
offers neither an environment for the child nor a way to kill a hung child's group.
"""

from __future__ import annotations

import atexit
import ctypes.util
import json
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache

from PIL import Image

from services.ocr import geometry
from services.ocr.tesseract_host import LIBRARIES
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


PROGRAM = "tesseract"  # Debian's program: read by hosts when its library is there
_ENV = {"OMP_THREAD_LIMIT": "1"}


@contextmanager
def _page_file(image: Image.Image) -> Iterator[str]:
    with tempfile.NamedTemporaryFile(prefix="vanthu-page-", suffix=".pnm", dir=scratch_dir()) as page:
        image.save(page, format="PPM")  # PGM/PBM/PPM by mode
        page.flush()
        yield page.name


def _failed(returncode: int, detail: str = "") -> TesseractError:
    how = f"killed by signal {-returncode}" if returncode < 0 else f"exit status {returncode}"
    return TesseractError(f"tesseract failed ({how})" + (f": {detail}" if detail else ""))


def _run(cmd: str, args: list[str], image: Image.Image, timeout: float) -> str:
    """Run ``cmd <page file> stdout *args`` on ``image``; its stdout, or TesseractError.

    The child gets its own session so that a wrapper script and everything it started
    die together on timeout.
    """
    with _page_file(image) as page:
        proc = subprocess.Popen(
            [cmd, page, "stdout", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **_ENV},
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TesseractTimeout(f"tesseract timed out after {timeout:.0f}s") from None
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise _failed(proc.returncode, detail[-1] if detail else "")
    return out.decode("utf-8", "replace")


class _Host:
    """One host process (services/ocr/tesseract_host.py), asked one page at a time."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "services.ocr.tesseract_host"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # the library's own chatter ("Detected 830 diacritics")
            env={**os.environ, **_ENV},
            start_new_session=True,
            bufsize=0,
        )
        self.alive = True

    def ask(self, request: dict, timeout: float) -> str:
        """The TSV the host answers; TesseractError when it refuses (it goes on) or dies,
        TesseractTimeout past ``timeout`` (it is killed)."""
        deadline = time.monotonic() + timeout
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        except OSError:
            raise self._dead() from None
        fd, answer, size = self.proc.stdout.fileno(), b"", None
        while size is None or len(answer) < size:
            if size is None and b"\n" in answer:
                head, answer = answer.split(b"\n", 1)
                if not head.startswith(b"OK "):
                    raise TesseractError(f"tesseract failed: {head.decode('utf-8', 'replace').removeprefix('ERR ')}")
                size = int(head[3:])
                continue
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.kill()
                raise TesseractTimeout(f"tesseract timed out after {timeout:.0f}s")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise self._dead()
            answer += chunk
        return answer.decode("utf-8", "replace")

    def _dead(self) -> TesseractError:
        self.alive = False
        return _failed(self.proc.wait())

    def kill(self) -> None:
        self.alive = False
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def close(self) -> None:
        """End of stdin: the host finishes and exits."""
        with suppress(OSError):
            self.proc.stdin.close()


class _Hosts:
    """The idle hosts of this process: a call takes one (or starts one) and gives it back."""

    def __init__(self) -> None:
        self._idle: list[_Host] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        atexit.register(self.close)

    @staticmethod
    @cache
    def available() -> bool:
        """Whether Debian's libtesseract and Leptonica are installed to be loaded."""
        return all(ctypes.util.find_library(name.removeprefix("lib").split(".so")[0]) for name in LIBRARIES)

    def ask(self, request: dict, timeout: float) -> str:
        with self._lock:
            if os.getpid() != self._pid:  # a forked child: its parent's hosts are not its own
                self._idle, self._pid = [], os.getpid()
            host = self._idle.pop() if self._idle else None
        host = host if host is not None and host.proc.poll() is None else _Host()
        try:
            return host.ask(request, timeout)
        finally:
            if host.alive:
                with self._lock:
                    self._idle.append(host)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for host in idle:
            host.close()


_HOSTS = _Hosts()


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
    if cmd == PROGRAM and _HOSTS.available():
        with _page_file(image) as page:
            tsv = _HOSTS.ask({"image": page, "language": language, "dpi": dpi, "psm": psm}, timeout)
    else:
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
