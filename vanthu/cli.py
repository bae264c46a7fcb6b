"""The ``vanthu`` command: run the services, submit documents, follow assignments,
and run the same stages in-process without any infrastructure."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import signal
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from vanthu.events import AssignmentNotice, Directive, DocumentFailed, TextArtifact
from vanthu.logs import configure
from vanthu.settings import get_settings

app = typer.Typer(help="vanthu (văn thư): intake of Vietnamese directives, from scan to per-unit assignments.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)
console = Console()
err = Console(stderr=True)

FILES = Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True, help="PDF, image or text files.")]
JSON = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a readable summary.")]
STAGES = ("ocr", "parse", "notify")
ROLE_LABEL = {"lead": "chủ trì", "cooperate": "phối hợp", "assigned": "thực hiện"}


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-":
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text_of(path: Path, *, show_progress: bool) -> tuple[str, str, str]:
    """(document_id, text, text_source) of a text, PDF or image file, in-process."""
    from services.ocr.pipeline import extract

    data = path.read_bytes()
    document_id = hashlib.sha256(data).hexdigest()
    if _is_plain_text(data):
        return document_id, data.decode("utf-8"), "text-layer"
    artifact = _extract_with_progress(extract, data, path.name) if show_progress else extract(data, get_settings().ocr)
    return document_id, artifact.text, artifact.text_source


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
        _, text, _ = _text_of(file, show_progress=True)
    except DocumentError as exc:
        _fail(file, exc)
        raise typer.Exit(2) from None
    directive = parse_directive(text, UnitDirectory.load(get_settings().directory_path))
    if as_json:
        print(directive.model_dump_json(indent=2))
    else:
        _print_directive(file.name, directive)


@app.command()
def process(files: FILES, as_json: JSON = False) -> None:
    """Run OCR, parse and notify in-process (no Kafka, no MinIO) and print each unit's assignments."""
    from services.notify.notices import build_notices
    from services.parse.parser import parse_directive
    from vanthu.directory import UnitDirectory
    from vanthu.errors import DocumentError

    directory = UnitDirectory.load(get_settings().directory_path)
    results, failed = [], False
    for path in files:
        try:
            document_id, text, _ = _text_of(path, show_progress=not as_json)
        except DocumentError as exc:
            _fail(path, exc)
            failed = True
            continue
        directive = parse_directive(text, directory)
        notices = build_notices(directive, document_id, directory)
        if as_json:
            results.append({"file": str(path), "document_id": document_id,
                            "directive": directive.model_dump(mode="json"),
                            "assignments": [n.model_dump(mode="json") for n in notices]})
        else:
            _print_directive(path.name, directive)
            _print_notices(notices)
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(2)


@app.command()
def submit(
    files: FILES,
    by: Annotated[str, typer.Option("--by", help="Who submits (stored as object metadata).")] = "",
    desk: Annotated[str, typer.Option("--desk", help="The mailroom desk it came from.")] = "",
) -> None:
    """Upload files to the intake bucket. MinIO itself then publishes the event that starts the pipeline."""
    from vanthu.storage import Storage

    settings = get_settings()
    storage = Storage(settings)
    today = dt.date.today()
    for path in files:
        data = path.read_bytes()
        key = f"{today:%Y/%m/%d}/{uuid.uuid4().hex[:8]}-{path.name}"
        storage.upload(path, settings.buckets.incoming, key,
                       {"submitted-by": by, "desk": desk, "filename": path.name})
        console.print(f"submitted [bold]{path.name}[/bold] as s3://{settings.buckets.incoming}/{key}  "
                      f"document id {hashlib.sha256(data).hexdigest()[:16]}…")


@app.command()
def init() -> None:
    """Create the topics, the buckets and the intake bucket's Kafka notification (idempotent)."""
    from vanthu.provision import create_buckets, create_topics

    settings = get_settings()
    created = create_topics(settings)
    create_buckets(settings)
    console.print(f"topics ready ({len(created)} created); buckets {settings.buckets.incoming}, "
                  f"{settings.buckets.artifacts} ready; notification attached")


@app.command()
def serve(
    stages: Annotated[list[str] | None, typer.Argument(help="Stages to run: ocr, parse, notify (default: all three).")] = None,
) -> None:
    """Run services against Kafka and MinIO until interrupted (one process per stage scales best)."""
    stages = stages or list(STAGES)
    unknown = set(stages) - set(STAGES)
    if unknown:
        raise typer.BadParameter(f"unknown stage(s): {', '.join(sorted(unknown))}; choose from {', '.join(STAGES)}")
    configure()
    asyncio.run(_serve(stages))


async def _serve(stages: list[str]) -> None:
    import importlib

    apps = [importlib.import_module(f"services.{stage}.app").app for stage in stages]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    for stage_app in apps:
        await stage_app.start()
    await stop.wait()
    for stage_app in reversed(apps):
        await stage_app.stop()


