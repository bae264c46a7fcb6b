"""The corpus's headers documents laid out on the real form, read back by the OCR and parse stages.

    python bench/rendered_corpus.py [--subset N] [--mode grey|bilevel|colour] [--seal over|within|none]
                                    [--stamp margin|text|none] [--handwritten] [--verbose]

Each ../shared/corpus/headers document becomes a :class:`examples.form.Form`: its header
from the truth (headers/expected.json: number, type, date, signer, issuer_body), the rest
from its own text with the site's header and closing tables cut off (trích yếu, Kính gửi,
body, Nơi nhận, authority lines). It is rendered as a born-digital PDF and as a 200 dpi
scan of its first and last pages (blue signature, red seal, received stamp; options
above; with ``--handwritten`` the number's sequence is left blank on the printed form,
so the born-digital PDF has none, and written into the blank by hand on the scan).
``services.ocr.pipeline.extract`` reads both (cached under .cache/corpus-text
by bench/corpus.py, keyed by the PDF's bytes and the OCR code), ``parse_directive``
parses them and the corpus's own score.py scores them next to the text version (the
.txt parsed as it is). Printed: each header field's rate for the three, and the
rendered versions' rates over the text version's (goal >= 0.95).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import CORPUS, pdf_text  # noqa: E402

from examples.form import Form, blank_number, render_form  # noqa: E402
from examples.scan import Artefacts, images_pdf, scan_form  # noqa: E402
from services.parse.numbers import canonical_doc_type  # noqa: E402
from services.parse.parser import parse_directive  # noqa: E402
from vanthu.directory import UnitDirectory  # noqa: E402
from vanthu.normalize import clean_document, fold  # noqa: E402

DPI = 200
FIELDS = ("number", "type", "date", "signer", "issuer")
_DATE = re.compile(r"ngày\s*\d{0,2}\s*tháng\s*\d{0,2}\s*năm\s*\d{4}")
_PLACE = re.compile(r"([^\d,|]+?),?\s*ngày\s*\d")
_MARKER = re.compile(r"(?=(?:T/M|TM|KT|TL|TUQ|Q)\.?\s)")
_PARTY_NUMBER = re.compile(r"^\d*-[A-ZĐ]")
# Local bodies are named by their kind and their place: "ỦY BAN NHÂN DÂN" over "TỈNH HÀ TĨNH".
_LOCAL_BODIES = {"UBND": "ỦY BAN NHÂN DÂN", "HĐND": "HỘI ĐỒNG NHÂN DÂN"}


def _plain(line: str) -> str:
    return re.sub(r"\*+", "", line).strip()


def _cell_end(lines: list[str], start: int) -> int:
    """The index of the first "|" cell separator at or after ``start``."""
    return next((i for i in range(start, len(lines)) if lines[i] == "|"), len(lines))


def _dateline(place: str, date: dt.date) -> str:
    """Decree 30's place and date: days below 10 and months below 3 with a leading zero."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"


def _issuer(truth: dict) -> list[str]:
    """The issuer's lines from the site's issuing body and the number's issuer code."""
    body = truth["issuer_body"].upper()
    code = truth["number"].split("/")[-1].split("-")[-1]
    kind = _LOCAL_BODIES.get(code)
    return [kind, body] if kind else [body]


def _header(lines: list[str]) -> tuple[int, str, list[str]]:
    """(where the site's header table ends, the place, a công văn's V/v lines)."""
    number = next((i for i, line in enumerate(lines[:60]) if line.startswith("Số")), None)
    if number is None:
        return 0, "", []
    end = next((i for i in range(number, min(len(lines), number + 20))
                if _DATE.search(" ".join(lines[max(number, i - 2) : i + 1]))), number)
    end = _cell_end(lines, end) + 1 if _cell_end(lines, end) <= end + 2 else end + 1
    after = " ".join(lines[number + 1 : end])
    place = m.group(1).strip(" |") if (m := _PLACE.search(after)) else ""
    cell = " ".join(lines[number + 1 : _cell_end(lines, number + 1)])  # the number (if broken off) and V/v
    vv = fold(cell).find("v/v")
    return end, place, [cell[vv:].strip()] if vv >= 0 else []


