"""What the fault tests share: the services as real processes, the local stack's
Kafka and MinIO stopped and started, a batch of documents with the notices each must
produce, and a subscriber that reads the run's output topics from their beginning.

Nothing here sleeps for a fixed time to "let things settle": every wait polls a
condition (a consumer group assigned, a state record written, a notice seen) against a
deadline, so the tests are bounded in time and not timing-dependent.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient
from minio import Minio

from examples.render import example_texts, scan_pdf, text_pdf
from services.notify.notices import build_notices
from services.ocr.pipeline import extract
from services.parse.parser import parse_directive
from vanthu.directory import UnitDirectory
from vanthu.events import AssignmentNotice, DeadLetter, DirectiveParsed, DocumentFailed, TextExtracted
from vanthu.settings import RetryOptions, Settings
from vanthu.state import StateStore
from vanthu.storage import Storage

ROOT = Path(__file__).resolve().parents[2]
VANTHU = ROOT / ".venv" / "bin" / "vanthu"
STACK = [sys.executable, str(ROOT / "deploy" / "local" / "stack.py")]

# Retries fast enough for a test: waits of 1, 2, 4, 8, 8, 8, 8 s, i.e. about 40 s of
# retrying before the 8th attempt dead-letters a message. A 20 s outage of Kafka or
# MinIO (plus the time they need to come back, ~10-15 s for Kafka) is bridged without
# reaching the DLQ, yet the test does not wait minutes for the default 2..60 s schedule.
FAST_RETRY = RetryOptions(max_attempts=8, base_delay_s=1.0, cap_s=8.0)
OUTAGE_S = 20.0

SCANNED = ("000_a580cd7dac26fb83", "001_c04fbf0a9182cd61")  # the two shortest (4 and 3 pages)
DUPLICATED = "004_10d7f02d66da512c"  # 33 notices; its text PDF is submitted again under another key
PROBE = "000_a580cd7dac26fb83"  # a variant of it is submitted after the fault

# One row per test, printed by conftest.py at the end of the run.
FIGURES: list[dict] = []


def fault_settings(run_settings: Settings) -> Settings:
    return run_settings.model_copy(update={"retry": FAST_RETRY})


# --- the batch ------------------------------------------------------------------------


@dataclass
class Doc:
    key: str
    data: bytes
    kind: str  # text | scan | bad | dup | probe
    stem: str | None = None

    @property
    def document_id(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@functools.cache
def _text_pdf(stem: str) -> bytes:
    return text_pdf(example_texts()[stem])


@functools.cache
def _scan_pdf(stem: str) -> bytes:
    return scan_pdf(example_texts()[stem], seed=11)


@functools.cache
def _directory() -> UnitDirectory:
    return UnitDirectory.from_settings(Settings())  # the one the services load


@functools.cache
def expected_notices(data: bytes) -> tuple[AssignmentNotice, ...]:
    """The notices the pipeline must send for a text-layer PDF, from the same stage
    functions the services run (extract -> parse_directive -> build_notices)."""
    artifact = extract(data, Settings().ocr)
    directive = parse_directive(artifact.text, _directory())
    return tuple(build_notices(directive, artifact.document_id, _directory()))


def notices_of_directive(event: dict) -> list[AssignmentNotice]:
    """The notices a published directive event must produce (for scans, whose OCR text
    the test does not recompute)."""
    directive = DirectiveParsed.model_validate(event)
    return build_notices(directive, directive.document_id, _directory())


def probe_pdf(tag: str) -> bytes:
    """A text PDF with fresh bytes (a trailing PDF comment), so a new document id."""
    return _text_pdf(PROBE) + f"\n%fault-probe {tag}\n".encode()


def bad_files() -> dict[str, bytes]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("công văn.txt", "không phải văn bản")
    return {
        "2021/09/hồ sơ nén gửi kèm.zip": buf.getvalue(),
        "2021/09/tệp hỏng ngẫu nhiên.pdf": random.Random(7).randbytes(4096),
    }


def batch() -> list[Doc]:
    """Scans first (OCR is the slow part, so faults hit it mid-work), then the five
    text PDFs, then the two bad files. The duplicate and the probe come later."""
    docs = [Doc(f"2021/09/Công văn {stem[:3]} (bản quét).pdf", _scan_pdf(stem), "scan", stem) for stem in SCANNED]
    docs += [Doc(f"2021/09/Công văn {stem[:3]} (bản điện tử).pdf", _text_pdf(stem), "text", stem)
             for stem in example_texts()]
    docs += [Doc(key, data, "bad") for key, data in bad_files().items()]
    return docs


def duplicate_doc() -> Doc:
    return Doc(f"2021/10/Công văn {DUPLICATED[:3]} gửi lại lần hai.pdf", _text_pdf(DUPLICATED), "dup", DUPLICATED)


def put(client: Minio, bucket: str, doc: Doc, deadline_s: float = 90) -> None:
    """Upload, retrying while MinIO is briefly unreachable."""
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            client.put_object(bucket, doc.key, io.BytesIO(doc.data), len(doc.data),
                              metadata={"submitted-by": "fault-test"})
            return
        except Exception:  # noqa: BLE001 - MinIO restarting
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def wait_for(what: str, check: Callable[[], bool], timeout: float, every: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - the thing checked may be down for a moment
            pass
        time.sleep(every)
    raise TimeoutError(f"{what}: not within {timeout:.0f}s")


def has_received(settings: Settings, document_id: str) -> bool:
    state = StateStore(Storage(settings))
    return any(s.step.startswith("received/") for s in state.steps(document_id))


# --- the services, as real processes ----------------------------------------------------


@dataclass
class Fleet:
    """``vanthu serve <stage>`` subprocesses with the run's settings in their environment."""

    settings: Settings
    logs: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    generation: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, stage: str, **env: str) -> subprocess.Popen:
        self.generation[name] = self.generation.get(name, 0) + 1
        log = open(self.logs / f"{name}.{self.generation[name]}.log", "wb")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            [str(VANTHU), "serve", stage], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=os.environ | self.settings.as_env() | {"PYTHONUNBUFFERED": "1"} | env, start_new_session=True,
        )
        log.close()
        self.procs[name] = proc
        return proc

    def kill9(self, name: str) -> None:
        proc = self.procs[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def alive(self) -> dict[str, bool]:
        return {name: proc.poll() is None for name, proc in self.procs.items()}

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def tails(self, lines: int = 25) -> str:
        out = []
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()
            out.append(f"--- {path.name} (last {lines} of {len(text)} lines)\n" + "\n".join(text[-lines:]))
        return "\n".join(out)


def tesseracts_at_work(pid: int) -> list[int]:
    """The Tesseract processes of OCR worker ``pid`` reading a page: a ``tesseract`` run, or
    a host (services/ocr/tesseract_host.py) running rather than waiting for its next page."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
            host = state == "R" and b"services.ocr.tesseract_host" in (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(ppid) == pid and (name == "tesseract" or host):
            found.append(int(entry.name))
    return found


def groups_of(settings: Settings, stages=("ocr", "parse", "notify", "channels")) -> list[str]:
    return [g for stage in stages for g in (settings.group(stage), f"{settings.group(stage)}.retry")]


def wait_groups(settings: Settings, members: dict[str, int], timeout: float = 90) -> None:
    """Until each consumer group is stable with the given number of members, i.e. every
    service process is consuming (after a kill -9 the dead member stays in its group
    until its session times out, so a count of exactly n excludes it)."""
    def ready() -> bool:
        admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000)
        try:
            described = admin.describe_consumer_groups(list(members))
        finally:
            admin.close()
        return all(g.state == "Stable" and len(g.members) == members[g.group] for g in described)

    wait_for(f"consumer groups {sorted(members)} assigned", ready, timeout, every=1)


# --- the local stack's Kafka and MinIO ----------------------------------------------------


def stack(command: str, name: str) -> None:
    result = subprocess.run([*STACK, command, name], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"stack {command} {name}: {result.stdout}{result.stderr}"


def ensure_stack_up() -> None:
    subprocess.run([*STACK, "up"], cwd=ROOT, capture_output=True, text=True, timeout=300)


# --- a subscriber of the run's output topics ----------------------------------------------


class Subscriber:
    """Reads the run's private output topics from their beginning, in a thread (with
    kafka-python, which reconnects by itself when Kafka comes back)."""

    def __init__(self, settings: Settings) -> None:
        t = settings.topics
        self.settings = settings
        self.topics = [t.text, t.directives, t.assignments, t.review, t.failed, t.dlq]
        self.records: dict[str, list[tuple[bytes | None, bytes]]] = {topic: [] for topic in self.topics}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None

    def __enter__(self) -> Subscriber:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)

    def _run(self) -> None:
        try:
            consumer = KafkaConsumer(bootstrap_servers=self.settings.kafka_bootstrap, group_id=None,
                                     enable_auto_commit=False, auto_offset_reset="earliest")
            consumer.assign([TopicPartition(topic, p) for topic in self.topics
                             for p in sorted(consumer.partitions_for_topic(topic) or {0})])
            consumer.seek_to_beginning()
            try:
                while not self.stopping.is_set():
                    for tp, records in consumer.poll(timeout_ms=500).items():
                        with self.lock:
                            self.records[tp.topic].extend((r.key, r.value) for r in records)
            finally:
                consumer.close()
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test via .error
            self.error = exc

    def raw(self, topic: str) -> list[tuple[bytes | None, bytes]]:
        with self.lock:
            return list(self.records[topic])

    def events(self, topic: str, model=None) -> list:
        """Decoded events of ``topic`` (messages that are not valid JSON/``model`` are skipped)."""
        out = []
        for _key, value in self.raw(topic):
            try:
                data = json.loads(value)
                out.append(model.model_validate(data) if model else data)
            except Exception:  # noqa: BLE001 - poison on the topic
                continue
        return out

    # --- views the tests use ---

    def notices(self) -> list[tuple[str, AssignmentNotice]]:
        """(topic, notice) for every valid notice on the assignments and review topics."""
        t = self.settings.topics
        return [(topic, n) for topic in (t.assignments, t.review) for n in self.events(topic, AssignmentNotice)]

    def keys(self) -> set[str]:
        return {n.idempotency_key for _, n in self.notices()}

    def texts(self) -> list[TextExtracted]:
        return self.events(self.settings.topics.text, TextExtracted)

    def directives(self) -> list[dict]:
        return self.events(self.settings.topics.directives)

    def failures(self) -> list[DocumentFailed]:
        return self.events(self.settings.topics.failed, DocumentFailed)

    def dead(self) -> list[DeadLetter]:
        return self.events(self.settings.topics.dlq, DeadLetter)


def publish_raw(settings: Settings, topic: str, values: list[bytes]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    try:
        for value in values:
            producer.send(topic, value).get(timeout=30)
    finally:
        producer.close()
