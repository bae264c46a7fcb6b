"""Ruled tables in scans: the corpus's assignments documents with tables, rendered and read back.

    python bench/scan_tables.py [--docs 8] [--pages 75] [--dpi 200] [--verbose] [NAME ...]

Each ../shared/corpus/assignments document with a flattened table of three columns or more
(the site writes a table as its cells one to a line between "|" lines, a row's end as two
"|" lines, the header row in bold) becomes an :class:`examples.form.Form`
(bench/rendered_corpus.py's corpus_form: the header from the expected fields, the body
from the text) whose tables are ``| cell | ... |`` rows, drawn as ruled tables; what follows
the signer's name (an annex) is set after the closing, from a new page. The form is
rendered as a born-digital PDF and as a grey scan (``--dpi``, with a seal and a blue
signature), every page. The scan is read twice by ``services.ocr.pipeline.extract``:
with the table finder (services/ocr/scan_tables.py) and without it (``find`` replaced by
one that finds nothing); Tesseract's readings are memoised between the two, so the
second costs no recognition. ``parse_directive`` parses each, and the corpus's score.py
scores the assignments next to the text version (the .txt parsed as it is) and the
born-digital PDF (pdfplumber's tables).

Also printed: the finder's time per page, on pages with and without a grid, next to the
page's whole OCR time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import CORPUS  # noqa: E402
from rendered_corpus import corpus_form  # noqa: E402

from examples.form import render_form  # noqa: E402
from examples.scan import Artefacts, images_pdf, scan_form  # noqa: E402
from services.ocr import pipeline, scan_tables, tesseract  # noqa: E402
from services.parse.parser import parse_directive  # noqa: E402
from vanthu.directory import UnitDirectory  # noqa: E402
from vanthu.normalize import fold  # noqa: E402
from vanthu.settings import OcrOptions  # noqa: E402

VARIANTS = ("text", "born-digital", "scan-before", "scan-after")
_MIN_COLUMNS, _MAX_COLUMNS = 3, 10
_TASKING = re.compile(r"\b(chu tri|phoi hop|phu trach)\b")
_PLACEHOLDER = "BẢNG {} Ở ĐÂY"  # upper case: clean_document joins no line to it or it to one


def _bar(lines: list[str], k: int) -> bool:
    return k < len(lines) and lines[k].strip() == "|"


def _plain(cell: list[str]) -> str:
    return re.sub(r"\*+", "", " ".join(cell)).replace("|", "/").strip()


def flat_tables(lines: list[str]) -> list[tuple[int, int, list[list[str]]]]:
    """The site's flattened tables in ``lines``: (first line, line after it, rows of cells).

    A table opens with a "|" line and a bold header cell; cells are separated by "|"
    lines and a row ends with two. The header row's cells (all bold) fix the table's
    width: a row that reaches it and is followed by no "|" line ends the table."""
    found = []
    i = 0
    while i < len(lines) - 1:
        if not (_bar(lines, i) and lines[i + 1].strip().startswith("**")):
            i += 1
            continue
        rows: list[list[str]] = []
        row: list[str] = []
        cell: list[str] = []
        width = None
        k = i + 1
        header_ok = True
        while k < len(lines):
            if not _bar(lines, k):
                cell.append(lines[k].strip())
                k += 1
                continue
            row.append(" ".join(cell))
            cell = []
            if width is None and not (row[-1].startswith("**") and len(row[-1]) < 90):
                header_ok = False
                break
            if _bar(lines, k + 1):
                rows.append(row)
                width = width or len(row)
                row, k = [], k + 2
                continue
            k += 1
            if width is not None and len(row) >= width:
                rows.append(row)
                break
        if header_ok and width and _MIN_COLUMNS <= width <= _MAX_COLUMNS:
            found.append((i, k, [[_plain([c]) for c in r] for r in rows]))
            i = k
        else:
            i += 1
    return found


def _with_placeholders(text: str) -> tuple[str, dict[str, list[str]]]:
    """``text`` with each table replaced by a placeholder line, and the placeholders' rows."""
    lines = text.replace("\r", "").split("\n")
    rows: dict[str, list[str]] = {}
    out: list[str] = []
    at = 0
    for n, (start, end, cells) in enumerate(flat_tables(lines), 1):
        key = _PLACEHOLDER.format(n)
        rows[key] = ["| " + " | ".join(c or " " for c in row) + " |" for row in cells]
        out += [*lines[at:start], "", key, ""]
        at = end
    return "\n".join(out + lines[at:]), rows


