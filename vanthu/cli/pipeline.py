"""Commands that run or feed the pipeline on Kafka and MinIO."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import importlib
import re
import signal
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import yaml
from rich.markup import escape

from vanthu.cli.common import FILES, SERVICES, app, console
from vanthu.logs import configure
from vanthu.settings import get_settings

if TYPE_CHECKING:
    from vanthu.announce import Announcer
    from vanthu.state import StateStore, StepRecord
    from vanthu.storage import Storage


@app.command()
def submit(
    files: FILES,
    by: Annotated[str, typer.Option("--by", help="Who submits (stored as object metadata).")] = "",
    desk: Annotated[str, typer.Option("--desk", help="The mailroom desk it came from.")] = "",
    force: Annotated[bool, typer.Option("--force", help="Upload duplicates too.")] = False,
    bulk: Annotated[bool, typer.Option("--bulk", help="Archive intake: read only when no ordinary document "
                                       "waits (the bulk lane).")] = False,
    batch: Annotated[str | None, typer.Option("--batch", help="Name of the batch the files join (default: a new "
                                              "one when there are several files).")] = None,
) -> None:
    """Upload files to the intake bucket, and announce each on Kafka at once (MinIO's own
    event, a few seconds later, is the safety net: vanthu/announce.py).

    A file whose bytes were submitted before is reported as a duplicate and not uploaded
    (no unit would get its assignments twice anyway); --force uploads it all the same.
    Several files, or --batch NAME, make a batch whose progress `vanthu status --batch`
    shows; --bulk puts them in the bulk lane, behind every ordinary and urgent document."""
    from vanthu import batches
    from vanthu.announce import Announcer
    from vanthu.state import StateStore
    from vanthu.storage import Storage

    try:
        batch = batches.check_name(batch) if batch else batches.new_name() if len(files) > 1 else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--batch") from None
    settings = get_settings()
    storage = Storage(settings)
    state = StateStore(storage)
    announcer = None if bulk else Announcer(storage)  # bulk intake is not announced
    try:
        for path in files:
            result = submit_file(storage, state, path, by=by, desk=desk, force=force, batch=batch, bulk=bulk,
                                 announcer=announcer)
            name = escape(result.name)
            if result.key is None:
                first = result.earlier
                console.print(f"[yellow]duplicate[/yellow] {name}: the same bytes were submitted as "
                              f"s3://{first.details.get('bucket')}/{first.details.get('key')} on "
                              f"{first.at:%Y-%m-%d %H:%M} UTC (document {result.document_id[:16]}…); not uploaded")
                continue
            console.print(f"submitted [bold]{name}[/bold] as s3://{settings.buckets.incoming}/"
                          f"{escape(result.key)}  document id {result.document_id[:16]}…", highlight=False)
    finally:
        if announcer is not None:
            announcer.close()
    if batch:
        console.print(f"batch [bold]{batch}[/bold]: follow it with `vanthu status --batch {batch}`", highlight=False)


@dataclass(frozen=True)
class Submitted:
    """What :func:`submit_file` did with one file."""

    name: str  # the file's name, NFC
    document_id: str
    key: str | None  # its object key in the intake bucket; None: a duplicate, not uploaded
    earlier: StepRecord | None  # the first earlier submission of the same bytes, if any
    batch: str | None = None  # the batch it joined (not a duplicate's: it was not uploaded)


def submit_file(storage: Storage, state: StateStore, path: Path, *, name: str | None = None, by: str = "",
                desk: str = "", force: bool = False, batch: str | None = None, bulk: bool = False,
                announcer: Announcer | None = None) -> Submitted:
    """Upload one file to the intake bucket as ``vanthu submit`` does (the desk and the hot
    folder call this too): under ``YYYY/MM/DD/<8 hex>-<safe name>``, with who submitted it,
    the desk and the original ``name`` (default: the file's) as metadata. Bytes submitted
    before are not uploaded again unless ``force``. ``bulk``: under the bulk lane's prefix
    (settings.lanes); ``batch`` (a checked name, vanthu.batches): recorded in the batch.
    ``announcer``: an ordinary upload is announced on Kafka at once (never a bulk one, and
    never failing the submission: vanthu/announce.py)."""
    from vanthu import batches

    name = unicodedata.normalize("NFC", name or path.name)
    document_id = hashlib.sha256(path.read_bytes()).hexdigest()
    earlier = state.submissions(document_id)
    if earlier and not force:
        return Submitted(name, document_id, None, earlier[0])
    settings = state.storage.settings
    key = (f"{settings.lanes.bulk_prefix if bulk else ''}{dt.date.today():%Y/%m/%d}/"
           f"{uuid.uuid4().hex[:8]}-{object_name(name)}")
    if batch:  # before the upload: the OCR stage may be done before this returns
        batches.add(storage, batches.BatchItem(batch=batch, document_id=document_id, key=key, filename=name))
    written = storage.upload(path, settings.buckets.incoming, key, {"submitted-by": by, "desk": desk,
                             "filename": _cut(name, _NAME_BYTES)} | ({"batch": batch} if batch else {}))
    if announcer is not None and not bulk:
        announcer.announce(written)
    return Submitted(name, document_id, key, earlier[0] if earlier else None, batch)


# MinIO stores an object as a file: one segment of its key (here "<8 hex>-<name>") must fit
# a file name's 255 bytes; 200 leaves room to spare. The same cut keeps the original name,
# percent-encoded in the object's metadata, well inside S3's 2 KB of user metadata.
_NAME_BYTES = 200
# Characters that mean something to a shell, a URL, S3 or a file system, and control characters.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\?#%*:|"<>{}^`\[\]~]+')


def object_name(name: str) -> str:
    """``name`` (a file's name) made safe as the last segment of an object key: NFC,
    characters that mean something elsewhere replaced by "_", no leading dots, and at most
    200 bytes of UTF-8, cut between characters and keeping the extension."""
    name = _UNSAFE.sub("_", " ".join(unicodedata.normalize("NFC", name).split())).lstrip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not 0 < len(suffix.encode()) <= 10:
        stem, suffix = name, ""
    suffix = f".{suffix}" if suffix else ""
    stem = _cut(stem, _NAME_BYTES - len(suffix.encode())).rstrip(". ")
    return (stem or "document") + suffix


def _cut(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8, between characters."""
    return text.encode()[:max_bytes].decode(errors="ignore")


@app.command()
def init(
    partitions: Annotated[int | None, typer.Option("--partitions", min=1, help="Partitions per topic: at least the "
                                                   "number of workers of a stage (topics with fewer are raised); "
                                                   "default 2.")] = None,
) -> None:
    """Create the topics, the buckets and the intake bucket's Kafka notification, and the
    services' Kafka ACLs and MinIO users when configured (idempotent; run it with the
    administrator's Kafka and the MinIO root credentials)."""
    from vanthu.provision import TOPIC_PARTITIONS, create_access, create_buckets, create_topics

    settings = get_settings()
    created = create_topics(settings, partitions or TOPIC_PARTITIONS)
    create_buckets(settings)
    console.print(f"topics ready ({len(created)} created); buckets {settings.buckets.incoming}, "
                  f"{settings.buckets.artifacts} ready; notification attached; {create_access(settings)}")


@app.command()
def serve(
    stages: Annotated[list[str] | None, typer.Argument(help="Stages to run: ocr, parse, notify (default: all three); or desk; or hotfolder DIR; or reminders.")] = None,
) -> None:
    """Run services against Kafka and MinIO until interrupted (one process per stage scales best).

    ``vanthu serve desk`` runs the mailroom's web desk; ``vanthu serve hotfolder DIR``
    submits the files written into DIR (services/desk)."""
    if stages and stages[0] in ("desk", "hotfolder"):
        from vanthu.cli.desk import serve_desk

        return serve_desk(stages)
    if stages == ["reminders"]:
        from vanthu.cli.desk_ops import serve_reminders

        return serve_reminders()
    stages = stages or list(SERVICES)
    unknown = set(stages) - set(SERVICES)
    if unknown:
        raise typer.BadParameter(f"unknown stage(s): {', '.join(sorted(unknown))}; choose from {', '.join(SERVICES)}")
    configure()
    asyncio.run(_serve(stages))


async def _serve(stages: list[str]) -> None:
    apps = [importlib.import_module(module).app for stage in stages for module in SERVICES[stage]]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    for stage_app in apps:
        await stage_app.start()
    server = await _http_server([b for a in apps for b in a.brokers])
    await stop.wait()
    if server:
        server.should_exit = True
    for stage_app in reversed(apps):
        await stage_app.stop()


async def _http_server(brokers):
    """Serve /health/live, /health/ready and /metrics on ``VANTHU_HTTP_PORT``, if set."""
    import uvicorn

    from vanthu.observability import http_app

    settings = get_settings()
    if settings.http_port is None:
        return None
    server = uvicorn.Server(uvicorn.Config(http_app(brokers), host=settings.http_host, port=settings.http_port,
                                           log_level="warning", lifespan="off"))
    asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    bound = server.servers[0].sockets[0].getsockname()[1]
    console.print(f"health and metrics on http://{settings.http_host}:{bound}/health/ready and /metrics",
                  highlight=False)
    return server


def asyncapi_documents() -> dict[str, str]:
    """The AsyncAPI document of each stage's app, as YAML with sorted keys (reproducible)."""
    documents = {}
    for module in (m for modules in SERVICES.values() for m in modules):
        name = module.removeprefix("services.").removesuffix(".app").replace(".", "-")
        schema = importlib.import_module(module).app.schema.to_specification().to_jsonable()
        documents[name] = yaml.safe_dump(schema, sort_keys=True, allow_unicode=True, width=100)
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


