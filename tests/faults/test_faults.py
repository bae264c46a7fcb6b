"""Fault tests of the delivery guarantees, against the real local Kafka and MinIO.

Each test runs the three services as real processes (``vanthu serve ocr|parse|notify``)
on topics, buckets and consumer groups of its own, submits the same batch (the five
examples as text PDFs, two of them also as image-only scans, two bad files, then one
duplicate), injects one kind of fault mid-batch, then submits one more document (the
probe). Afterwards:

- a deduplicating subscriber (distinct idempotency keys on the assignments and review
  topics) holds exactly the expected notices of every good document: none lost, none
  invented; the duplicates it dropped are counted;
- the bad files, the duplicate and the poison messages are on ``failed`` (or ``dlq``)
  with their reasons, and the duplicate produced no text, directive or notice;
- every service is still consuming: the probe, submitted after the fault, comes out
  as its notices, and every service process is still running.

The expected notices of a text PDF come from the same stage functions the services run
(extract -> parse_directive -> build_notices); those of a scan come from the directive
event the pipeline published, and its (unit, role) set must equal its text twin's.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.faults.harness import (
    FIGURES,
    OUTAGE_S,
    Doc,
    Fleet,
    Subscriber,
    batch,
    duplicate_doc,
    ensure_stack_up,
    expected_notices,
    fault_settings,
    has_received,
    notices_of_directive,
    probe_pdf,
    publish_raw,
    put,
    stack,
    tesseracts_at_work,
    wait_for,
    wait_groups,
)
from vanthu.settings import Settings
from vanthu.storage import Storage

STALL = Path(__file__).parent / "stall"  # the fault plugin that holds notify mid-directive

pytestmark = [pytest.mark.integration, pytest.mark.faults, pytest.mark.timeout(420)]

BATCH_TIMEOUT_S = 240  # from the last upload to the last expected notice, fault included


class FaultRun:
    """One batch through the services with one kind of fault injected mid-way."""

    def __init__(self, run_settings: Settings, tmp_path: Path, ocr_workers: int = 1) -> None:
        self.settings = fault_settings(run_settings)
        self.fleet = Fleet(self.settings, tmp_path)
        self.ocr_workers = ocr_workers
        self.client = Storage(self.settings).client
        self.docs = batch()
        self.duplicate = duplicate_doc()
        self.probe = Doc("2021/11/Kiểm tra sau sự cố.pdf", probe_pdf(uuid.uuid4().hex), "probe")
        self.held_back: list[Doc] = []  # uploaded by the fault itself, not at the start
        self.notify_env: dict[str, str] = {}  # for the first notify process only
        self.faults = 0
        self.notes: list[str] = []
        self.started = time.monotonic()

    # --- services ---

    def ocr_names(self) -> list[str]:
        return ["ocr"] if self.ocr_workers == 1 else [f"ocr{i + 1}" for i in range(self.ocr_workers)]

    def start_ocr(self, name: str) -> None:
        env = {}
        if self.ocr_workers > 1:  # one machine: share the cores between the workers
            env["VANTHU_OCR__WORKERS"] = str(max(1, (os.cpu_count() or 1) // self.ocr_workers))
        self.fleet.start(name, "ocr", **env)

    def start_services(self) -> None:
        for name in self.ocr_names():
            self.start_ocr(name)
        self.fleet.start("parse", "parse")
        self.fleet.start("notify", "notify", **self.notify_env)  # also runs the channels app
        self.wait_consuming()

    def wait_consuming(self) -> None:
        """Until every service process holds its place in each of its consumer groups."""
        s = self.settings
        members = {g: 1 for stage in ("parse", "notify", "channels")
                   for g in (s.group(stage), f"{s.group(stage)}.retry")}
        members |= {s.group("ocr"): self.ocr_workers, f"{s.group('ocr')}.retry": self.ocr_workers}
        wait_groups(s, members)

    # --- what must come out ---

    def good(self) -> list[Doc]:
        return [d for d in self.docs if d.kind in ("text", "scan")]

    def bad(self) -> list[Doc]:
        return [d for d in self.docs if d.kind == "bad"]

    def expected_keys(self, sub: Subscriber, docs: list[Doc]) -> set[str] | None:
        """Every idempotency key ``docs`` must produce; None while a scan's directive is missing."""
        directives = {d["document_id"]: d for d in sub.directives()}
        keys: set[str] = set()
        for doc in docs:
            if doc.kind == "scan":
                if doc.document_id not in directives:
                    return None
                keys |= {n.idempotency_key for n in notices_of_directive(directives[doc.document_id])}
            else:
                keys |= {n.idempotency_key for n in expected_notices(doc.data)}
        return keys

    def batch_done(self, sub: Subscriber) -> bool:
        keys = self.expected_keys(sub, self.good())
        failed = {(f.source.key, str(f.reason)) for f in sub.failures() if f.source}
        return (keys is not None and keys <= sub.keys()
                and all(any(k == d.key for k, _ in failed) for d in self.bad())
                and (self.duplicate.key, "duplicate") in failed)

    # --- the run ---

    def run(self, inject: Callable[[FaultRun, Subscriber], None],
            check: Callable[[Subscriber], None] | None = None) -> dict:
        try:
            self.start_services()
            with Subscriber(self.settings) as sub:
                incoming = self.settings.buckets.incoming
                # The duplicated document's original goes first, so that the duplicate can
                # follow as soon as the original's submission is recorded.
                original = next(d for d in self.docs if d.kind == "text" and d.stem == self.duplicate.stem)
                for doc in [original, *(d for d in self.docs if d is not original and d not in self.held_back)]:
                    put(self.client, incoming, doc)
                wait_for("the original's received record", lambda: has_received(self.settings, original.document_id),
                         60)
                put(self.client, incoming, self.duplicate)

                inject(self, sub)

                wait_for("the batch's notices and failures", lambda: self.batch_done(sub), BATCH_TIMEOUT_S, every=1)
                # Every service is still consuming: each process (restarted ones included) is
                # in its groups again, and a new document goes all the way through.
                self.wait_consuming()
                put(self.client, incoming, self.probe)
                probe_keys = self.expected_keys(sub, [self.probe])
                wait_for("the probe's notices", lambda: probe_keys <= sub.keys(), 120, every=0.5)
                self.settle(sub)
                assert sub.error is None, f"the subscriber failed: {sub.error!r}"
                if check:
                    check(sub)
                return self.check(sub)
        except BaseException:
            print(self.fleet.tails())
            raise
        finally:
            self.fleet.stop_all()

    def settle(self, sub: Subscriber, quiet_s: float = 3.0) -> None:
        """Until nothing new arrived for ``quiet_s`` (late redeliveries are counted too)."""
        def total() -> int:
            return sum(len(sub.raw(t)) for t in sub.topics)

        last, since = total(), time.monotonic()
        while time.monotonic() - since < quiet_s:
            time.sleep(0.5)
            if (now := total()) != last:
                last, since = now, time.monotonic()

    def check(self, sub: Subscriber) -> dict:
        s = self.settings
        good = self.good()
        expected = self.expected_keys(sub, [*good, self.probe])
        notices = sub.notices()
        seen = {n.idempotency_key for _, n in notices}

        # No loss, nothing invented: the deduplicating subscriber holds exactly the expected set.
        lost, extra = expected - seen, seen - expected
        assert not lost, f"{len(lost)} notices lost, e.g. {sorted(lost)[:5]}"
        assert not extra, f"{len(extra)} unexpected notices, e.g. {sorted(extra)[:5]}"
        for topic, notice in notices:
            assert (notice.unit_id is None) == (topic == s.topics.review)
        for key, value in sub.raw(s.topics.assignments):
            if b'"idempotency_key"' in value:
                assert key and key.decode() == json.loads(value)["unit_id"]

        # A scan gives the same units and roles as its text twin.
        by_doc: dict[str, set] = {}
        for _, n in notices:
            by_doc.setdefault(n.document_id, set()).add((n.unit_id, n.unit_text if n.unit_id is None else "", n.role))
        for scan in (d for d in good if d.kind == "scan"):
            twin = next(d for d in good if d.kind == "text" and d.stem == scan.stem)
            scan_units = {(u, r) for u, _, r in by_doc[scan.document_id] if u}
            text_units = {(u, r) for u, _, r in by_doc[twin.document_id] if u}
            assert scan_units == text_units, f"scan {scan.key}: {scan_units ^ text_units}"

        # The bad files failed with their reason, once the pipeline got to them, and went no further.
        failures = sub.failures()
        for doc in self.bad():
            reasons = {str(f.reason) for f in failures if f.source and f.source.key == doc.key}
            assert reasons == {"unsupported-format"}, f"{doc.key}: {reasons}"
        texts = sub.texts()
        assert not {t.document_id for t in texts} & {d.document_id for d in self.bad()}

        # The duplicate was recognised and produced nothing new: no text, no directive, no notice.
        dup = [f for f in failures if f.source and f.source.key == self.duplicate.key]
        assert {str(f.reason) for f in dup} == {"duplicate"} and dup[0].stage == "ocr", dup
        assert not [t for t in texts if t.source.key == self.duplicate.key]
        assert not [d for d in sub.directives() if (d.get("source") or {}).get("key") == self.duplicate.key]

        # No good document failed, nothing was dead-lettered (the retries bridged the fault).
        good_ids = {d.document_id for d in [*good, self.probe]}
        wrong = [f for f in failures if f.document_id in good_ids and str(f.reason) != "duplicate"]
        assert not wrong, wrong
        assert not sub.dead(), [(d.stage, d.topic, d.error) for d in sub.dead()]

        # Every service process is still running (the probe proved they still consume).
        assert all(self.fleet.alive().values()), self.fleet.alive()

        figures = {
            "documents submitted": len(self.docs) + 2,
            "faults injected": self.faults,
            "expected notices": len(expected),
            "messages lost": len(lost),
            "duplicates seen": len(notices) - len(seen),
            "notice messages": len(notices),
            "failed events": len(failures),
            "dead letters": len(sub.dead()),
            "seconds": round(time.monotonic() - self.started),
        }
        reasons: dict[tuple, int] = {}
        for f in failures:
            what = (f.stage, str(f.reason), f.source.key if f.source else (f.message[:40] + "..."))
            reasons[what] = reasons.get(what, 0) + 1
        print(figures, *self.notes, *(f"failed: {what} x{n}" for what, n in reasons.items()), sep="\n")
        return figures