def _expanded(paragraphs: list[str], rows: dict[str, list[str]]) -> list[str]:
    out = []
    for paragraph in paragraphs:
        parts = re.split(r"(BẢNG \d+ Ở ĐÂY)", paragraph)
        for part in parts:
            if part in rows:
                out += rows[part]
            elif part.strip():
                out.append(part.strip())
    return out


def assignments_form(text: str, expected: dict):
    """The Form of an assignments document, its tables as "|" rows, its annex after the closing."""
    from vanthu.normalize import clean_document

    placed, rows = _with_placeholders(text)
    signer = (expected.get("signer") or {}).get("name") or ""
    truth = {"number": expected.get("number") or "", "type": expected.get("type") or "Công văn",
             "date": expected.get("date") or "2025-01-01", "signer": signer, "issuer_body": expected.get("issuer") or ""}
    form = corpus_form(placed, truth)
    form.body = _expanded(form.body, rows)
    lines = placed.split("\n")
    names = [i for i, line in enumerate(lines) if signer and fold(re.sub(r"\*+", "", line)).strip(" .") == fold(signer)]
    if names:
        annex = [line for line in lines[names[0] + 1 :] if line.strip() != "|"]
        form.appendix = _expanded(clean_document("\n".join(annex)), rows)
    return form


