"""From a parsed directive to the assignment notices each unit receives."""

from __future__ import annotations

import hashlib
import re

from services.notify.secrecy import cancellation_text, identity_notices, superseded_text
from vanthu.directory import UnitDirectory
from vanthu.events import AssignmentNotice, Directive, DirectiveParsed, DocumentSummary
from vanthu.normalize import match_key
from vanthu.revisions import InForce, SentNotice


def build_notices(
    directive: Directive,
    document_id: str,
    directory: UnitDirectory,
    *,
    original_url: str | None = None,
    text_url: str | None = None,
) -> list[AssignmentNotice]:
    """One notice per assignment and receiving unit, in the directive's order.

    A collective assignee ("các sở, ban, ngành") is expanded to its member units, and a
    shared head over named members ("các Sở: Y tế, Tài chính") that is no unit itself to
    the members the directory knows (one review notice more when some are unknown), of
    which only those the deployment serves (``directory.serves``) get notices: a unit of
    another jurisdiction is never notified here. An assignee the directory does not know,
    or none of whose units it serves, yields one notice with ``unit_id`` None, which the
    notify service routes to clerks for review; with ``directory.unserved == "drop"`` an
    assignee known to be another jurisdiction's yields nothing. The idempotency key
    ``document_id:assignment index:unit_id`` is the same every time the same document
    is processed, so subscribers can drop repeats.
    """
    summary = _summary(directive)
    notices = []
    for index, assignment in enumerate(directive.assignments):
        targets = [assignment.unit_id] if assignment.unit_id else [m for m in assignment.member_ids if m]
        units = list({unit.id: unit for target in targets for unit in directory.expand(target)}.values())
        served = [unit for unit in units if directory.serves(unit.id)]
        if units and not served and directory.unserved == "drop":
            continue
        # A member list of which some names did not resolve: the rest go to review as well.
        unresolved = not assignment.unit_id and None in assignment.member_ids
        for unit in [*served, None] if served and unresolved else served or [None]:
            unit_id = unit.id if unit else None
            notices.append(AssignmentNotice(
                idempotency_key=f"{document_id}:{index}:{unit_id or 'unknown'}",
                document_id=document_id,
                unit_id=unit_id,
                unit=unit.name if unit else assignment.unit,
                unit_text=assignment.unit_text,
                succession=assignment.succession,
                candidates=assignment.candidates,
                role=assignment.role,
                section=assignment.section,
                task=assignment.task,
                deadline=assignment.deadline,
                deadline_text=assignment.deadline_text,
                recurrence=assignment.recurrence,
                document=summary,
                original_url=original_url,
                text_url=text_url,
            ))
    # a secret directive: identity only, one per unit
    return identity_notices(directive, _one_per_led_task(notices))


def _one_per_led_task(notices: list[AssignmentNotice]) -> list[AssignmentNotice]:
    """The notices without an ``assigned`` one whose task the same unit also leads in the
    same section: a heading that tasks a unit over items saying "Chủ trì ..." is one
    assignment read twice (CONVENTIONS.md records both), and the unit is told once, as
    the lead. An assigned task the lead's does not contain stays a notice of its own."""
    def receiver(n: AssignmentNotice) -> tuple[str, str]:
        return (n.unit_id or f"?{match_key(n.unit)}", n.section or "")

    led: dict[tuple[str, str], list[str]] = {}
    for n in notices:
        if n.role == "lead":
            led.setdefault(receiver(n), []).append(n.task)
    return [n for n in notices
            if not (n.role == "assigned" and any(n.task in task for task in led.get(receiver(n), [])))]


def _summary(directive: Directive) -> DocumentSummary:
    return DocumentSummary(issuer=directive.issuer, number=directive.number, doc_type=directive.doc_type,
                           date=directive.date, subject=directive.subject)


# --- revisions: a corrected directive sends only what changed ---------------------------


_REVISION = re.compile(r"^r\d+:")  # a key's revision mark, after the document id
# What a unit is told by a notice, for the digest: not its links (signed anew every time)
# nor its key, revision or time.
_TOLD = {"unit_id", "unit", "role", "section", "task", "deadline", "deadline_text", "recurrence", "document",
         "secrecy", "withheld"}


