"""Commands that run the stages in-process, without Kafka or MinIO."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from vanthu.cli.common import FILES, JSON, app, err, print_assignments, print_directive
from vanthu.events import TextArtifact
from vanthu.settings import get_settings


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-":
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text_of(path: Path, *, show_progress: bool) -> tuple[str, str, list[dt.date]]:
    """(document_id, text, e-signature dates) of a text, PDF or image file, in-process: the
    dates the portal's signatures carry, which the parser may take a blank day from."""
    from services.ocr.pipeline import extract
    from services.parse.signings import signing_dates

    data = path.read_bytes()
    document_id = hashlib.sha256(data).hexdigest()
    if _is_plain_text(data):
        return document_id, data.decode("utf-8"), []
    artifact = _extract_with_progress(extract, data, path.name) if show_progress else extract(data, get_settings().ocr)
    return document_id, artifact.text, signing_dates(artifact)


def _extract_with_progress(extract, data: bytes, name: str) -> TextArtifact:
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(f"OCR {name}", total=None)
        return extract(data, get_settings().ocr,
                       progress=lambda done, total: progress.update(task, completed=done, total=total))


def _fail(path: Path, exc: Exception) -> None:
    from vanthu.errors import DocumentError

    if isinstance(exc, DocumentError):
        err.print(f"[red]{path}: {exc.reason}[/red]: {exc.message}")
    else:
        raise exc


@app.command()
def ocr(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)], as_json: JSON = False) -> None:
    """Extract the text of a PDF or image (text layer first, Tesseract `vie` for scans)."""
    from services.ocr.pipeline import extract
    from vanthu.errors import DocumentError

    try:
        artifact = _extract_with_progress(extract, file.read_bytes(), file.name)
    except DocumentError as exc:
        _fail(file, exc)
        raise typer.Exit(2) from None
    if as_json:
        print(artifact.model_dump_json(indent=2))
        return
    for page in artifact.pages:
        conf = f", confidence {page.confidence:.0f}" if page.confidence is not None else ""
        rot = f", turned {page.rotation}°" if page.rotation else ""
        err.print(f"[dim]— page {page.number}: {page.source}{conf}{rot}{', FAILED: ' + page.error if page.error else ''}[/dim]")
        print(page.text)


@app.command()
def parse(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)], as_json: JSON = False) -> None:
    """Structure a directive: issuer, number, type, date, subject, recipients, sections, assignments."""
    from services.parse.parser import parse_directive
    from vanthu.directory import UnitDirectory
    from vanthu.errors import DocumentError

    try:
        _, text, signed = _text_of(file, show_progress=True)
    except DocumentError as exc:
        _fail(file, exc)
        raise typer.Exit(2) from None
    directive = parse_directive(text, UnitDirectory.from_settings(get_settings()), signed=signed)
    if as_json:
        print(directive.model_dump_json(indent=2))
    else:
        print_directive(file.name, directive)
        print_assignments(directive, [], text)


@app.command()
def process(files: FILES, as_json: JSON = False) -> None:
    """Run OCR, parse and notify in-process (no Kafka, no MinIO) and print each unit's assignments."""
    from services.notify.notices import build_notices
    from services.parse.parser import parse_directive
    from vanthu.directory import UnitDirectory
    from vanthu.errors import DocumentError

    directory = UnitDirectory.from_settings(get_settings())
    results, failed = [], False
    for path in files:
        try:
            document_id, text, signed = _text_of(path, show_progress=not as_json)
        except DocumentError as exc:
            _fail(path, exc)
            failed = True
            continue
        directive = parse_directive(text, directory, signed=signed)
        notices = build_notices(directive, document_id, directory)
        if as_json:
            results.append({"file": str(path), "document_id": document_id,
                            "directive": directive.model_dump(mode="json"),
                            "assignments": [n.model_dump(mode="json") for n in notices]})
        else:
            print_directive(path.name, directive)
            print_assignments(directive, notices, text)
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(2)
