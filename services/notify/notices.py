"""From a parsed directive to the assignment notices each unit receives."""

from __future__ import annotations

from services.notify.secrecy import identity_notices
from vanthu.directory import UnitDirectory
from vanthu.events import AssignmentNotice, Directive, DocumentSummary


def build_notices(
    directive: Directive,
    document_id: str,
    directory: UnitDirectory,
    *,
    original_url: str | None = None,
    text_url: str | None = None,
) -> list[AssignmentNotice]:
    """One notice per assignment and receiving unit, in the directive's order.

    A collective assignee ("các sở, ban, ngành") is expanded to its member units, of
    which only those the deployment serves (``directory.serves``) get notices: a unit of
    another jurisdiction is never notified here. An assignee the directory does not know,
    or none of whose units it serves, yields one notice with ``unit_id`` None, which the
    notify service routes to clerks for review; with ``directory.unserved == "drop"`` an
    assignee known to be another jurisdiction's yields nothing. The idempotency key
    ``document_id:assignment index:unit_id`` is the same every time the same document
    is processed, so subscribers can drop repeats.
    """
    summary = DocumentSummary(
        issuer=directive.issuer, number=directive.number, doc_type=directive.doc_type,
        date=directive.date, subject=directive.subject,
    )
    notices = []
    for index, assignment in enumerate(directive.assignments):
        units = directory.expand(assignment.unit_id) if assignment.unit_id else []
        served = [unit for unit in units if directory.serves(unit.id)]
        if units and not served and directory.unserved == "drop":
            continue
        for unit in served or [None]:
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
    return identity_notices(directive, notices)  # a secret directive: identity only, one per unit
