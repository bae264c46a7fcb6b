"""Share of the corpus's specific assignees that the national directory resolves.

For each document of ../shared/corpus/assignments, the jurisdiction comes from the
expected header (issuer, issuer_parent, place) through ``jurisdiction_of``; each expected
assignee with ``specific`` not false is looked up in it (each of its ``members`` when the
annotation expands a shared head noun: the entry counts when all of them resolve).
Prints the share resolved, and flags any unit of a province other than the document's
own that the printed name does not itself name ("Sở Xây dựng Lâm Đồng" in a ministry's
letter is fine; "Sở Y tế" of a Hà Tĩnh decision resolved to Nghệ An's would not be).

    .venv/bin/python bench/directory_units.py [--verbose] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from vanthu.directory import Lookup, UnitDirectory
from vanthu.normalize import fold

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "assignments"


@dataclass
class Entry:
    document: str
    jurisdiction: str
    unit: str
    found: list[Lookup]
    foreign: list[str]  # ids of other provinces' units the printed name does not name

    @property
    def resolved(self) -> bool:
        return all(f.unit for f in self.found)


def _province(unit_id: str) -> str | None:
    parts = unit_id.split(":")
    return parts[1] if len(parts) > 2 and parts[1].isdigit() else None


def resolve_corpus(directory: UnitDirectory, corpus: Path) -> list[Entry]:
    """Every specific expected assignee of the corpus, looked up in its document's jurisdiction."""
    entries = []
    for path in sorted((corpus / "expected").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        j = directory.jurisdiction_of(doc.get("issuer"), doc.get("issuer_parent"), doc.get("place"))
        home = {s.split("/")[0] for s in j.tiers[0] if s[:2].isdigit()}
        for item in doc.get("assignments", []):
            if item.get("specific") is False:
                continue
            names = item.get("members") or [item["unit"]]
            found = [directory.lookup(name, j) for name in names]
            foreign = [
                f.unit.id for name, f in zip(names, found, strict=True)
                if f.unit and (p := _province(f.unit.id)) is not None and p not in home
                and fold(directory.scope_name(p)).split(" ", 1)[-1] not in fold(name)
            ]
            entries.append(Entry(path.stem, j.label, item["unit"], found, foreign))
    return entries


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--verbose", action="store_true", help="list every assignee and what it resolved to")
    args = ap.parse_args()
    if not (args.corpus / "expected").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    entries = resolve_corpus(UnitDirectory.national(), args.corpus)
    for e in entries:
        for unit_id in e.foreign:
            print(f"OTHER PROVINCE {e.document}: {e.unit!r} -> {unit_id}")
        if args.verbose or not e.resolved:
            shown = "; ".join(
                (f.unit.id + (f" (was {', '.join(s.former for s in f.succession)})" if f.succession else ""))
                if f.unit else f"-- {len(f.candidates)} candidates" for f in e.found
            )
            print(f"{'ok ' if e.resolved else 'NO '} {e.document} [{e.jurisdiction}] {e.unit!r}: {shown}")
    resolved = sum(e.resolved for e in entries)
    foreign = sum(len(e.foreign) for e in entries)
    print(f"resolved {resolved}/{len(entries)} = {resolved / len(entries):.3f}; "
          f"other provinces' bodies the text does not name: {foreign}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
