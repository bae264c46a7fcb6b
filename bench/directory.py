"""Load time of the national unit directory and the cost of one lookup.

Load: ``UnitDirectory.national()`` timed in fresh interpreters (the generator's inputs are
read once per process, so an in-process repeat would flatter it); the median and the
worst of ``--runs`` are printed, with the CPU time, since other work on the machine moves
the wall time. Lookup: first (uncached) lookups of names drawn from the directory itself
in the forms documents print them: as named, with an office holder ("Giám đốc Sở Y tế"),
with the province named ("Sở Y tế tỉnh Hà Tĩnh"), without diacritics (OCR), a commune,
a former body in a former province's document; central bodies in a central document.

    .venv/bin/python bench/directory.py [--runs 3] [--lookups 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time

from vanthu.directory import UnitDirectory
from vanthu.normalize import fold

_LOAD = """
import json, time
t0, c0 = time.perf_counter(), time.process_time()
from vanthu.directory import UnitDirectory
t1, c1 = time.perf_counter(), time.process_time()
d = UnitDirectory.national()
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "load_cpu": c2 - c1, "units": len(d.units())}))
"""


def load_times(runs: int) -> list[dict]:
    return [json.loads(subprocess.run([sys.executable, "-c", _LOAD], check=True, capture_output=True,
                                      text=True).stdout) for _ in range(runs)]


def queries(directory: UnitDirectory, n: int, rng: random.Random) -> list[tuple[str, str | None]]:
    """(printed name, jurisdiction) pairs in the forms documents print them."""
    units = directory.units()
    provincial = [u for u in units if u.scope.isdigit() and not u.id.split(":")[2] == "ward"]
    communes = [u for u in units if u.kind == "commune"]
    central = [u for u in units if u.scope == "vn" and u.kind != "collective"]
    forms = [
        lambda u: (u.aliases[0], u.scope),
        lambda u: (f"Giám đốc {u.aliases[0]}", u.scope),
        lambda u: (u.name, None),
        lambda u: (fold(u.aliases[0]), u.scope),
    ]
    out: list[tuple[str, str | None]] = []
    while len(out) < n:
        pick = rng.random()
        if pick < 0.5:
            out.append(rng.choice(forms)(rng.choice(provincial)))
        elif pick < 0.8:
            unit = rng.choice(communes)
            out.append((unit.aliases[0] if rng.random() < 0.5 else unit.name, unit.scope))
        elif pick < 0.9:
            out.append((rng.choice(central).name, None))
        else:
            out.append((rng.choice(["Sở Lao động - Thương binh và Xã hội", "UBND huyện Vụ Bản", "Huyện ủy Hải Hậu",
                                    "Sở Kế hoạch và Đầu tư", "UBND các huyện, thành phố"]), "Nam Định"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lookups", type=int, default=3000)
    args = ap.parse_args()
    loads = load_times(args.runs)
    wall = sorted(r["load"] for r in loads)
    cpu = sorted(r["load_cpu"] for r in loads)
    print(f"load ({loads[0]['units']} units, {args.runs} fresh processes): median {statistics.median(wall):.3f} s, "
          f"worst {wall[-1]:.3f} s wall; median {statistics.median(cpu):.3f} s CPU; "
          f"import {statistics.median(r['import'] for r in loads):.3f} s")
    directory = UnitDirectory.national()
    pairs = queries(directory, args.lookups, random.Random(7))
    for _, jurisdiction in {(None, j) for _, j in pairs}:
        directory.jurisdiction(jurisdiction)  # resolved once per document, not per name
    costs, found = [], 0
    for text, jurisdiction in pairs:
        start = time.perf_counter()
        result = directory.lookup(text, jurisdiction)
        costs.append(time.perf_counter() - start)
        found += result.unit is not None
    costs.sort()
    ms = [c * 1000 for c in costs]
    print(f"lookup ({len(pairs)} first lookups, {found / len(pairs):.1%} resolved): mean {statistics.mean(ms):.3f} ms, "
          f"p50 {ms[len(ms) // 2]:.3f} ms, p95 {ms[int(len(ms) * 0.95)]:.3f} ms, p99 {ms[int(len(ms) * 0.99)]:.3f} ms, "
          f"max {ms[-1]:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
