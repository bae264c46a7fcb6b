"""End-to-end latency: from object upload to the assignment notices on Kafka.

    python bench/e2e.py [--text-runs 10] [--scan-runs 3]

Runs the three services in this process against the real local Kafka and MinIO (started
when absent), on private topics and buckets. Each run uploads a fresh variant of the
document (a trailing PDF comment changes its sha256, so no artifact is reused) and
measures until the first and until the last notice of that document. The OCR time of
the same scan, measured alone in this process, stands beside it as the reference.
Goal: text-layer PDF p50 under 1 s; a scan under its OCR time + 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examples.render import example_texts, scan_pdf, text_pdf  # noqa: E402
from services.notify import app as notify_app  # noqa: E402
from services.ocr import app as ocr_app  # noqa: E402
from services.ocr.pipeline import extract  # noqa: E402
from services.parse import app as parse_app  # noqa: E402
from vanthu.kafka_auth import client_options  # noqa: E402
from vanthu.provision import create_buckets, create_topics, private_copy, remove_private  # noqa: E402
from vanthu.settings import Settings  # noqa: E402
from vanthu.announce import Announcer  # noqa: E402
from vanthu.events import ObjectRef  # noqa: E402
from vanthu.storage import Storage  # noqa: E402

SAMPLE = "002_d2642929b84c508e"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(settings: Settings, storage: Storage, variants: list[bytes], idle_s: float = 3.0) -> dict[str, list[float]]:
    """Upload and announce each variant in turn, as `vanthu submit` does; seconds from upload
    to the first object event on ``vanthu.objects`` (the announcement; MinIO's own follows),
    and to the document's first and last notice."""
    announcer = Announcer(storage)
    consumer = AIOKafkaConsumer(settings.topics.objects, settings.topics.assignments, settings.topics.review,
                                settings.topics.failed, bootstrap_servers=settings.kafka_bootstrap,
                                auto_offset_reset="latest", group_id=None, **client_options(settings))
    await consumer.start()
    await consumer.getmany(timeout_ms=500)  # join before the first upload, so nothing is missed
    times: dict[str, list[float]] = {"event": [], "first": [], "last": []}
    try:
        for data in variants:
            document_id = hashlib.sha256(data).hexdigest()
            key = f"{settings.buckets.incoming}/bench/{uuid.uuid4().hex}.pdf"
            start = time.perf_counter()
            written = await asyncio.to_thread(storage.client.put_object, settings.buckets.incoming,
                                              key.split("/", 1)[1], io.BytesIO(data), len(data))
            await asyncio.to_thread(announcer.announce, ObjectRef(  # as `vanthu submit` uploads
                bucket=settings.buckets.incoming, key=key.split("/", 1)[1], version_id=written.version_id))
            event = first = last = None
            while True:
                batch = await consumer.getmany(timeout_ms=200)
                now = time.perf_counter()
                for records in batch.values():
                    for record in records:
                        payload = json.loads(record.value)
                        if record.topic == settings.topics.objects:
                            event = event or (now if payload.get("Key") == key else None)  # the first of two
                            continue
                        if payload.get("document_id") != document_id:
                            continue
                        if record.topic == settings.topics.failed:
                            raise SystemExit(f"document failed: {payload}")
                        first = first or now
                        last = now
                if last and time.perf_counter() - last > idle_s:
                    break
                if time.perf_counter() - start > 600:
                    raise SystemExit("no notice within 600 s")
            for name, moment in (("event", event), ("first", first), ("last", last)):
                times[name].append(moment - start)
    finally:
        announcer.close()
        await consumer.stop()
    return times


async def main(text_runs: int, scan_runs: int) -> None:
    stack = [sys.executable, str(ROOT / "deploy" / "local" / "stack.py")]
    up = subprocess.run([*stack, "up"], check=True, capture_output=True, text=True)
    settings = private_copy(Settings(), f"bench{uuid.uuid4().hex[:6]}")
    create_topics(settings)
    create_buckets(settings)
    storage = Storage(settings)
    text = example_texts()[SAMPLE]
    text_doc, scan_doc = text_pdf(text), scan_pdf(text, seed=7)

    ocr_alone = []
    for _ in range(max(1, scan_runs)):
        start = time.perf_counter()
        artifact = extract(scan_doc, settings.ocr)
        ocr_alone.append(time.perf_counter() - start)
    pages = len(artifact.pages)

    apps = [m.create_app(settings) for m in (ocr_app, parse_app, notify_app)]
    for app in apps:
        await app.start()
    try:
        # A warm-up document, so consumer-group joins are not counted as latency.
        await measure(settings, storage, [text_doc + b"\n%warm-up\n"])
        variant = lambda doc, i: doc + f"\n%bench {uuid.uuid4().hex} {i}\n".encode()  # noqa: E731
        text_times = await measure(settings, storage, [variant(text_doc, i) for i in range(text_runs)])
        scan_times = await measure(settings, storage, [variant(scan_doc, i) for i in range(scan_runs)])
    finally:
        for app in apps:
            await app.stop()
        remove_private(settings)
        if up.stdout.strip().endswith("started"):
            subprocess.run([*stack, "down"], check=True, stdout=subprocess.DEVNULL)

    ocr_p50 = statistics.median(ocr_alone)
    print(f"\nEnd-to-end latency, upload -> assignment notices on Kafka (sample {SAMPLE}, {pages}-page scan)\n")
    print("| input | runs | upload -> object event p50 | event -> first notice p50 / p95 "
          "| upload -> first notice p50 / p95 | upload -> last notice p50 / p95 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, times in ((f"text-layer PDF ({pages} pages)", text_times), (f"{pages}-page scan", scan_times)):
        ours = [f - e for f, e in zip(times["first"], times["event"], strict=True)]
        print(f"| {label} | {len(times['first'])} | {pct(times['event'], .5):.2f} s | {pct(ours, .5):.2f} / "
              f"{pct(ours, .95):.2f} s | {pct(times['first'], .5):.2f} / {pct(times['first'], .95):.2f} s | "
              f"{pct(times['last'], .5):.2f} / {pct(times['last'], .95):.2f} s |")
    print(f"\nOCR alone of the same scan, in this process: p50 {ocr_p50:.2f} s over {len(ocr_alone)} runs "
          f"(goal for the scan: upload -> first notice under OCR + 1 s = {ocr_p50 + 1:.2f} s)")
    print("Uploads are announced as `vanthu submit` announces them (vanthu/announce.py); MinIO's own event, from "
          "a queue polled every 3 s, would add 0-3 s.")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--text-runs", type=int, default=10)
    parser.add_argument("--scan-runs", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.text_runs, args.scan_runs))
