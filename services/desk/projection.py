"""The desk's read model: what the pipeline's topics said about each submission, in SQLite.

Why a projection and not the state store: the list of today's documents is one query
over thousands of rows with filters (desk, stage, issuer, date), and the document view
needs the parsed directive and the notices, which only the topics carry. The feed
(:mod:`services.desk.feed`) applies each message with :meth:`Projection.apply` and keeps
the next offset of every partition in the same transaction, so a restarted desk
resumes exactly where it stopped and a lost data directory is rebuilt from the topics.

A row of ``submissions`` is one object put into the intake bucket (its key); the same
bytes submitted twice are two rows of one document, the second one a ``duplicate``.
Stages only move forward (:data:`STAGES`); a message read again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from vanthu import batches
from vanthu.errors import FailureReason
from vanthu.events import (
    AssignmentNotice,
    DirectiveParsed,
    DocumentFailed,
    ObjectCreated,
    ObjectRef,
    Submission,
    TaskMarked,
    TextExtracted,
    utcnow,
)
from vanthu.logs import get_logger
from vanthu.normalize import fold
from vanthu.settings import Settings

log = get_logger("desk")

# The stages a submission goes through, in order; a later one never goes back to an earlier.
STAGES = ("received", "text", "parsed", "notified", "delivered", "failed", "duplicate")
_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
# A stage as the outcome of a file of a batch, the outcomes of `vanthu status --batch`
# (vanthu.batches.progress): done once notified (a secret document held for the records
# office has its review item, which moves it to "notified" here), failed (a duplicate too).
OUTCOME: dict[str, batches.Outcome] = {"received": "remaining", "text": "remaining", "parsed": "remaining",
                                       "notified": "done", "delivered": "done",
                                       "failed": "failed", "duplicate": "failed"}
# Whether submission ``s`` went to the bulk lane (its key under the lane's prefix; two arguments).
_BULK_SQL = "(substr(s.key, 1, ?) = ?)"
_OUTCOME_SQL = "CASE s.stage " + " ".join(f"WHEN '{stage}' THEN '{o}'" for stage, o in OUTCOME.items()) + " END"
# A batch's counts over its submissions ``s`` (the two arguments of _BULK_SQL first).
_BATCH_COUNTS = (f"COUNT(*) AS files, SUM({_BULK_SQL}) AS bulk, MIN(s.received_at) AS started, "
                 + ", ".join(f"SUM({_OUTCOME_SQL} = '{o}') AS {o}" for o in ("done", "failed", "remaining")))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    key TEXT PRIMARY KEY,            -- bucket/key of the original
    document_id TEXT,
    filename TEXT, desk TEXT, submitted_by TEXT,
    received_at TEXT NOT NULL, day TEXT NOT NULL,   -- UTC time; local date, for "today"
    stage TEXT NOT NULL, updated_at TEXT NOT NULL,
    reason TEXT, message TEXT, pages INTEGER, review_pages TEXT,
    batch TEXT                       -- the batch it was submitted in (vanthu.batches), if any
);
CREATE INDEX IF NOT EXISTS submissions_day ON submissions (day, received_at);
CREATE INDEX IF NOT EXISTS submissions_document ON submissions (document_id);
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    issuer TEXT, issuer_folded TEXT, number TEXT, doc_type TEXT, doc_date TEXT, subject TEXT,
    secret INTEGER NOT NULL, directive TEXT NOT NULL, parsed_at TEXT NOT NULL,
    revision INTEGER NOT NULL       -- the latest revision seen (a clerk's corrections add one)
);
CREATE TABLE IF NOT EXISTS notices (
    idempotency_key TEXT PRIMARY KEY,
    document_id TEXT NOT NULL, unit_id TEXT, for_review INTEGER NOT NULL,
    deadline TEXT, withheld INTEGER NOT NULL, at TEXT NOT NULL, notice TEXT NOT NULL,
    status TEXT NOT NULL, supersedes TEXT   -- a cancellation or a replacement voids the notice it supersedes
);
CREATE INDEX IF NOT EXISTS notices_supersedes ON notices (supersedes);
CREATE TABLE IF NOT EXISTS marks (
    notice_key TEXT NOT NULL, mark TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (notice_key, mark)
);
CREATE INDEX IF NOT EXISTS notices_unit ON notices (unit_id, at);
CREATE INDEX IF NOT EXISTS notices_document ON notices (document_id);
CREATE TABLE IF NOT EXISTS offsets (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)
);
"""


