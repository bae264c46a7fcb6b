"""Parse-stage timing: p50/p95 per document on the samples and on a 10-page directive.

Run ``python bench/parse.py`` from the project root. Single-threaded (one core); the
unit directory is loaded once, as the service does. The 10-page directive is the
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

SAMPLES = ROOT / "examples" / "directives"
PAGE_CHARS = 3000


def _time(text: str, directory: UnitDirectory, runs: int) -> tuple[float, float]:
    parse_directive(text, directory)  # warm caches, as a running service has
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_directive(text, directory)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    directory = UnitDirectory.load()
    texts = {p.stem[:3]: p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
    print(f"{'document':<22}{'chars':>8}{'p50 ms':>10}{'p95 ms':>10}")
    for stem, text in texts.items():
        p50, p95 = _time(text, directory, 50)
        print(f"{'sample ' + stem:<22}{len(text):>8}{p50:>10.1f}{p95:>10.1f}")
    bodies = [t.split("Nơi nhận")[0] for t in texts.values()]
    long_text = texts.get("002", "").split("Nơi nhận")[0]
    i = 0
    while len(long_text) < 10 * PAGE_CHARS:
        long_text += "\n\n" + bodies[i % len(bodies)]
        i += 1
    long_text += "\n\nNơi nhận:\n- Lưu: VT.\n\nTL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nNguyễn Văn A\n"
    p50, p95 = _time(long_text, directory, 30)
    print(f"{'10-page directive':<22}{len(long_text):>8}{p50:>10.1f}{p95:>10.1f}")
    # A fresh process pays for cold caches (directory matches) once; show it too.
    fresh = UnitDirectory.load()
    start = time.perf_counter()
    parse_directive(long_text, fresh)
    print(f"{'10-page, cold cache':<22}{len(long_text):>8}{(time.perf_counter() - start) * 1000:>10.1f}")


if __name__ == "__main__":
    main()