def _record(request, figures: dict) -> None:
    FIGURES.append({"test": request.node.name.removeprefix("test_"), **figures})


# --- the faults --------------------------------------------------------------------------


def test_kill_ocr_and_notify_workers_mid_batch(run_settings, tmp_path, request):
    # GIVEN two OCR workers in one consumer group, parse and notify; the notify worker
    # stops (tests/faults/stall) before the second notice of the first text document
    # with more than one, so that the kill lands while a directive is half published
    run = FaultRun(run_settings, tmp_path, ocr_workers=2)
    expected = {d.document_id: len(expected_notices(d.data)) for d in run.good() if d.kind == "text"}
    run.notify_env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(STALL), os.environ.get("PYTHONPATH")])),
                      "VANTHU_FAULT_STALL_MARKER": str(tmp_path / "notify-stalled"),
                      "VANTHU_FAULT_STALL_DOCS": ",".join(doc for doc, count in expected.items() if count > 1)}

    def inject(run: FaultRun, sub: Subscriber) -> None:
        # WHEN, each at its moment (whichever comes first), the notify worker is killed -9
        # while it is publishing a directive's notices (some of a document's notices are
        # out, not all) and an OCR worker while it is running Tesseract on a scan
        def kill_notify() -> str:
            partial: dict[str, int] = {}

            def mid_directive() -> bool:
                counts: dict[str, int] = {}
                for _, n in sub.notices():
                    counts[n.document_id] = counts.get(n.document_id, 0) + 1
                partial.update({doc: c for doc, c in counts.items() if 0 < c < expected.get(doc, 0)})
                return bool(partial)

            wait_for("a directive's notices being published", mid_directive, 120, every=0.2)
            run.fleet.kill9("notify")
            return "notify killed mid-directive: " + ", ".join(
                f"{doc[:12]} {count}/{expected[doc]} notices out" for doc, count in partial.items())

        def kill_ocr() -> tuple[str, str]:
            busy: dict[str, list[int]] = {}

            def ocr_busy() -> bool:
                for name in run.ocr_names():
                    if pids := tesseracts_at_work(run.fleet.procs[name].pid):
                        busy[name] = pids
                        return True
                return False

            wait_for("an OCR worker running Tesseract", ocr_busy, 60, every=0.1)
            [(victim, tesseracts)] = busy.items()
            run.fleet.kill9(victim)
            for pid in tesseracts:  # they run in sessions of their own (idle hosts end with their stdin)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            return victim, f"{victim} killed while running {len(tesseracts)} tesseract process(es)"

        with ThreadPoolExecutor(2) as pool:
            notify_killed, ocr_killed = pool.submit(kill_notify), pool.submit(kill_ocr)
            victim, ocr_note = ocr_killed.result()
            notify_note = notify_killed.result()
        run.faults += 2
        run.notes += [notify_note, ocr_note]
        # THEN, once both are restarted, the batch completes
        run.fleet.start("notify", "notify")
        run.start_ocr(victim)

    _record(request, run.run(inject))


