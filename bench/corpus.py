"""Score the parser on the real-document corpus in ``../shared/corpus``, in-process.

Run ``python bench/corpus.py [headers|assignments|pdfs ...] [--verbose] [--flatten marks|plain]``
from the project root. The parser runs in this process (the unit directory loaded once), its
predictions go to a temporary folder, and the corpus's own ``score.py --pred`` scores
them, so the measures are exactly the corpus's. The PDFs go through the OCR stage
first; their text artifact is cached under ``.cache/corpus-text/`` by the PDF's sha256 and
the OCR settings and code, so a rerun after a parser change takes seconds. The parser
gets what the service gives it: the artifact's text and its e-signatures' signing dates.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.parse.parser import parse_directive  # noqa: E402
from services.parse.signings import signing_dates  # noqa: E402
from vanthu.directory import UnitDirectory  # noqa: E402
from vanthu.settings import get_settings  # noqa: E402
from vanthu.events import TextArtifact  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TEXT_CACHE = ROOT / ".cache" / "corpus-text"
SETS = {"headers": ("headers", ".txt"), "assignments": ("assignments", ".txt"), "pdfs": ("pdfs", ".pdf")}


def pdf_artifact(path: Path) -> TextArtifact:
    """The OCR stage's text artifact of a PDF, cached by content, OCR settings and the OCR
    stage's code and models (its data files: the handwritten digits' weights)."""
    from services.ocr.pipeline import extract
    from vanthu.settings import get_settings

    settings = get_settings().ocr
    data = path.read_bytes()
    stage = ROOT / "services" / "ocr"
    code = b"".join(p.read_bytes() for p in sorted([*stage.glob("*.py"), *(stage / "data").iterdir()]) if p.is_file())
    key = hashlib.sha256(data + settings.model_dump_json().encode() + code).hexdigest()[:24]
    cached = TEXT_CACHE / f"{key}.json"
    if cached.exists():
        return TextArtifact.model_validate_json(cached.read_text(encoding="utf-8"))
    artifact = extract(data, settings)
    TEXT_CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(artifact.model_dump_json(), encoding="utf-8")
    return artifact


def pdf_text(path: Path) -> str:
    """The OCR stage's text of a PDF (cached, as :func:`pdf_artifact`)."""
    return pdf_artifact(path).text


def flattened(text: str, how: str | None) -> str:
    """``text`` as a site or a paste gives it on one line (``how``: "marks" keeps the page's
    "|" and "**" marks, "plain" drops them and the rules), or as it is (None)."""
    if how == "plain":  # bold marks inside a word ("C**ục**") go without a space
        text = re.sub(r"\||-{3,}|_{3,}", " ", text.replace("*", ""))
    return " ".join(text.split()) if how else text


def predict(name: str, corpus: Path, out: Path, directory: UnitDirectory, flatten: str | None = None) -> tuple[int, float]:
    """Write one prediction per document of the set; return (documents, parse seconds)."""
    folder, suffix = SETS[name]
    files = sorted((corpus / folder).glob(f"*{suffix}"))
    parse_s = 0.0
    for f in files:
        signed = []
        if suffix == ".pdf":
            artifact = pdf_artifact(f)
            text, signed = artifact.text, signing_dates(artifact)
        else:
            text = flattened(f.read_text(encoding="utf-8"), flatten)
        start = time.perf_counter()
        directive = parse_directive(text, directory, signed=signed)
        parse_s += time.perf_counter() - start
        (out / f"{f.stem}.json").write_text(directive.model_dump_json(), encoding="utf-8")
    return len(files), parse_s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sets", nargs="*", help=f"any of {', '.join(SETS)} (default: headers assignments)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--corpus", type=Path, default=CORPUS,
                    help="a folder laid out like ../shared/corpus (its sets and their expectations), "
                         "scored by ../shared/corpus/score.py")
    ap.add_argument("--flatten", choices=["marks", "plain"],
                    help="parse each text document flattened to one line, as law sites and pastes give them: "
                         "with the page's '|' and '**' marks, or plain")
    args = ap.parse_args()
    if unknown := set(args.sets) - set(SETS):
        ap.error(f"unknown set(s): {', '.join(sorted(unknown))}")
    if not (CORPUS / "score.py").exists():
        print(f"no corpus at {CORPUS}: nothing to score")
        return 0
    directory = UnitDirectory.from_settings(get_settings())  # the one `vanthu parse` and the services load
    for name in args.sets or ["headers", "assignments"]:
        with tempfile.TemporaryDirectory() as out:
            n, parse_s = predict(name, args.corpus, Path(out), directory, args.flatten)
            cmd = [sys.executable, str(CORPUS / "score.py"), name, "--pred", out, "--corpus", str(args.corpus)]
            result = subprocess.run(cmd + (["--verbose"] if args.verbose else []), capture_output=True, text=True)
            print(result.stdout.rstrip())
            print(f"  ({n} documents parsed in {parse_s:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
