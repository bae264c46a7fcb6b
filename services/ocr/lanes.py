"""The OCR service's two lanes: ordinary intake first, bulk intake in the time left over.

An archive's back file (hundreds of thousands of pages, ``vanthu submit --bulk``) must
never hold up the day's letters, least of all one marked HỎA TỐC. Objects whose key starts
with ``LaneOptions.bulk_prefix`` are moved by the ordinary subscriber to the bulk topic
(a few milliseconds each), which a subscriber of its own consumes. A worker then:

- starts a bulk document only when it is reading no ordinary document, and when the
  parse and notify stages have at most ``LaneOptions.bulk_max_lag`` events yet to read
  (a batch of born-digital PDFs, read in milliseconds each, would otherwise queue its
  text events ahead of an urgent letter's there);
- reads bulk documents in a child process of its own at ``LaneOptions.bulk_niceness``
  (nice 19: the kernel gives it the cores only when nothing else wants them). Its
  Tesseract processes inherit the niceness, so an ordinary document that arrives while
  a bulk one is being read starts at once, and its pages take the cores from the bulk
  document's from the next scheduler tick on: the bulk document's pages in flight go on
  at a crawl, and so do the next ones, without losing the pages already read. Since the
  page timeout is wall-clock time, a bulk page gets ``LaneOptions.bulk_page_timeout_s``:
  it must not fail because it waited behind ordinary work.

A separate process, not a thread: a low-priority thread would hold the GIL while the
kernel starved it, stalling the ordinary document's threads and the event loop.
Each lane keeps the delivery contract on its own topic (commit after the effect, per
document); a bulk document's transient failure goes through the stage's retry topic
and is read as bulk again there (its key says so).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from pathlib import Path

from kafka import KafkaConsumer
from kafka.admin import KafkaAdminClient

from services.ocr.pipeline import extract
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import TextArtifact
from vanthu.kafka_auth import client_options
from vanthu.settings import LaneOptions, OcrOptions, Settings

# How often the bulk lane looks again at the downstream stages' lag while it waits.
_LAG_POLL_S = 0.5


def _extract_or_refuse(document: Path, written: Path,
                       options: OcrOptions) -> TextArtifact | tuple[FailureReason, str]:
    """:func:`extract` of the file ``document`` in the bulk process, its artifact written to
    ``written``. A refusal comes back as ``(reason, message)``: DocumentError does not
    survive pickling (its constructor takes two arguments)."""
    try:
        return extract(document.read_bytes(), options, artifact_file=written)
    except DocumentError as exc:
        return exc.reason, exc.message


class DownstreamLag:
    """The events the parse and notify stages have yet to read (their consumer groups' lag on
    ``vanthu.text`` and ``vanthu.directives``). Blocking; a group that never committed counts 0."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._admin: KafkaAdminClient | None = None
        self._consumer: KafkaConsumer | None = None

    def __call__(self) -> int:
        settings = self.settings
        if self._admin is None or self._consumer is None:
            self._admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="vanthu-ocr-lanes",
                                           **client_options(settings))
            self._consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None,
                                           enable_auto_commit=False, client_id="vanthu-ocr-lanes",
                                           **client_options(settings))
        lag = 0
        for group, topic in ((settings.group("parse"), settings.topics.text),
                             (settings.group("notify"), settings.topics.directives)):
            committed = {tp: meta.offset for tp, meta in self._admin.list_consumer_group_offsets(group).items()
                         if tp.topic == topic and meta.offset >= 0}
            if committed:
                ends = self._consumer.end_offsets(list(committed))
                lag += sum(max(0, ends[tp] - offset) for tp, offset in committed.items())
        return lag

    def close(self) -> None:
        for client in (self._admin, self._consumer):
            if client is not None:
                client.close()
        self._admin = self._consumer = None


class Lanes:
    """Which lane an object is in, whether the ordinary lane is busy, and the bulk reader.
    ``lag`` (blocking, e.g. :class:`DownstreamLag`) tells the downstream stages' backlog."""

    def __init__(self, options: LaneOptions, lag: Callable[[], int] | None = None) -> None:
        self.options = options
        self._lag = lag
        self._ordinary = 0  # ordinary documents being read now
        self._ordinary_idle = asyncio.Event()
        self._ordinary_idle.set()
        self._pool: ProcessPoolExecutor | None = None

    def is_bulk(self, key: str) -> bool:
        return key.startswith(self.options.bulk_prefix)

    @asynccontextmanager
    async def ordinary(self) -> AsyncIterator[None]:
        """Mark an ordinary document as being read for the duration of the block."""
        self._ordinary += 1
        self._ordinary_idle.clear()
        try:
            yield
        finally:
            self._ordinary -= 1
            if not self._ordinary:
                self._ordinary_idle.set()

    async def bulk_turn(self) -> None:
        """Return when no ordinary document is being read and the downstream stages have
        at most ``bulk_max_lag`` events to read (at once, mostly)."""
        while True:
            await self._ordinary_idle.wait()
            if self._lag is None or await asyncio.to_thread(self._lag) <= self.options.bulk_max_lag:
                return
            await asyncio.sleep(_LAG_POLL_S)

    async def extract_bulk(self, document: Path, written: Path, options: OcrOptions) -> TextArtifact:
        """:func:`extract` for a bulk document, the file ``document``, in the low-priority
        process (started at the first bulk document and kept). The artifact's JSON is
        written to the file ``written`` page by page, and the artifact returned has its
        pages without their layout (services/ocr/spool.py): a document of hundreds of pages
        is neither pickled either way nor held whole by either process. A crashed process
        (killed, out of memory) raises BrokenProcessPool, a transient failure: the next bulk
        document gets a new one."""
        if self._pool is None:
            # spawn, not fork: the service's threads (Kafka clients, the event loop) must not be copied.
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=os.nice, initargs=(self.options.bulk_niceness,))
        options = options.model_copy(update={
            "page_timeout_s": max(options.page_timeout_s, self.options.bulk_page_timeout_s)})
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(
                self._pool, _extract_or_refuse, document, written, options)
        except BrokenProcessPool:
            self.close()
            raise
        if isinstance(outcome, tuple):
            raise DocumentError(*outcome)
        return outcome

    def close(self) -> None:
        """Stop the bulk process at once (a document being read in it is not committed, so
        it is redelivered): a stopping worker must not wait for a 500-page document."""
        if isinstance(self._lag, DownstreamLag):
            self._lag.close()
        if self._pool is not None:
            # ProcessPoolExecutor.terminate_workers() comes with Python 3.14; until then, its processes.
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.terminate()
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