def _outage(name: str) -> Callable[[FaultRun, Subscriber], None]:
    def inject(run: FaultRun, sub: Subscriber) -> None:
        # WHEN, after the first text event and while the scans are being read, the
        # service stops for about 20 s and then starts again
        wait_for("the first text event", lambda: bool(sub.texts()), 120, every=0.2)
        scans = {d.document_id for d in run.docs if d.kind == "scan"}
        done = scans & {t.document_id for t in sub.texts()}
        try:
            stack("stop", name)
            run.faults += 1
            stopped = time.monotonic()
            for doc in run.held_back:  # MinIO keeps their notifications on disk until Kafka is back
                put(run.client, run.settings.buckets.incoming, doc)
            time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - stopped)))
        finally:
            stack("start", name)
        run.notes.append(f"{name} down {time.monotonic() - stopped:.0f}s (start included); "
                         f"{len(done)}/{len(scans)} scans read when it stopped; "
                         f"{len(run.held_back)} document(s) submitted during the outage")

    return inject


@pytest.fixture
def restores_stack(run_settings):
    """Whatever a test stopped is running again afterwards (set up after run_settings,
    so torn down before it removes the run's topics and buckets)."""
    yield
    ensure_stack_up()


def test_kafka_down_for_20s_mid_batch(restores_stack, run_settings, tmp_path, request):
    run = FaultRun(run_settings, tmp_path)
    # one document is submitted while Kafka is down: MinIO must deliver its notification later
    run.held_back = [next(d for d in run.docs if d.kind == "text" and d.stem.startswith("003"))]
    _record(request, run.run(_outage("kafka")))