def revise(event: DirectiveParsed, notices: list[AssignmentNotice], in_force: InForce
           ) -> tuple[list[AssignmentNotice], InForce]:
    """The notices to send for revision ``event.revision`` of a directive whose notices
    ``in_force`` were sent for an earlier revision, and the notices in force after it.

    A notice is the same assignment as one in force when it goes to the same unit, with
    the same role, in the same section (the n-th such notice to the n-th). The same
    assignment told the same (task, deadline, document identity) is not sent again; told
    differently, it is sent again with a key of this revision, ``supersedes`` naming the
    key it replaces; a new one is sent with a key of this revision; one in force that this
    revision no longer has gets a cancellation (``status`` "cancelled"). Revision 0 with
    nothing in force sends every notice with its usual key. The same revision against the
    same notices in force gives the same keys, so a redelivery repeats nothing new."""
    to_send: list[AssignmentNotice] = []
    after: InForce = {}
    for identity, notice in _identified(notices):
        digest = hashlib.sha256(notice.model_dump_json(include=_TOLD).encode()).hexdigest()[:24]
        before = in_force.get(identity)
        if before is not None and before.digest == digest:
            after[identity] = before
            continue
        if event.revision:
            notice = notice.model_copy(update={
                "idempotency_key": revision_key(notice.idempotency_key, event.document_id, event.revision),
                "revision": event.revision, "supersedes": before.key if before else None})
        to_send.append(notice)
        after[identity] = SentNotice(key=notice.idempotency_key, digest=digest, unit_id=notice.unit_id,
                                     unit=notice.unit, unit_text=notice.unit_text, role=notice.role,
                                     section=notice.section, deadline=notice.deadline)
    for identity, before in in_force.items():
        if identity not in after:
            to_send.append(_cancellation(event, before))
    return to_send, after


def revision_key(key: str, document_id: str, revision: int) -> str:
    """``key`` ("document:rest") as the key of the same notice sent for ``revision``
    ("document:r2:rest"); revision 0 keeps it."""
    if not revision:
        return key
    rest = _REVISION.sub("", key.removeprefix(f"{document_id}:"), count=1)
    return f"{document_id}:r{revision}:{rest}"


def _identified(notices: list[AssignmentNotice]) -> list[tuple[str, AssignmentNotice]]:
    """Each notice with its identity across revisions: unit, role, section, and which of
    the notices with those three it is."""
    seen: dict[str, int] = {}
    out = []
    for notice in notices:
        base = "|".join((notice.unit_id or match_key(notice.unit), notice.role, notice.section or ""))
        seen[base] = seen.get(base, 0) + 1
        out.append((f"{base}|{seen[base]}", notice))
    return out


def _cancellation(event: DirectiveParsed, before: SentNotice) -> AssignmentNotice:
    """The notice that voids ``before``: to the same unit (or the review queue it went
    to), in this revision, saying only that the task was withdrawn by a correction."""
    summary = _identity(event)
    return _void(event.document_id, event.revision, event, before, cancellation_text(summary, event.revision),
                 ":cancelled")


def supersede(document_id: str, revision: int, directive: DirectiveParsed | None, in_force: InForce,
              new_id: str, new: Directive | None) -> list[AssignmentNotice]:
    """The notices that void every notice ``in_force`` of ``document_id`` (whose latest
    revision is ``directive``, None when unknown) because document ``new_id`` (``new``,
    None when not parsed yet) overwrote its original under the same key: cancellations in
    ``revision``, each naming the new document in ``superseded_by`` and in its text. The
    new document's own notices say what the units are to do now. Keys end in
    ":superseded", so a second retirement of the same notices repeats the same keys."""
    known = _identity(new)
    name = " ".join(p for p in (known.doc_type, known.number) if p) if known.number else f"mã {new_id[:12]}"
    text = superseded_text(_identity(directive), name)
    return [_void(document_id, revision, directive, before, text, ":superseded", superseded_by=new_id)
            for before in in_force.values()]


def _identity(directive: Directive | None) -> DocumentSummary:
    """What a void notice says of a document: its summary, without the subject when the
    document is secret (or unknown)."""
    if directive is None:
        return DocumentSummary()
    summary = _summary(directive)
    if getattr(directive, "withheld", False) or directive.secrecy or directive.secrecy_doubt:
        summary = summary.model_copy(update={"subject": None})
    return summary


def _void(document_id: str, revision: int, directive: DirectiveParsed | None, before: SentNotice, task: str,
          suffix: str, superseded_by: str | None = None) -> AssignmentNotice:
    """A cancellation of ``before`` in ``revision``: to the same unit (or the review queue
    it went to), telling ``task`` instead of the task."""
    return AssignmentNotice(
        idempotency_key=revision_key(before.key, document_id, revision) + suffix,
        document_id=document_id, unit_id=before.unit_id, unit=before.unit, unit_text=before.unit_text,
        role=before.role, section=before.section, task=task, document=_identity(directive),
        secrecy=directive.secrecy if directive else None, withheld=directive.withheld if directive else False,
        revision=revision, status="cancelled", supersedes=before.key, superseded_by=superseded_by,
    )