def _choose(folder: Path, docs: int, budget: int) -> list[str]:
    """The documents with a table, up to ``docs`` of them and ``budget`` pages (OCR is
    slow: a page takes seconds): first those with a table that tasks units (a column of
    the bodies that lead, cooperate or are responsible: "chủ trì", "phối hợp", "phụ
    trách"), then the others, fewest rendered pages first. The rest of the corpus's
    tables are catalogues of procedures, which task no one: there the finder must add
    nothing."""
    ranked = []
    for f in sorted(folder.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        if tables := flat_tables(text.replace("\r", "").split("\n")):
            expected = json.loads((folder / "expected" / f"{f.stem}.json").read_text(encoding="utf-8"))
            tasking = any(_TASKING.search(fold(cell)) for _, _, rows in tables for cell in rows[0])
            ranked.append((not tasking, render_form(assignments_form(text, expected)).pages, f.stem))
    chosen, pages = [], 0
    for _, size, name in sorted(ranked):
        if len(chosen) < docs and pages + size <= budget:
            chosen.append(name)
            pages += size
    return sorted(chosen)


class _Memo:
    """tesseract.recognise memoised by its image and arguments (not its timeout)."""

    def __init__(self) -> None:
        self.real = tesseract.recognise
        self.seen: dict[str, tesseract.Recognition] = {}

    def __call__(self, image, **kwargs):
        key = hashlib.sha256(image.tobytes() + repr((image.size, image.mode, sorted(
            (k, v) for k, v in kwargs.items() if k != "timeout"))).encode()).hexdigest()
        if key not in self.seen:
            self.seen[key] = self.real(image, **kwargs)
        return self.seen[key]


class _Timed:
    """scan_tables.find, timed per call; ``off`` finds nothing (the OCR stage before the finder)."""

    def __init__(self) -> None:
        self.real = scan_tables.find
        self.off = False
        self.times: list[tuple[float, bool]] = []  # (seconds, found a table)

    def __call__(self, page, lines, **reading):
        if self.off:
            return lines, []
        start = time.perf_counter()
        kept, tables = self.real(page, lines, **reading)
        self.times.append((time.perf_counter() - start, bool(tables)))
        return kept, tables


def _score(preds: Path, corpus: Path, verbose: bool) -> str:
    cmd = [sys.executable, str(CORPUS / "score.py"), "assignments", "--pred", str(preds), "--corpus", str(corpus)]
    out = subprocess.run(cmd + (["--verbose"] if verbose else []), capture_output=True, text=True, check=True).stdout
    if verbose:
        print(out)
    return out.strip().splitlines()[-1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=8, help="at most N documents with tables (see _choose)")
    ap.add_argument("--pages", type=int, default=75, help="... and at most this many pages in all")
    ap.add_argument("names", nargs="*", help="these documents instead (assignments/<name>.txt)")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--keep", type=Path, help="write each version's text here (<name>.<version>.txt)")
    args = ap.parse_args()
    folder = CORPUS / "assignments"
    if not folder.exists():
        print(f"no corpus at {CORPUS}: nothing to measure")
        return 0
    names = args.names or _choose(folder, args.docs, args.pages)
    memo, timed = _Memo(), _Timed()
    tesseract.recognise, scan_tables.find = memo, timed
    pipeline.scan_tables.find = timed  # the pipeline calls it through its module
    options = OcrOptions()
    directory = UnitDirectory.load()
    page_seconds: list[float] = []
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus" / "assignments"
        (corpus / "expected").mkdir(parents=True)
        preds = {v: work / v for v in VARIANTS}
        for path in preds.values():
            path.mkdir()
        for n, name in enumerate(names, 1):
            text = (folder / f"{name}.txt").read_text(encoding="utf-8")
            expected = json.loads((folder / "expected" / f"{name}.json").read_text(encoding="utf-8"))
            (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
            (corpus / "expected" / f"{name}.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
            drawn = render_form(assignments_form(text, expected))
            seed = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
            scan = images_pdf(scan_form(drawn, Artefacts(stamp=None), dpi=args.dpi, seed=seed), dpi=args.dpi)
            texts = {"text": text, "born-digital": pipeline.extract(drawn.pdf, options).text}
            timed.off = False
            after = pipeline.extract(scan, options)
            page_seconds += [p.seconds or 0.0 for p in after.pages]
            pages += len(after.pages)
            texts["scan-after"] = after.text
            timed.off = True
            texts["scan-before"] = pipeline.extract(scan, options).text
            for variant, content in texts.items():
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"{name}.{variant}.txt").write_text(content, encoding="utf-8")
                directive = parse_directive(content, directory)
                (preds[variant] / f"{name}.json").write_text(directive.model_dump_json(), encoding="utf-8")
            print(f"{n}/{len(names)} {name}: {len(after.pages)} pages", file=sys.stderr)
        summaries = {}
        for variant in VARIANTS:
            if args.verbose:
                print(f"\n## {variant}")
            summaries[variant] = _score(preds[variant], work / "corpus", args.verbose)
    print(f"\nScan tables: {len(names)} assignments documents with tables ({pages} pages), {args.dpi} dpi grey scans\n")
    print("| version | assignments P | R | F1 |")
    print("|---|---|---|---|")
    for variant, summary in summaries.items():
        got = dict(re.findall(r"(assign_[PRF1]+)=([\d.]+)", summary))
        print(f"| {variant} | {got['assign_P']} | {got['assign_R']} | {got['assign_F1']} |")
    with_grid = [s for s, found in timed.times if found]
    without = [s for s, found in timed.times if not found]
    ocr = statistics.median(page_seconds) if page_seconds else 0.0
    print(f"\nTable finder per page: median {1000 * statistics.median(without or [0]):.1f} ms on {len(without)} pages "
          f"without a table, {1000 * statistics.median(with_grid or [0]):.1f} ms on {len(with_grid)} with one "
          "(empty cells read again included); "
          f"OCR page time median {ocr:.2f} s ({100 * statistics.median(without or [0]) / ocr if ocr else 0:.1f}% of it "
          "on a page without a table)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
