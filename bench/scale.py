"""Scaling of the OCR service: pages per minute with 1 and with 2 OCR workers.

    python bench/scale.py [--scans 4] [--workers 1 2]

On the real local Kafka and MinIO (started when absent), for each worker count W: the
three services as real processes (``vanthu serve ocr`` W times in one consumer group,
with ``VANTHU_OCR__WORKERS`` = cores / W so that the machine is not oversubscribed, one
``vanthu serve parse``, one ``vanthu serve notify``) on topics, buckets and groups of
their own; a batch of image-only scans is uploaded at once, and the bench measures

- throughput: the batch's pages / (last ``vanthu.text`` event - first upload);
- latency under that load: upload -> the document's last assignment notice (p50, max).

The reference is the raw Tesseract limit in the same run: the ``tesseract`` CLI
directly on the same page images (rasterised from the scan PDFs as the pipeline does),
one process per core, ``OMP_THREAD_LIMIT=1``, the same recognition flags. Results print
as a markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kafka import KafkaConsumer, TopicPartition  # noqa: E402
from kafka.admin import KafkaAdminClient  # noqa: E402

from examples.render import example_texts, scan_pdf  # noqa: E402
from services.notify.notices import build_notices  # noqa: E402
from services.ocr.raster import PdfPages  # noqa: E402
from vanthu.directory import UnitDirectory  # noqa: E402
from vanthu.events import DirectiveParsed  # noqa: E402
from vanthu.provision import create_buckets, create_topics, private_copy, remove_private  # noqa: E402
from vanthu.settings import Settings  # noqa: E402
from vanthu.storage import Storage  # noqa: E402

CORES = os.cpu_count() or 1
VANTHU = ROOT / ".venv" / "bin" / "vanthu"
STACK = [sys.executable, str(ROOT / "deploy" / "local" / "stack.py")]


def scans(count: int) -> list[tuple[str, bytes]]:
    """``count`` distinct image-only scans of the examples (shortest first, new seeds on reuse)."""
    texts = example_texts()
    stems = sorted(texts, key=lambda s: len(texts[s]))
    return [(f"{stems[i % len(stems)]}-{i}", scan_pdf(texts[stems[i % len(stems)]], seed=100 + i))
            for i in range(count)]


def page_pngs(docs: list[tuple[str, bytes]], workdir: Path, dpi: int) -> list[Path]:
    """The pixels the pipeline gets out of each scan PDF, as PNG files."""
    pngs = []
    for name, data in docs:
        pages = PdfPages(data, dpi)
        try:
            for i in range(len(pages)):
                png = workdir / f"{name}_{i}.png"
                pages.image(i + 1).image.save(png, dpi=(dpi, dpi))
                pngs.append(png)
        finally:
            pages.close()
    return pngs


def raw_tesseract(pngs: list[Path], dpi: int) -> float:
    """Seconds for the ``tesseract`` CLI on every page, one process per core."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def run(png: Path) -> None:
        subprocess.run(["tesseract", str(png), "stdout", "-l", "vie", "--dpi", str(dpi), "--psm", "3", "tsv"],
                       env=env, check=True, capture_output=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(CORES) as pool:
        list(pool.map(run, pngs))
    return time.perf_counter() - start


class Watcher:
    """Arrival times of the run's text events and notices, read in a thread."""

    def __init__(self, settings: Settings) -> None:
        t = settings.topics
        self.topics = {"text": t.text, "directives": t.directives, "assignments": t.assignments, "review": t.review}
        self.text_at: dict[str, float] = {}
        self.directives: dict[str, dict] = {}
        self.notice_at: dict[str, dict[str, float]] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None,
                                      enable_auto_commit=False, auto_offset_reset="earliest")
        self.objects = settings.topics.objects  # shared: read from its end, this run's bucket only
        self.bucket = settings.buckets.incoming
        self.partition_of: dict[str, int] = {}  # object key -> partition of its notification
        self.consumer.assign([TopicPartition(topic, p) for topic in [*self.topics.values(), self.objects]
                              for p in sorted(self.consumer.partitions_for_topic(topic) or {0})])
        self.consumer.seek_to_end(*(TopicPartition(self.objects, p)
                                    for p in self.consumer.partitions_for_topic(self.objects)))
        for p in self.consumer.partitions_for_topic(self.objects):
            self.consumer.position(TopicPartition(self.objects, p))  # resolve the end offset now
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        by_topic = {v: k for k, v in self.topics.items()}
        while not self.stop.is_set():
            batch = self.consumer.poll(timeout_ms=200)
            now = time.perf_counter()
            with self.lock:
                for tp, records in batch.items():
                    for record in records:
                        event = json.loads(record.value)
                        if tp.topic == self.objects:
                            bucket, _, key = event.get("Key", "").partition("/")
                            if bucket == self.bucket:
                                self.partition_of[unquote_plus(key)] = tp.partition
                            continue
                        kind = by_topic[tp.topic]
                        if kind == "text":
                            self.text_at.setdefault(event["document_id"], now)
                        elif kind == "directives":
                            self.directives[event["document_id"]] = event
                        else:
                            self.notice_at.setdefault(event["document_id"], {}).setdefault(
                                event["idempotency_key"], now)
        self.consumer.close()

    def done_at(self, document_id: str, directory: UnitDirectory) -> float | None:
        """When the document's last expected notice arrived, or None yet."""
        with self.lock:
            event = self.directives.get(document_id)
            if event is None:
                return None
            wanted = {n.idempotency_key for n in build_notices(DirectiveParsed.model_validate(event), document_id,
                                                                directory)}
            arrived = self.notice_at.get(document_id, {})
            if not wanted <= arrived.keys():
                return None
            return max((arrived[k] for k in wanted), default=self.text_at.get(document_id))