@dataclass(frozen=True)
class Filters:
    """What the list of documents is narrowed to; empty values do not narrow."""

    day: dt.date | None = None
    desk: str = ""
    stage: str = ""
    issuer: str = ""


class Projection:
    """The read model in one SQLite file (``":memory:"`` in tests). Thread-safe."""

    def __init__(self, path: Path | str, settings: Settings) -> None:
        self.settings = settings
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._add_batches()
        self._lock = threading.Lock()
        self.version = 0  # bumped by every change: live pages wait for it to move

    def _add_batches(self) -> None:
        """Give a read model made before batches were shown its ``batch`` column (its
        earlier submissions stay outside any batch: the topics are not read again)."""
        columns = {row["name"] for row in self._db.execute("PRAGMA table_info(submissions)")}
        if "batch" not in columns:
            self._db.execute("ALTER TABLE submissions ADD COLUMN batch TEXT")
        self._db.execute("CREATE INDEX IF NOT EXISTS submissions_batch ON submissions (batch, received_at)")

    def topics(self) -> list[str]:
        t = self.settings.topics
        return [t.objects, t.bulk, t.text, t.directives, t.assignments, t.review, t.failed, t.tasks]

    # --- writing ------------------------------------------------------------------

    def apply(self, messages: Iterable[tuple[str, int, int, bytes]]) -> int:
        """Apply ``(topic, partition, offset, value)`` messages in one transaction, with
        each partition's next offset; returns how many changed the model. A message that
        is not a valid event of its topic is skipped (it is the stages' to report)."""
        changed = 0
        with self._lock:
            with self._db:
                self._db.execute("BEGIN")
                for topic, partition, offset, value in messages:
                    try:
                        changed += bool(self._apply_one(topic, value))
                    except (ValidationError, ValueError) as exc:
                        log.warning("desk skipped a message it cannot read", topic=topic, offset=offset,
                                    error=str(exc)[:200])
                    self._db.execute("INSERT INTO offsets VALUES (?, ?, ?) ON CONFLICT (topic, partition) "
                                     "DO UPDATE SET next_offset = excluded.next_offset", (topic, partition, offset + 1))
            self._changed(changed)
        return changed

    def offsets(self) -> dict[tuple[str, int], int]:
        with self._lock:
            rows = self._db.execute("SELECT topic, partition, next_offset FROM offsets").fetchall()
        return {(r["topic"], r["partition"]): r["next_offset"] for r in rows}

    def submitted(self, ref: ObjectRef, document_id: str, submission: Submission) -> None:
        """A submission made here (the desk, the hot folder): listed at once, before MinIO's event."""
        with self._lock:
            self._received(ref, submission, document_id)
            self._changed(1)

    def advance(self, document_id: str, stage: str) -> bool:
        """Move the document's submissions on to ``stage`` (from the state store: ``delivered``)."""
        with self._lock:
            moved = self._advance_document(document_id, stage)
            self._changed(moved)
        return bool(moved)

    def _changed(self, changes: int) -> None:
        """Count a committed change: pages waiting for the version to move show it (under the lock)."""
        if changes:
            self.version += 1

    def _apply_one(self, topic: str, value: bytes) -> bool:
        t = self.settings.topics
        if topic in (t.objects, t.bulk):
            event = ObjectCreated.model_validate_json(value)
            return any(self._received(r.ref, r.submission) for r in event.records
                       if r.ref.bucket == self.settings.buckets.incoming)
        if topic == t.text:
            text = TextExtracted.model_validate_json(value)
            self._received(text.source, text.submission, text.document_id)
            self._db.execute("UPDATE submissions SET pages = ?, review_pages = ? WHERE key = ?",
                             (text.pages, json.dumps(text.review_pages), _key(text.source)))
            return self._advance_key(_key(text.source), "text") > 0
        if topic == t.directives:
            return self._directive(DirectiveParsed.model_validate_json(value))
        if topic in (t.assignments, t.review):
            return self._notice(AssignmentNotice.model_validate_json(value), for_review=topic == t.review)
        if topic == t.failed:
            return self._failed(DocumentFailed.model_validate_json(value))
        if topic == t.tasks:
            mark = TaskMarked.model_validate_json(value)
            return self._db.execute("INSERT INTO marks VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                    (mark.notice_key, mark.mark, mark.by, mark.at.isoformat())).rowcount > 0
        return False

    def _received(self, ref: ObjectRef, submission: Submission, document_id: str | None = None) -> bool:
        now = utcnow()
        cursor = self._db.execute(
            "INSERT INTO submissions (key, document_id, filename, desk, submitted_by, received_at, day, stage, "
            "updated_at, batch) VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?) ON CONFLICT (key) DO NOTHING",
            (_key(ref), document_id, submission.filename or ref.key.rsplit("/", 1)[-1], submission.desk or "",
             submission.submitted_by or "", now.isoformat(), _local_day(now), now.isoformat(), submission.batch))
        if submission.batch:  # a row first made from an event that did not carry the submission's metadata
            self._db.execute("UPDATE submissions SET batch = ? WHERE key = ? AND batch IS NULL",
                             (submission.batch, _key(ref)))
        if document_id:
            self._db.execute("UPDATE submissions SET document_id = ? WHERE key = ? AND document_id IS NULL",
                             (document_id, _key(ref)))
        return cursor.rowcount > 0

    def _directive(self, d: DirectiveParsed) -> bool:
        if d.source is not None:
            self._received(d.source, d.submission, d.document_id)
        # A revision replaces an older one, never a newer (the topic may be read again).
        cursor = self._db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (document_id) DO UPDATE SET "
            "issuer = excluded.issuer, issuer_folded = excluded.issuer_folded, number = excluded.number, "
            "doc_type = excluded.doc_type, doc_date = excluded.doc_date, subject = excluded.subject, "
            "secret = excluded.secret, directive = excluded.directive, parsed_at = excluded.parsed_at, "
            "revision = excluded.revision WHERE excluded.revision >= documents.revision",
            (d.document_id, d.issuer, fold(d.issuer or ""), d.number, d.doc_type,
             d.date.isoformat() if d.date else None, d.subject, int(_secret(d)), d.model_dump_json(),
             d.at.isoformat(), d.revision))
        self._advance_document(d.document_id, "parsed")
        return cursor.rowcount > 0

    def _notice(self, n: AssignmentNotice, for_review: bool) -> bool:
        cursor = self._db.execute(
            "INSERT INTO notices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
            (n.idempotency_key, n.document_id, n.unit_id, int(for_review),
             n.deadline.isoformat() if n.deadline else None, int(n.withheld), n.at.isoformat(), n.model_dump_json(),
             n.status, n.supersedes))
        return self._advance_document(n.document_id, "notified") > 0 or cursor.rowcount > 0

    def _failed(self, f: DocumentFailed) -> bool:
        stage = "duplicate" if f.reason == FailureReason.DUPLICATE else "failed"
        if f.source is not None:
            self._received(f.source, f.submission, f.document_id)
            where, args = "key = ?", (_key(f.source),)
        elif f.document_id:
            where, args = "document_id = ?", (f.document_id,)
        else:
            return False
        cursor = self._db.execute(
            f"UPDATE submissions SET stage = ?, reason = ?, message = ?, updated_at = ? WHERE {where} "
            "AND stage NOT IN ('failed', 'duplicate')", (stage, f.reason.value, f.message, utcnow().isoformat(), *args))
        return cursor.rowcount > 0

    def _advance_key(self, key: str, stage: str) -> int:
        return self._advance("key = ?", (key,), stage)

    def _advance_document(self, document_id: str, stage: str) -> int:
        return self._advance("document_id = ?", (document_id,), stage)

    def _advance(self, where: str, args: tuple, stage: str) -> int:
        lower = [s for s in STAGES if _RANK[s] < _RANK[stage]]
        marks = ", ".join("?" * len(lower))
        cursor = self._db.execute(
            f"UPDATE submissions SET stage = ?, updated_at = ? WHERE {where} AND stage IN ({marks})",
            (stage, utcnow().isoformat(), *args, *lower))
        return cursor.rowcount

    # --- reading ------------------------------------------------------------------

    def _rows(self, sql: str, args: tuple = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._db.execute(sql, args).fetchall()]

    def submissions(self, filters: Filters, limit: int = 500) -> list[dict[str, Any]]:
        """Submissions (newest first, at most ``limit``) with their document's header, as the list shows them."""
        where, args = _where(filters)
        return self._rows("SELECT s.*, d.issuer, d.number, d.doc_type, d.doc_date, d.subject, d.secret "
                          f"FROM submissions s LEFT JOIN documents d ON d.document_id = s.document_id {where} "
                          "ORDER BY s.received_at DESC LIMIT ?", (*args, limit))

    def count(self, filters: Filters) -> int:
        where, args = _where(filters)
        return self._rows("SELECT COUNT(*) AS n FROM submissions s LEFT JOIN documents d "
                          f"ON d.document_id = s.document_id {where}", args)[0]["n"]

    def desks(self) -> list[str]:
        return [r["desk"] for r in self._rows("SELECT DISTINCT desk FROM submissions WHERE desk != '' ORDER BY 1")]

    def batches(self, limit: int = 100) -> list[dict[str, Any]]:
        """The most recently started batches (at most ``limit``), each with ``batch`` and
        the counts of :meth:`batch_summary`."""
        return self._rows(f"SELECT s.batch, {_BATCH_COUNTS} FROM submissions s WHERE s.batch IS NOT NULL "
                          "GROUP BY s.batch ORDER BY started DESC LIMIT ?", (*self._bulk_args, limit))

    def batch_summary(self, batch: str) -> dict[str, Any] | None:
        """``files``, ``done``, ``failed``, ``remaining``, ``bulk`` (how many went to the bulk
        lane) and ``started`` (the first received) of ``batch``; None when it has no files."""
        row = self._rows(f"SELECT {_BATCH_COUNTS} FROM submissions s WHERE s.batch = ?", (*self._bulk_args, batch))[0]
        return row if row["files"] else None

    def batch(self, batch: str, outcome: str = "", limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
        """Files of ``batch`` (those of one ``outcome`` if given), at most ``limit`` from
        ``offset``: failed first, then remaining, then done, each in the order received;
        with their ``outcome``, ``bulk`` (whether in the bulk lane) and their document's
        header (``secret`` as the documents list has it)."""
        where, args = "s.batch = ?", [batch]
        if outcome:
            where += f" AND {_OUTCOME_SQL} = ?"
            args.append(outcome)
        return self._rows(f"SELECT s.*, {_OUTCOME_SQL} AS outcome, {_BULK_SQL} AS bulk, d.issuer, d.number, "
                          "d.doc_type, d.subject, d.secret FROM submissions s LEFT JOIN documents d "
                          f"ON d.document_id = s.document_id WHERE {where} ORDER BY "
                          "CASE outcome WHEN 'failed' THEN 0 WHEN 'remaining' THEN 1 ELSE 2 END, s.received_at "
                          "LIMIT ? OFFSET ?", (*self._bulk_args, *args, limit, offset))

    @property
    def _bulk_args(self) -> tuple[int, str]:
        """The arguments of :data:`_BULK_SQL`: the bulk lane's prefix (settings.lanes) in the intake bucket."""
        prefix = f"{self.settings.buckets.incoming}/{self.settings.lanes.bulk_prefix}"
        return len(prefix), prefix

    def document(self, document_id: str) -> DirectiveParsed | None:
        rows = self._rows("SELECT directive FROM documents WHERE document_id = ?", (document_id,))
        return DirectiveParsed.model_validate_json(rows[0]["directive"]) if rows else None

    def document_submissions(self, document_id: str) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM submissions WHERE document_id = ? ORDER BY received_at", (document_id,))

    def in_motion(self, since: dt.datetime) -> list[str]:
        """Documents parsed or notified since ``since``: those whose delivery may still be recorded."""
        rows = self._rows("SELECT DISTINCT document_id FROM submissions WHERE stage IN ('parsed', 'notified') "
                          "AND document_id IS NOT NULL AND updated_at >= ?", (since.isoformat(),))
        return [r["document_id"] for r in rows]

    def notices(self, *, unit_id: str | None = None, document_id: str | None = None,
                for_review: bool = False) -> list[AssignmentNotice]:
        """The notices in force, newest first: a unit's, or a document's. A cancelled one and
        one a later notice replaced are not in force."""
        where = ["for_review = ?", "status = 'assigned'",
                 "NOT EXISTS (SELECT 1 FROM notices later WHERE later.supersedes = notices.idempotency_key)"]
        args: list = [int(for_review)]
        if unit_id is not None:
            where.append("unit_id = ?")
            args.append(unit_id)
        if document_id is not None:
            where.append("document_id = ?")
            args.append(document_id)
        rows = self._rows(f"SELECT notice FROM notices WHERE {' AND '.join(where)} ORDER BY at DESC", tuple(args))
        return [AssignmentNotice.model_validate_json(r["notice"]) for r in rows]

    def marks(self, notice_keys: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
        """notice key -> mark ("received", "done") -> who and when."""
        marks: dict[str, dict[str, dict[str, Any]]] = {}
        for row in self._rows(f"SELECT * FROM marks WHERE notice_key IN ({', '.join('?' * len(notice_keys))})",
                              tuple(notice_keys)):
            marks.setdefault(row["notice_key"], {})[row["mark"]] = row
        return marks

    def sent_to(self, document_id: str, unit_id: str) -> bool:
        """Whether the unit was sent the document itself (a notice with its links, not a
        withheld one). A notice later cancelled still counts: the unit had the document."""
        return bool(self._rows("SELECT 1 FROM notices WHERE document_id = ? AND unit_id = ? AND withheld = 0 "
                               "AND status = 'assigned' LIMIT 1", (document_id, unit_id)))


def _where(filters: Filters) -> tuple[str, tuple]:
    """The WHERE clause of ``filters`` over submissions ``s`` joined with documents ``d``."""
    where, args = [], []
    if filters.day:
        where.append("s.day = ?")
        args.append(filters.day.isoformat())
    if filters.desk:
        where.append("s.desk = ?")
        args.append(filters.desk)
    if filters.stage:
        where.append("s.stage = ?")
        args.append(filters.stage)
    if filters.issuer:
        where.append("d.issuer_folded LIKE ?")
        args.append("%" + fold(filters.issuer.strip()).replace("%", "").replace("_", "") + "%")
    return ("WHERE " + " AND ".join(where) if where else ""), tuple(args)


def _key(ref: ObjectRef) -> str:
    return f"{ref.bucket}/{ref.key}"


def _local_day(at: dt.datetime) -> str:
    """The desk's own calendar day of ``at``: "today" is the mailroom's today."""
    return at.astimezone().date().isoformat()


def _secret(d: DirectiveParsed) -> bool:
    return bool(d.secrecy or d.secrecy_doubt or d.withheld)