def test_minio_down_for_20s_mid_batch(restores_stack, run_settings, tmp_path, request):
    _record(request, FaultRun(run_settings, tmp_path).run(_outage("minio")))


def test_poison_messages_on_every_input_topic(run_settings, tmp_path, request):
    # GIVEN the services consuming, and a marker naming this run's poison
    run = FaultRun(run_settings, tmp_path)
    marker = f"poison-{uuid.uuid4().hex[:12]}"
    s = run.settings
    # every input topic, and the stage that consumes it (vanthu.objects is shared with
    # other runs: their OCR services report this poison on their own failed topics)
    inputs = {s.topics.objects: "ocr", s.topics.text: "parse", s.topics.directives: "notify",
              s.topics.assignments: "channels"}
    poison = [f'{{"{marker}": not json'.encode(),
              f'{{"{marker}": "valid JSON of the wrong schema", "schema_version": 1, "document_id": 7}}'.encode()]

    def inject(run: FaultRun, sub: Subscriber) -> None:
        # WHEN, mid-batch, an invalid JSON and a valid JSON of the wrong schema are
        # published to each input topic
        wait_for("the first text event", lambda: bool(sub.texts()), 120, every=0.2)
        for topic in inputs:
            publish_raw(s, topic, poison)
            run.faults += len(poison)
        # THEN each stage reports each of them as an invalid event, and goes on
        def reported() -> bool:
            return all(sum(f.stage == stage and marker in f.message for f in sub.failures()) >= len(poison)
                       for stage in inputs.values())

        wait_for("the poison reported", reported, 120, every=0.5)

    def check(sub: Subscriber) -> None:
        # ... each poison message exactly once per stage, as an invalid event of no document
        for stage in inputs.values():
            reported = [f for f in sub.failures() if f.stage == stage and marker in f.message]
            assert len(reported) == len(poison), (stage, reported)
            assert {(str(f.reason), f.document_id) for f in reported} == {("invalid-event", None)}

    _record(request, run.run(inject, check))