def wait_groups(settings: Settings, members: dict[str, int], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
        try:
            groups = admin.describe_consumer_groups(list(members))
        finally:
            admin.close()
        if all(g.state == "Stable" and len(g.members) == members[g.group] for g in groups):
            return
        time.sleep(1)
    raise SystemExit(f"consumer groups not ready within {timeout:.0f}s")


def run(workers: int, docs: list[tuple[str, bytes]], pages: int, logs: Path) -> dict:
    """One batch through ``workers`` OCR processes; throughput and latency."""
    settings = private_copy(Settings(), f"scale{uuid.uuid4().hex[:6]}")
    create_topics(settings)
    create_buckets(settings)
    env = os.environ | settings.as_env() | {"PYTHONUNBUFFERED": "1"}
    threads = max(1, CORES // workers)
    procs = []

    def serve(stage: str, name: str, **extra: str) -> None:
        with open(logs / f"w{workers}-{name}.log", "wb") as log:
            procs.append(subprocess.Popen([str(VANTHU), "serve", stage], cwd=ROOT, env=env | extra, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True))

    try:
        for i in range(workers):
            serve("ocr", f"ocr{i + 1}", VANTHU_OCR__WORKERS=str(threads))
        serve("parse", "parse")
        serve("notify", "notify")
        wait_groups(settings, {settings.group("ocr"): workers, settings.group("parse"): 1,
                               settings.group("notify"): 1, settings.group("channels"): 1})
        watcher = Watcher(settings)
        directory = UnitDirectory.load()
        client = Storage(settings).client
        uploaded: dict[str, float] = {}

        start = time.perf_counter()
        for name, data in docs:
            client.put_object(settings.buckets.incoming, f"bench/{name}.pdf", io.BytesIO(data), len(data))
            uploaded[hashlib.sha256(data).hexdigest()] = time.perf_counter()
        deadline = time.monotonic() + 600 + 30 * pages
        done: dict[str, float] = {}
        while len(done) < len(uploaded):
            if time.monotonic() > deadline:
                raise SystemExit(f"batch incomplete: {len(done)}/{len(uploaded)} documents notified")
            for doc in uploaded.keys() - done.keys():
                if (at := watcher.done_at(doc, directory)) is not None:
                    done[doc] = at
            time.sleep(0.2)
        watcher.stop.set()
        watcher.thread.join(timeout=10)
        ocr_s = max(watcher.text_at.values()) - start
        spread = [sum(1 for p in watcher.partition_of.values() if p == n) for n in sorted(set(
            watcher.partition_of.values()))]
        latencies = [done[doc] - uploaded[doc] for doc in uploaded]
        return {"workers": workers, "threads": threads, "pages": pages, "seconds": ocr_s,
                "ppm": pages / ocr_s * 60, "p50": statistics.median(latencies), "max": max(latencies),
                "spread": "/".join(map(str, spread))}
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        remove_private(settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=8, help="Scans in the batch (3-6 pages each).")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="OCR worker counts to measure.")
    args = parser.parse_args()
    subprocess.run([*STACK, "up"], check=True, capture_output=True)
    dpi = Settings().ocr.dpi
    print(f"rendering {args.scans} scans ...", file=sys.stderr)
    docs = scans(args.scans)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        pngs = page_pngs(docs, workdir, dpi)
        pages = len(pngs)
        print(f"raw tesseract on {pages} pages, {CORES} processes ...", file=sys.stderr)
        raw_s = raw_tesseract(pngs, dpi)
        results = []
        for workers in args.workers:
            print(f"{workers} OCR worker(s) ...", file=sys.stderr)
            results.append(run(workers, docs, pages, workdir))
    raw_ppm = pages / raw_s * 60
    print(f"\n{args.scans} scans, {pages} pages at {dpi} dpi, {CORES} cores\n")
    print("| OCR workers × threads | seconds | pages/min | of raw Tesseract | upload → last notice p50 | max "
          "| documents per partition |")
    print("|---|---|---|---|---|---|---|")
    print(f"| raw `tesseract` CLI, {CORES} processes | {raw_s:.1f} | {raw_ppm:.1f} | 100% | | | |")
    for r in results:
        print(f"| {r['workers']} × {r['threads']} | {r['seconds']:.1f} | {r['ppm']:.1f} | "
              f"{r['ppm'] / raw_ppm:.0%} | {r['p50']:.1f} s | {r['max']:.1f} s | {r['spread']} |")


if __name__ == "__main__":
    main()
