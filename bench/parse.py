"""Parse-stage timing: p50/p95 per document on the samples and on a 10-page directive.

Run ``python bench/parse.py`` from the project root. Single-threaded (one core); the
unit directory the service would load (the national one by default) is loaded once, as
the service does. Each run is timed on the wall clock and in this thread's CPU time:
on a busy machine the wall clock also counts other processes, the CPU time does not. The 10-page directive is the
header of sample 002 followed by the bodies of all samples, repeated to ~30,000
characters (about 3,000 characters a page).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.parse.parser import parse_directive  # noqa: E402
from vanthu.directory import UnitDirectory  # noqa: E402
from vanthu.settings import get_settings  # noqa: E402

SAMPLES = ROOT / "examples" / "directives"
PAGE_CHARS = 3000


def _time(text: str, directory: UnitDirectory, runs: int) -> tuple[float, float, float, float]:
    """(wall p50, wall p95, CPU p50, CPU p95) in ms."""
    parse_directive(text, directory)  # warm caches, as a running service has
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        parse_directive(text, directory)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return (*_p50_p95(wall), *_p50_p95(cpu))


def _p50_p95(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    directory = UnitDirectory.from_settings(get_settings())
    texts = {p.stem[:3]: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
    print(f"{'document':<22}{'chars':>8}{'p50 ms':>10}{'p95 ms':>10}{'CPU p50':>10}{'CPU p95':>10}")
    row = "{:<22}{:>8}{:>10.1f}{:>10.1f}{:>10.1f}{:>10.1f}"
    for stem, text in texts.items():
        print(row.format("sample " + stem, len(text), *_time(text, directory, 50)))
    bodies = [t.split("Nơi nhận")[0] for t in texts.values()]
    long_text = texts.get("002", "").split("Nơi nhận")[0]
    i = 0
    while len(long_text) < 10 * PAGE_CHARS:
        long_text += "\n\n" + bodies[i % len(bodies)]
        i += 1
    long_text += "\n\nNơi nhận:\n- Lưu: VT.\n\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nNguyễn Văn A\n"
    print(row.format("10-page directive", len(long_text), *_time(long_text, directory, 30)))
    # A fresh process pays for cold caches (directory matches) once; show it too.
    fresh = UnitDirectory.from_settings(get_settings())
    start = time.perf_counter()
    parse_directive(long_text, fresh)
    print(f"{'10-page, cold cache':<22}{len(long_text):>8}{(time.perf_counter() - start) * 1000:>10.1f}")


if __name__ == "__main__":
    main()
