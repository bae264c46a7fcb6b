"""Scaling of the OCR service: pages per minute with 1 and with 2 OCR workers.

    python bench/scale.py [--scans 32] [--workers 1 2] [--threads T]

On the real local Kafka and MinIO (started when absent), for each worker count W: the
three services as real processes (``vanthu serve ocr`` W times in one consumer group,
with ``VANTHU_OCR__WORKERS`` = cores / W so that the machine is not oversubscribed, or T
with ``--threads``, one
``vanthu serve parse``, one ``vanthu serve notify``) on topics, buckets and groups of
their own; a batch of image-only scans is uploaded at once, and the bench measures

- throughput: the batch's pages / (last ``vanthu.text`` event - first upload);
- latency under that load: upload -> the document's last assignment notice (p50, max).

With ``--ocr-only`` only the OCR workers run (no parse, no notify: the text events wait
on their topic), as a deployment that gives the OCR workers machines of their own runs
them; latency is then upload -> the document's text event. On a machine where parse,
notify, Kafka and MinIO share the cores with the worker, the difference between the two
runs is what they take from it.

With ``--bulk`` the batch goes through the bulk lane (keys under the bulk prefix, as
``vanthu submit --bulk`` puts them); ``--urgent N`` then uploads N one-page HỎA TỐC letters
spread over the batch (the next when another 1/(N+1) of the batch is read) on the ordinary
lane, and reports upload -> the letter's first notice (p50, p95) beside the letter's own
OCR time, measured alone before the run.

``--bulk-memory PAGES`` instead measures the peak memory of a worker reading one
PAGES-page scan in the bulk lane, in-process: the service process, the bulk process and
the largest Tesseract process (sampled). Its page is a light one, so that 500 pages take a
few minutes of both cores: the one-page HỎA TỐC letter (tests/services/data/hoa_toc.txt,
a header, two short clauses and the closing on the real form) scanned at 150 dpi, about
0.1 MB of PDF a page, repeated. What grows with the page count (the document's bytes,
the artifact's pages) grows with it as with heavier pages, only less per page.

The reference is the raw Tesseract limit in the same run: the ``tesseract`` CLI
directly on the same page images (rasterised from the scan PDFs as the pipeline does),
one process per core, ``OMP_THREAD_LIMIT=1``, the same recognition flags. It is taken
before the first worker count and after each, and each count is compared with the mean
of the two around it: a shared machine's speed drifts over minutes (the same 113 pages
took raw Tesseract 74 s in one run and 104 s in another), and a reference taken only
before would credit or blame the worker with the drift. Beside the wall-clock ratio, the
OCR workers' CPU per page (their own and their Tesseract runs', from ``/proc`` from the
moment their consumer groups are ready to the batch's end) is set against raw
Tesseract's: the cost of a page apart from the share of the cores its neighbours take
(Kafka, MinIO, parse and notify, whose CPU is shown too). It moves with a shared
machine too, less than the wall clock does. Results print
as a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import os
import resource
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

from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition  # noqa: E402
from kafka.admin import KafkaAdminClient  # noqa: E402

import pypdfium2  # noqa: E402

from bench.procstat import cpu_seconds, descendants  # noqa: E402
from examples.render import example_texts, scan_pdf  # noqa: E402
from services.ocr.lanes import Lanes  # noqa: E402
from services.notify.notices import build_notices  # noqa: E402
from services.ocr.pipeline import extract  # noqa: E402
from services.ocr.raster import PdfPages  # noqa: E402
from vanthu.announce import Announcer  # noqa: E402
from vanthu.directory import UnitDirectory  # noqa: E402
from vanthu.events import DirectiveParsed, ObjectRef  # noqa: E402
from vanthu.provision import create_buckets, create_topics, private_copy, remove_private  # noqa: E402
from vanthu.settings import LaneOptions, Settings  # noqa: E402
from vanthu.storage import Storage  # noqa: E402

CORES = os.cpu_count() or 1
VANTHU = ROOT / ".venv" / "bin" / "vanthu"
URGENT = ROOT / "tests" / "services" / "data" / "hoa_toc.txt"  # a one-page letter marked HỎA TỐC
STACK = [sys.executable, str(ROOT / "deploy" / "local" / "stack.py")]


# The scanners' resolutions the batch mixes, in turn: a records office's copiers scan at
# 150-300 dpi.
SCAN_DPIS = (300, 200, 150)


def scans(count: int) -> list[tuple[str, bytes]]:
    """``count`` distinct image-only scans of the examples on the renderer's form (shortest
    first, new seeds on reuse), at 300, 200 and 150 dpi in turn."""
    texts = example_texts()
    stems = sorted(texts, key=lambda s: len(texts[s]))
    return [(f"{stems[i % len(stems)]}-{i}", scan_pdf(texts[stems[i % len(stems)]], dpi=SCAN_DPIS[i % len(SCAN_DPIS)],
                                                     seed=100 + i))
            for i in range(count)]


def page_pngs(docs: list[tuple[str, bytes]], workdir: Path, dpi: int) -> list[tuple[Path, int]]:
    """The pixels the pipeline gets out of each scan PDF (a scan at its own resolution), as
    PNG files with their resolution."""
    pngs = []
    for name, data in docs:
        pages = PdfPages(data, dpi)
        try:
            for i in range(len(pages)):
                png = workdir / f"{name}_{i}.png"
                page = pages.image(i + 1)
                page.image.save(png, dpi=(page.dpi or dpi, page.dpi or dpi))
                pngs.append((png, page.dpi or dpi))
        finally:
            pages.close()
    return pngs


def raw_tesseract(pngs: list[tuple[Path, int]]) -> tuple[float, float]:
    """Seconds and CPU seconds for the ``tesseract`` CLI on every page (at its resolution),
    one process per core."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def run(page: tuple[Path, int]) -> None:
        png, dpi = page
        subprocess.run(["tesseract", str(png), "stdout", "-l", "vie", "--dpi", str(dpi), "--psm", "3", "tsv"],
                       env=env, check=True, capture_output=True)

    start, cpu = time.perf_counter(), _children_cpu()
    with ThreadPoolExecutor(CORES) as pool:
        list(pool.map(run, pngs))
    return time.perf_counter() - start, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Watcher:
    """Arrival times of the run's text events and notices, read in a thread."""

    def __init__(self, settings: Settings) -> None:
        t = settings.topics
        self.topics = {"text": t.text, "directives": t.directives, "assignments": t.assignments, "review": t.review}
        self.text_at: dict[str, float] = {}
        self.directives: dict[str, dict] = {}
        self.notice_at: dict[str, dict[str, float]] = {}
        self.wanted: dict[str, set[str]] = {}  # document id -> its notices' keys, worked out once
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
        """When the document's last expected notice arrived, or None yet. (Its notices are
        worked out once: the bench shares the cores with the services it measures.)"""
        with self.lock:
            event = self.directives.get(document_id)
            if event is None:
                return None
            if (wanted := self.wanted.get(document_id)) is None:
                wanted = self.wanted[document_id] = {n.idempotency_key for n in build_notices(
                    DirectiveParsed.model_validate(event), document_id, directory)}
            arrived = self.notice_at.get(document_id, {})
            if not wanted <= arrived.keys():
                return None
            return max((arrived[k] for k in wanted), default=self.text_at.get(document_id))

    def first_notice_at(self, document_id: str) -> float | None:
        with self.lock:
            return min(self.notice_at.get(document_id, {}).values(), default=None)