def _closing(lines: list[str], start: int, signer: str) -> tuple[int, list[str], list[str], str]:
    """(where the closing table starts, Nơi nhận lines, authority lines, title)."""
    # "Nơi nhận:" may be broken after "Nơi".
    received = next((i for i in range(start, len(lines)) if fold(" ".join(lines[i : i + 2])).startswith("noi nhan")
                     and fold(lines[i]).startswith("noi")), None)
    entries = received + (0 if fold(lines[received]).startswith("noi nhan") else 1) if received is not None else 0
    # The name under the signature: the first after "Nơi nhận" (the site may append a
    # translation that is signed again), else the last in the text.
    key = fold(signer)
    alone = [i for i in range(start, len(lines)) if key and fold(lines[i]).strip(" .,;") == key]
    names = alone or [i for i in range(start, len(lines)) if key and key in fold(lines[i]) and len(lines[i]) < len(signer) + 12]
    name = next((i for i in names if received is not None and i > received), names[-1] if names else None)
    distribution: list[str] = []
    if received is not None:
        for line in lines[entries + 1 : _cell_end(lines, entries)]:
            if distribution and line and not line.startswith(("-", "+")):
                distribution[-1] += " " + line  # a wrapped entry
            elif line and line != "-":
                distribution.append(line)
    authority: list[str] = []
    title = ""
    if name is not None:
        cell = next((i for i in range(name - 1, start - 1, -1) if lines[i] == "|"), name - 1) + 1
        block = [line for line in lines[cell:name] if line and not fold(line).startswith("noi nhan")]
        if block and not _MARKER.match(block[-1]):
            title = block.pop()
        authority = [part.strip() for part in _MARKER.split(" ".join(block)) if part.strip()]
    cut = min(i for i in (received, name) if i is not None) if (received or name) else len(lines)
    while cut > start and lines[cut - 1] in ("|", ""):
        cut -= 1
    return cut, distribution, authority, title


def corpus_form(text: str, truth: dict) -> Form:
    """A Form of a corpus document: the header from ``truth``, the rest from its text."""
    raw = text.replace("\r", "").split("\n")
    lines = [_plain(line) for line in raw]
    head, place, vv = _header(lines)
    end, distribution, authority, title = _closing(lines, head, truth["signer"])
    date = dt.date.fromisoformat(truth["date"])
    issuer_place = re.sub(r"^(?:Tỉnh|Thành phố)\s+", "", truth["issuer_body"])
    form = Form(
        issuer=_issuer(truth),
        number=truth["number"],
        dateline=_dateline(place or (issuer_place if issuer_place != truth["issuer_body"] else "Hà Nội"), date),
        party=bool(_PARTY_NUMBER.match(truth["number"])),
        subject=vv,
        distribution=distribution,
        authority=authority,
        title=title,
        signer=truth["signer"],
    )
    body = [i for i in range(head, end) if lines[i] not in ("|", "")]
    if truth["type"] != "Công văn":
        form.type_title = truth["type"].upper()
        # The printed title and the trích yếu under it, up to the next emphasised run or field.
        at = next((k for k, i in enumerate(body[:6]) if canonical_doc_type(lines[i].rstrip(":")) == truth["type"]), None)
        if at is not None:
            subject = []
            for i in body[at + 1 : at + 6]:
                if raw[i].lstrip().startswith("*") or fold(lines[i]).startswith(("can cu", "kinh gui")):
                    break
                subject.append(lines[i])
            form.subject = [" ".join(subject)] if subject else []
            body = body[at + 1 + len(subject) :]
    if body and fold(lines[body[0]]).startswith("kinh gui"):
        first = lines[body[0]].split(":", 1)[-1].strip()
        form.recipients = [first] if first else []
        body.pop(0)
        while body and lines[body[0]].startswith("-"):
            form.recipients.append(lines[body.pop(0)])
    form.body = clean_document("\n".join(raw[i] for i in body))
    return form


def _seed(name: str) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)


