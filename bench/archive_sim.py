"""How an OCR fleet behaves over an archive: a simulation from this machine's measured figures.

    python bench/archive_sim.py [--pages 1000000] [--workers 100] [--cores 8] [--seed 1]

Issue 15 asks how 100 OCR workers over 1 M pages behave: the time, the load on Kafka and
MinIO, and what saturates first. A real run of that size is out of reach here (2 cores), so
this draws the archive and plays it through the system as it is built:

- documents: page counts drawn from the 27 real PDFs of ``../shared/corpus/pdfs`` (1-35
  pages, median 3), until the archive's pages are reached;
- Kafka: each document's key hashes to one of ``--partitions`` partitions of
  ``vanthu.objects.bulk`` (uniformly: keys are object names); a consumer group gives each
  worker an equal share of whole partitions (``vanthu init --partitions N``), and a
  partition is read by one worker only, in order;
- an OCR worker with ``--cores`` cores reads one document's pages in parallel and, at the
  stage's measured efficiency (``--efficiency``: pages per core-second against raw
  Tesseract, bench/scale), starts the next document's pages while the last ones finish;
  each document also costs ``--overhead`` seconds of serial work (MinIO read and writes,
  state records, publishing);
- downstream, a parse worker takes ``--parse-ms`` a document and a notify worker sends
  ``--notices-per-s`` notices, ``--notices`` per document.

It prints, for several partition counts, the archive's wall time against the ideal (every
core busy from start to end), how uneven the workers' loads are, and the request and byte
rates MinIO and Kafka see; then the parse and notify workers needed to keep up. The
per-page, per-document and per-notice figures default to those measured on this machine
(README, "Benchmarks"); change them with the flags to model other hardware.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

# Page counts of the corpus's 27 real PDFs (portal scans and e-signed files), the archive's shape.
CORPUS_PAGES = [1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 7, 8, 10, 12, 15, 19, 35]
MINIO_REQUESTS_PER_DOCUMENT = 10  # read, previous version, receipt, duplicate listing, artifact, state steps
ARTIFACT_BYTES_PER_PAGE = 62_000  # the text artifact's JSON, words with their boxes
KAFKA_EVENTS_PER_DOCUMENT = 3  # object event, vanthu.text, vanthu.directives (notices counted apart)


def simulate(args: argparse.Namespace, partitions: int, rng: np.random.Generator) -> dict[str, float]:
    """One draw of the archive over ``partitions`` partitions: wall time and loads."""
    pages = rng.choice(CORPUS_PAGES, size=int(args.pages / np.mean(CORPUS_PAGES) * 1.2))
    pages = pages[: np.searchsorted(np.cumsum(pages), args.pages) + 1]
    partition = rng.integers(0, partitions, size=len(pages))
    # Seconds a worker spends on each document: its pages over the worker's cores at the
    # stage's efficiency, plus the serial part that no core overlap hides.
    seconds = pages * args.page_s / (args.cores * args.efficiency) + args.overhead
    per_partition = np.bincount(partition, weights=seconds, minlength=partitions)
    # Whole partitions per worker, as even as the counts allow (Kafka's range/sticky assignors).
    owner = np.arange(partitions) % args.workers
    per_worker = np.bincount(owner, weights=per_partition, minlength=args.workers)
    wall = per_worker.max()
    ideal = pages.sum() * args.page_s / (args.workers * args.cores)
    documents = len(pages)
    return {
        "documents": documents,
        "wall_h": wall / 3600,
        "ideal_h": ideal / 3600,
        "busy": per_worker.mean() / wall,
        "spread": per_worker.max() / per_worker.mean(),
        "minio_rps": documents * MINIO_REQUESTS_PER_DOCUMENT / wall,
        "minio_mbps": pages.sum() * ARTIFACT_BYTES_PER_PAGE / wall / 1e6,
        "kafka_mps": documents * (KAFKA_EVENTS_PER_DOCUMENT + args.notices) / wall,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=100)
    ap.add_argument("--cores", type=int, default=8, help="cores per OCR worker")
    ap.add_argument("--page-s", type=float, default=1.4, help="raw Tesseract core-seconds a page (300 dpi scan)")
    ap.add_argument("--efficiency", type=float, default=0.95, help="the OCR stage's pages/min against raw")
    ap.add_argument("--overhead", type=float, default=0.15, help="serial seconds a document costs a worker")
    ap.add_argument("--parse-ms", type=float, default=35.0, help="parse time a document (bench/parse p95 ~32 ms)")
    ap.add_argument("--notices", type=float, default=80.0, help="notices a document (the examples: ~80)")
    ap.add_argument("--notices-per-s", type=float, default=300.0, help="notices one notify worker sends a second")
    ap.add_argument("--partitions", type=int, nargs="*", help="partition counts to compare (default: 1x, 2x, 4x workers)")
    ap.add_argument("--draws", type=int, default=5, help="archives drawn per partition count (the worst is shown)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    counts = args.partitions or [args.workers, 2 * args.workers, 4 * args.workers]

    print(f"{args.pages:,} pages, {args.workers} OCR workers x {args.cores} cores, {args.page_s} core-s a page, "
          f"efficiency {args.efficiency}, {args.overhead} s a document\n")
    print("| partitions | documents | wall time | ideal | cores busy | busiest worker / mean | MinIO req/s | "
          "MinIO MB/s | Kafka msg/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    results = {}
    for partitions in counts:
        draws = [simulate(args, partitions, rng) for _ in range(args.draws)]
        r = max(draws, key=lambda d: d["wall_h"])
        results[partitions] = r
        print(f"| {partitions} | {r['documents']:,} | {r['wall_h'] * 60:.0f} min | {r['ideal_h'] * 60:.0f} min | "
              f"{r['busy']:.0%} | {r['spread']:.2f} | {r['minio_rps']:,.0f} | {r['minio_mbps']:.0f} | "
              f"{r['kafka_mps']:,.0f} |")

    best = results[min(results, key=lambda p: results[p]["wall_h"])]
    wall_s = best["wall_h"] * 3600
    parse_workers = math.ceil(best["documents"] * args.parse_ms / 1000 / wall_s)
    notify_workers = math.ceil(best["documents"] * args.notices / args.notices_per_s / wall_s)
    print(f"\nTo keep up with that OCR fleet ({best['documents'] / wall_s:.0f} documents/s): "
          f"{parse_workers} parse worker(s) at {args.parse_ms:.0f} ms a document, "
          f"{notify_workers} notify worker(s) at {args.notices_per_s:.0f} notices/s "
          f"({best['documents'] * args.notices / wall_s:,.0f} notices/s). With one of each, parse would take "
          f"{best['documents'] * args.parse_ms / 1000 / 3600:.1f} h and notify "
          f"{best['documents'] * args.notices / args.notices_per_s / 3600:.1f} h: notify saturates first.")


if __name__ == "__main__":
    main()