def urgent_letters(count: int) -> list[bytes]:
    """``count`` distinct one-page scans of the HỎA TỐC letter."""
    text = URGENT.read_text(encoding="utf-8")
    return [scan_pdf(text, seed=500 + i) for i in range(count)]


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


def skip_history(settings: Settings) -> None:
    """Start the run's OCR group at the end of ``vanthu.objects``, which MinIO's
    notification makes shared with every earlier run and test (thousands of events for
    other buckets): the run measures its own batch, not skipping theirs."""
    topic = settings.topics.objects
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=settings.group("ocr"),
                             enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_end(*partitions)
        consumer.commit({tp: OffsetAndMetadata(consumer.position(tp), "", -1) for tp in partitions})
    finally:
        consumer.close()


def run(workers: int, docs: list[tuple[str, bytes]], pages: int, logs: Path, bulk: bool = False,
        urgent: list[bytes] | None = None, threads: int | None = None, ocr_only: bool = False) -> dict:
    """One batch through ``workers`` OCR processes of ``threads`` Tesseract slots each
    (default: the cores shared out) (on the bulk lane if ``bulk``, with the ``urgent``
    letters uploaded during it; without parse and notify if ``ocr_only``); throughput and
    latency."""
    urgent = urgent or []
    settings = private_copy(Settings(), f"scale{uuid.uuid4().hex[:6]}")
    create_topics(settings)
    create_buckets(settings)
    skip_history(settings)
    env = os.environ | settings.as_env() | {"PYTHONUNBUFFERED": "1"}
    threads = threads or max(1, CORES // workers)
    procs = []

    def serve(stage: str, name: str, **extra: str) -> None:
        with open(logs / f"w{workers}-{name}.log", "wb") as log:
            procs.append(subprocess.Popen([str(VANTHU), "serve", stage], cwd=ROOT, env=env | extra, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True))

    try:
        for i in range(workers):
            serve("ocr", f"ocr{i + 1}", VANTHU_OCR__WORKERS=str(threads))
        groups = {settings.group("ocr"): workers, f"{settings.group('ocr')}.bulk": workers}
        if not ocr_only:
            serve("parse", "parse")
            serve("notify", "notify")
            groups |= {settings.group("parse"): 1, settings.group("notify"): 1, settings.group("channels"): 1}
        wait_groups(settings, groups)
        started_cpu = [cpu_seconds(proc.pid) for proc in procs]  # after start-up (the directory's load)
        watcher = Watcher(settings)
        directory = UnitDirectory.from_settings(settings)  # the one the services load
        storage = Storage(settings)
        announcer = Announcer(storage)  # as `vanthu submit` uploads: announced, unless in the bulk lane
        uploaded: dict[str, float] = {}

        def put(key: str, data: bytes, announce: bool) -> None:
            written = storage.client.put_object(settings.buckets.incoming, key, io.BytesIO(data), len(data))
            if announce:
                announcer.announce(ObjectRef(bucket=settings.buckets.incoming, key=key, version_id=written.version_id))

        prefix = settings.lanes.bulk_prefix if bulk else ""
        start = time.perf_counter()
        for name, data in docs:
            put(f"{prefix}bench/{name}.pdf", data, announce=not bulk)
            uploaded[hashlib.sha256(data).hexdigest()] = time.perf_counter()
        deadline = time.monotonic() + 600 + 30 * pages
        letters: dict[str, float] = {}  # document id -> upload time
        for i, letter in enumerate(urgent):
            while len(watcher.text_at) < (i + 1) * len(docs) // (len(urgent) + 1) and time.monotonic() < deadline:
                time.sleep(0.1)
            put(f"bench/hoả tốc {i}.pdf", letter, announce=True)
            letters[hashlib.sha256(letter).hexdigest()] = uploaded[hashlib.sha256(letter).hexdigest()] = \
                time.perf_counter()
        done: dict[str, float] = {}
        while len(done) < len(uploaded):
            if time.monotonic() > deadline:
                raise SystemExit(f"batch incomplete: {len(done)}/{len(uploaded)} documents notified")
            for doc in uploaded.keys() - done.keys():
                with watcher.lock:
                    read_at = watcher.text_at.get(doc)
                if (at := read_at if ocr_only else watcher.done_at(doc, directory)) is not None:
                    done[doc] = at
            time.sleep(0.2)
        cpu = [cpu_seconds(proc.pid) - before for proc, before in zip(procs, started_cpu)]
        announcer.close()
        watcher.stop.set()
        watcher.thread.join(timeout=10)
        ocr_s = max(watcher.text_at.values()) - start
        spread = [sum(1 for p in watcher.partition_of.values() if p == n) for n in sorted(set(
            watcher.partition_of.values()))]
        latencies = [done[doc] - uploaded[doc] for doc in uploaded if doc not in letters]
        urgent_s = sorted(watcher.first_notice_at(doc) - at for doc, at in letters.items())
        return {"workers": workers, "threads": threads, "pages": pages + len(urgent), "seconds": ocr_s,
                "ppm": (pages + len(urgent)) / ocr_s * 60, "p50": statistics.median(latencies),
                "max": max(latencies), "spread": "/".join(map(str, spread)), "urgent": urgent_s,
                "ocr_cpu": sum(cpu[:workers]), "other_cpu": sum(cpu[workers:])}
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


def _is_host(pid: int) -> bool:
    """Whether ``pid`` is a Tesseract host (services/ocr/tesseract_host.py)."""
    return b"services.ocr.tesseract_host" in Path(f"/proc/{pid}/cmdline").read_bytes()


def _peak_kb(pid: int) -> tuple[str, int]:
    """A process's name and its peak resident memory (VmHWM) so far, in KiB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return status["Name"].strip(), int(status.get("VmHWM", "0 kB").split()[0])


def _rss_kb(pid: int) -> int:
    """A process's resident memory now (VmRSS), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def bulk_memory(pages: int) -> None:
    """Read one ``pages``-page scan in the bulk lane; print the peaks (see the module docstring).

    The service process's figure is its resident memory sampled while the document is read
    and once its artifact is back (what the service holds then: the artifact's pages without
    their layout; the document and the artifact's JSON pass as files), not its lifetime
    peak, which counts building the test file; what building it left is printed too."""
    source = pypdfium2.PdfDocument(scan_pdf(URGENT.read_text(encoding="utf-8"), dpi=150, seed=1))
    document = pypdfium2.PdfDocument.new()
    while len(document) < pages:
        document.import_pages(source, list(range(min(len(source), pages - len(document)))))
    lanes = Lanes(LaneOptions())
    peaks: dict[str, int] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            peaks["service process"] = max(peaks.get("service process", 0), _rss_kb(os.getpid()))
            for pid in descendants(os.getpid()):
                try:
                    name, kb = _peak_kb(pid)
                    kind = "tesseract" if name.startswith("tesseract") or _is_host(pid) else "bulk process"
                except (OSError, KeyError):
                    continue
                peaks[kind] = max(peaks.get(kind, 0), kb)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bulk.pdf"
        document.save(path)
        document.close()
        source.close()
        size = path.stat().st_size
        before = _rss_kb(os.getpid())  # what building the test file left in this process
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        artifact = asyncio.run(lanes.extract_bulk(path, Path(tmp) / "artifact.json",
                                                  Settings().ocr.model_copy(update={"max_pages": pages})))
        seconds = time.perf_counter() - start
        stop.set()
        sampler.join()
        peaks["service process"] = max(peaks.get("service process", 0), _rss_kb(os.getpid()))
        lanes.close()
    print(f"\none {pages}-page scan ({size / 1e6:.0f} MB) in the bulk lane: {len(artifact.pages)} pages read "
          f"in {seconds:.0f} s\n")
    print("| process | peak memory |")
    print("|---|---|")
    for kind, kb in sorted(peaks.items()):
        print(f"| {kind} | {kb / 1024:.0f} MB |")
    print(f"| service process, before the document was handed over | {before / 1024:.0f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=32, help="Scans in the batch (1-6 pages each).")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="OCR worker counts to measure.")
    parser.add_argument("--threads", type=int, help="Tesseract slots per worker (default: the cores shared out); "
                        "--threads 1 shows how throughput grows with workers up to the core count.")
    parser.add_argument("--ocr-only", action="store_true", help="Run the OCR workers alone (no parse, no notify).")
    parser.add_argument("--bulk", action="store_true", help="Send the batch through the bulk lane.")
    parser.add_argument("--urgent", type=int, default=0, help="HỎA TỐC letters to upload during the batch.")
    parser.add_argument("--bulk-memory", type=int, metavar="PAGES", help="Only: peak memory of one PAGES-page "
                        "scan in the bulk lane (no Kafka).")
    args = parser.parse_args()
    if args.bulk_memory:
        return bulk_memory(args.bulk_memory)
    load = os.getloadavg()  # the machine is often shared: say how busy it was
    subprocess.run([*STACK, "up"], check=True, capture_output=True)
    dpi = Settings().ocr.dpi
    print(f"rendering {args.scans} scans ...", file=sys.stderr)
    docs = scans(args.scans)
    letters = urgent_letters(args.urgent)
    alone = [_timed(extract, letter, Settings().ocr) for letter in letters]  # each letter's OCR, alone
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        pngs = page_pngs(docs, workdir, dpi)
        pages = len(pngs)
        print(f"raw tesseract on {pages} pages, {CORES} processes ...", file=sys.stderr)
        raws, raw_cpu = [], []

        def reference() -> None:
            seconds, cpu = raw_tesseract(pngs)
            raws.append(seconds)
            raw_cpu.append(cpu)

        reference()
        results = []
        for workers in args.workers:
            print(f"{workers} OCR worker(s) ...", file=sys.stderr)
            results.append(run(workers, docs, pages, workdir, bulk=args.bulk, urgent=letters, threads=args.threads,
                               ocr_only=args.ocr_only))
            print("raw tesseract again ...", file=sys.stderr)
            reference()
            results[-1]["raw_ppm"] = pages / statistics.mean(raws[-2:]) * 60  # the reference either side of it
    raw_ppm = pages / statistics.mean(raws) * 60
    print(f"\n{args.scans} scans, {pages} pages at {'/'.join(map(str, SCAN_DPIS))} dpi in turn, {CORES} cores, "
          f"load average before the run {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}\n")
    last = "text event" if args.ocr_only else "last notice"
    raw_page_cpu = statistics.mean(raw_cpu) / pages
    print(f"| OCR workers × threads | seconds | pages/min | of raw Tesseract | OCR CPU s/page (of raw) "
          f"| parse + notify CPU s | upload → {last} p50 | max | documents per partition |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| raw `tesseract` CLI, {CORES} processes (before and after each run) | "
          f"{' / '.join(f'{s:.1f}' for s in raws)} | {raw_ppm:.1f} | 100% | {raw_page_cpu:.2f} (100%) | | | | |")
    for r in results:
        page_cpu = r["ocr_cpu"] / r["pages"]
        print(f"| {r['workers']} × {r['threads']} | {r['seconds']:.1f} | {r['ppm']:.1f} | "
              f"{r['ppm'] / r['raw_ppm']:.0%} | {page_cpu:.2f} ({page_cpu / raw_page_cpu:.0%}) | "
              f"{r['other_cpu']:.1f} | {r['p50']:.1f} s | {r['max']:.1f} s | {r['spread']} |")
    if letters:
        print(f"\n{len(letters)} HỎA TỐC one-page letters uploaded during the {'bulk ' if args.bulk else ''}batch; "
              f"their OCR alone: p50 {statistics.median(alone):.1f} s, max {max(alone):.1f} s\n")
        print("| OCR workers | upload → first notice p50 | p95 | max |")
        print("|---|---|---|---|")
        for r in results:
            print(f"| {r['workers']} | {statistics.median(r['urgent']):.1f} s | {_p95(r['urgent']):.1f} s | "
                  f"{max(r['urgent']):.1f} s |")


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def _p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank: with 5 tries, the largest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, -(-95 * len(ordered) // 100) - 1)]


if __name__ == "__main__":
    main()
