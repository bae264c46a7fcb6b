"""A clerk's correction form, read into the edits of :func:`vanthu.revisions.correct`.

The form shows the document's latest revision; only what the clerk changed becomes an
edit (a field left as it was is no edit), so that two clerks correcting different fields
do not overwrite each other's work with stale values, and the revision's ``changes`` say
exactly what was changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from vanthu.events import DirectiveParsed

# The header fields the form offers (a subset of vanthu.revisions.HEADER_FIELDS).
FORM_HEADER = ("issuer", "number", "doc_type", "place", "date", "subject")
ROLES = ("lead", "cooperate", "assigned")


class FormError(ValueError):
    """What the clerk typed cannot be read (the message says what, in Vietnamese)."""


def _date(value: str, what: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise FormError(f"{what}: ngày không hợp lệ ({value})") from None


def _text(value: str | None) -> str | None:
    """``value`` with its spaces evened out; None for nothing typed."""
    if value is None:
        return None
    return " ".join(value.split()) or None


def form_edits(directive: DirectiveParsed, form: Mapping[str, str]):
    """The :class:`vanthu.revisions.Edits` of ``form`` on ``directive`` (the revision the form showed)."""
    from vanthu.revisions import AssignmentEdit, Edits

    header = {}
    for field in FORM_HEADER:
        if field not in form:
            continue
        new = _date(form[field], "Ngày ban hành") if field == "date" else _text(form[field])
        if new != getattr(directive, field):
            header[field] = new
    remove, change = [], {}
    for i, assignment in enumerate(directive.assignments):
        if form.get(f"a{i}.remove"):
            remove.append(i)
            continue
        edit = {}
        unit_id = _text(form.get(f"a{i}.unit_id"))
        if unit_id and unit_id != assignment.unit_id:
            edit["unit_id"] = unit_id
        role = form.get(f"a{i}.role")
        if role in ROLES and role != assignment.role:
            edit["role"] = role
        if f"a{i}.deadline" in form:
            deadline = _date(form[f"a{i}.deadline"], f"Hạn của việc {i + 1}")
            if deadline != assignment.deadline:
                edit["deadline"] = deadline
        if edit:
            change[i] = AssignmentEdit(**edit)
    add = []
    new_unit = _text(form.get("new.unit_id"))
    if new_unit:
        task = _text(form.get("new.task"))
        if not task:
            raise FormError("Việc thêm mới cần có nội dung công việc.")
        role = form.get("new.role") if form.get("new.role") in ROLES else "assigned"
        add.append(AssignmentEdit(unit_id=new_unit, role=role, section=_text(form.get("new.section")), task=task,
                                  deadline=_date(form.get("new.deadline", ""), "Hạn của việc thêm mới")))
    base = form.get("base_revision", "")
    return Edits(base_revision=int(base) if base.isdigit() else None, header=header, remove=remove, change=change,
                 add=add)