@app.command()
def watch(
    unit: Annotated[str | None, typer.Option(help="Only this unit id.")] = None,
    document: Annotated[list[str] | None, typer.Option(help="Only these document ids (repeatable; a prefix is enough).")] = None,
    from_beginning: Annotated[bool, typer.Option(help="Read the topics from their start, not just new messages.")] = False,
    idle: Annotated[float, typer.Option(help="With --document: stop after this many quiet seconds once every document was heard of.")] = 15.0,
    timeout: Annotated[float, typer.Option(help="Stop after this many seconds (0: never).")] = 0.0,
    as_json: JSON = False,
) -> None:
    """Follow assignment notices (and review items and failures) as they arrive on Kafka."""
    from kafka import KafkaConsumer

    settings = get_settings()
    topics = settings.topics
    consumer = KafkaConsumer(
        topics.assignments, topics.review, topics.failed,
        bootstrap_servers=settings.kafka_bootstrap, group_id=None, enable_auto_commit=False,
        auto_offset_reset="earliest" if from_beginning else "latest", consumer_timeout_ms=1000,
    )
    wanted = tuple(document or ())
    heard: set[str] = set()
    by_unit: dict[str, list[AssignmentNotice]] = defaultdict(list)
    started = last = time.monotonic()
    try:
        while not (timeout and time.monotonic() - started > timeout):
            for message in consumer:
                payload = json.loads(message.value)
                doc_id = payload.get("document_id") or ""
                if wanted and not doc_id.startswith(wanted):
                    continue
                if unit and payload.get("unit_id") != unit:
                    continue
                heard.add(next((w for w in wanted if doc_id.startswith(w)), doc_id))
                last = time.monotonic()
                if as_json:
                    print(json.dumps({"topic": message.topic, **payload}, ensure_ascii=False), flush=True)
                elif message.topic == topics.failed:
                    failure = DocumentFailed.model_validate(payload)
                    console.print(f"[red]FAILED[/red] {failure.source.key if failure.source else doc_id[:12]}: "
                                  f"{failure.reason} at {failure.stage}: {failure.message}")
                else:
                    notice = AssignmentNotice.model_validate(payload)
                    by_unit[notice.unit_id or f"(review) {notice.unit}"].append(notice)
                    _print_notices([notice], header=False)
            if wanted and heard >= set(wanted) and time.monotonic() - last > idle:
                break
    finally:
        consumer.close()
    if by_unit and not as_json:
        table = Table("unit", "lead", "cooperate", "assigned", title="Assignments received")
        for unit_id, notices in sorted(by_unit.items()):
            roles = [sum(n.role == r for n in notices) for r in ("lead", "cooperate", "assigned")]
            table.add_row(f"{notices[0].unit} [dim]{unit_id}[/dim]", *map(str, roles))
        console.print(table)
    if wanted and not heard >= set(wanted):
        err.print(f"[red]no message for {len(set(wanted) - heard)} document(s) before the timeout[/red]")
        raise typer.Exit(1)


def asyncapi_documents() -> dict[str, str]:
    """The AsyncAPI document of each stage's app, as YAML with sorted keys (reproducible)."""
    import importlib

    import yaml

    documents = {}
    for stage in STAGES:
        schema = importlib.import_module(f"services.{stage}.app").app.schema.to_specification().to_jsonable()
        documents[stage] = yaml.safe_dump(schema, sort_keys=True, allow_unicode=True, width=100)
    return documents


@app.command()
def asyncapi(
    out: Annotated[Path, typer.Option(help="Folder for <stage>.yaml.")] = Path("docs/asyncapi"),
) -> None:
    """Write the AsyncAPI documents generated from the three services' apps."""
    out.mkdir(parents=True, exist_ok=True)
    for stage, document in asyncapi_documents().items():
        (out / f"{stage}.yaml").write_text(document, encoding="utf-8")
        console.print(f"wrote {out / f'{stage}.yaml'}")


def _print_directive(name: str, d: Directive) -> None:
    console.rule(f"[bold]{name}")
    rows = [
        ("issuer", d.issuer), ("system", d.system), ("type", d.doc_type), ("number", d.number),
        ("place, date", ", ".join(str(x) for x in (d.place, d.date or d.date_partial) if x)),
        ("subject", d.subject), ("signer", " ".join(x for x in (d.signer.authority, d.signer.title, d.signer.name) if x)),
        ("recipients", "; ".join(d.recipients)), ("references", len(d.references) or None),
    ]
    for label, value in rows:
        if value:
            console.print(f"[bold]{label:>12}[/bold]  {value}")
    for warning in d.warnings:
        console.print(f"[yellow]{'warning':>12}[/yellow]  {warning}")


def _print_notices(notices: list[AssignmentNotice], header: bool = True) -> None:
    if header:
        console.print(f"[bold]{'assignments':>12}[/bold]  {len(notices)}")
    for n in notices:
        due = f" [red]hạn {n.deadline.isoformat()}[/red]" if n.deadline else ""
        unit_id = n.unit_id or "[yellow]unknown unit: for review[/yellow]"
        task = n.task if len(n.task) <= 160 else n.task[:157] + "…"
        console.print(f"  [cyan]{n.unit}[/cyan] ({unit_id}) [bold]{ROLE_LABEL[n.role]}[/bold] "
                      f"§{n.section or '-'}{due}\n      {task}")