def _score(expected: dict, preds: Path, corpus: Path) -> dict[str, float]:
    """The corpus's score.py headers rates over the documents of ``expected``."""
    (corpus / "headers").mkdir(parents=True, exist_ok=True)
    (corpus / "headers" / "expected.json").write_text(json.dumps(expected, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, str(CORPUS / "score.py"), "headers", "--pred", str(preds),
                          "--corpus", str(corpus)], capture_output=True, text=True, check=True).stdout
    summary = out.strip().splitlines()[-1]
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", summary) if k in FIELDS}


def _misses(preds: dict[str, Path], corpus: Path) -> None:
    """Print, per variant, score.py's verbose list of misses."""
    for variant, folder in preds.items():
        cmd = [sys.executable, str(CORPUS / "score.py"), "headers", "--pred", str(folder), "--corpus", str(corpus),
               "--verbose"]
        print(f"\n## misses: {variant}\n" + subprocess.run(cmd, capture_output=True, text=True).stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subset", type=int, default=0, help="only N documents, spread over the sorted names")
    ap.add_argument("--mode", choices=("grey", "bilevel", "colour"), default="grey")
    ap.add_argument("--seal", choices=("over", "within", "none"), default="over")
    ap.add_argument("--stamp", choices=("margin", "text", "none"), default="margin")
    ap.add_argument("--handwritten", action="store_true", help="the number's sequence written by hand")
    ap.add_argument("--verbose", action="store_true", help="list each version's misses")
    args = ap.parse_args()
    truth_file = CORPUS / "headers" / "expected.json"
    if not truth_file.exists():
        print(f"no corpus at {CORPUS}: nothing to measure")
        return 0
    expected = json.loads(truth_file.read_text(encoding="utf-8"))
    names = sorted(expected)
    if args.subset:
        names = names[:: max(1, len(names) // args.subset)][: args.subset]
    artefacts = Artefacts(seal=None if args.seal == "none" else args.seal, stamp=None if args.stamp == "none" else args.stamp,
                          mode=args.mode)
    directory = UnitDirectory.load()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        preds = {v: work / v for v in ("text", "born-digital", "scan")}
        for folder in preds.values():
            folder.mkdir()
        for n, name in enumerate(names, 1):
            text = (CORPUS / "headers" / f"{name}.txt").read_text(encoding="utf-8")
            form = corpus_form(text, expected[name])
            sequence = re.match(r"\d*", form.number).group()
            scan_marks = artefacts
            if args.handwritten and sequence:
                form.number = blank_number(form.number)
                scan_marks = dataclasses.replace(artefacts, handwritten_number=sequence)
            drawn = render_form(form)
            scan = images_pdf(scan_form(drawn, scan_marks, dpi=DPI, seed=_seed(name), pages=[0, -1]), dpi=DPI)
            for variant, content in (("text", text), ("born-digital", drawn.pdf), ("scan", scan)):
                if isinstance(content, bytes):
                    pdf = work / f"{name}.pdf"
                    pdf.write_bytes(content)
                    content = pdf_text(pdf)
                directive = parse_directive(content, directory)
                (preds[variant] / f"{name}.json").write_text(directive.model_dump_json(), encoding="utf-8")
            print(f"\r{n}/{len(names)} documents ({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr)
        print(file=sys.stderr)
        subset = {name: expected[name] for name in names}
        rates = {variant: _score(subset, folder, work / "corpus") for variant, folder in preds.items()}
        if args.verbose:
            _misses(preds, work / "corpus")
    options = f"{DPI} dpi {args.mode} scan of first and last pages, seal {args.seal}, stamp {args.stamp}" + (
        ", number handwritten" if args.handwritten else "")
    print(f"\nRendered corpus: {len(names)} headers documents; {options}\n")
    print("| field | text | born-digital | scan | born-digital / text | scan / text |")
    print("|---|---|---|---|---|---|")
    for field in FIELDS:
        text_rate, born, scanned = (rates[v][field] for v in ("text", "born-digital", "scan"))
        ratio = [f"{r / text_rate:.2f}" if text_rate else "-" for r in (born, scanned)]
        print(f"| {field} | {text_rate:.3f} | {born:.3f} | {scanned:.3f} | {ratio[0]} | {ratio[1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
