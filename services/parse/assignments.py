"""Assignments: which unit must do what, in which role, by when.

Clause patterns (each clause is a sentence or a ";"-separated part of one):

* subject first: "X, Y tổ chức ..." -> X, Y assigned;
  "X chủ trì, phối hợp với Y, Z ..." -> X lead, Y and Z cooperate;
  "X phối hợp với Y ..." -> X assigned, Y cooperate;
  "X chỉ đạo Y ..." -> X assigned, and Y assigned when the directory knows it.
* trigger: "Giao X ...", "Đề nghị X ...", "Yêu cầu X ...", also after the issuer
  ("Ban Thường vụ Tỉnh ủy yêu cầu X ...") -> X as above.
* "Chỉ đạo Y ..." with no subject -> Y assigned when the directory knows it (an object
  the directory does not know is not a subject, so it is not kept); "Chỉ đạo Y chủ trì,
  phối hợp với Z ..." -> Y lead, Z cooperate.
* a heading that ends in a unit list and a colon ("6. Các huyện, thành phố:",
  "3. Sở Y tế chủ trì, phối hợp với các ngành liên quan:", "Giao X chỉ đạo Y:") hands
  its units and roles to every item below it that names no subject of its own.
* the opening sentence likewise, when it ends in a colon ("Ban Thường vụ yêu cầu X, Y
  tổ chức thực hiện các nhiệm vụ sau:"): X and Y are assigned every numbered task that
  names no subject of its own.
* plan tables, one "|" row per task, with "Cơ quan chủ trì / phối hợp / Thời gian"
  columns.
* plan fields ("Cơ quan chủ trì: ...", "Cơ quan phối hợp: ...", "Thời gian thực hiện: ...")
  under a task heading.

Sentences without a subject continue the task of the last subject in the same section.
A clause whose predicate opens with "đã"/"đang" reports, it does not assign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from vanthu.directory import UnitDirectory
from vanthu.events import Assignment, Role, Section
from vanthu.normalize import fold

from services.parse.dates import find_deadline, find_recurrence
from services.parse.subjects import UnitList, lower_form, office_free, read_units

_TRIGGER = re.compile(r"(?<![\w])(?:giao cho|giao|đề nghị|yêu cầu|phân công|ủy quyền)\s+")
_DIRECT = re.compile(r"chỉ đạo\s+")
_LEAD = re.compile(r"chủ trì\s*[,;]?\s*")
_COOPERATE = re.compile(r"(?:và\s+)?phối hợp(?:\s+chặt chẽ)?\s+(?:với|cùng)\s+")
_COOPERATE_ALONE = re.compile(r"phối hợp(?:\s+chặt chẽ)?\s+(?:với|cùng)\s+")
_PAST = re.compile(r"(?:đã|đang|vừa|từng|đều đã)(?![\w])")
# "không làm việc", "thực hiện không đầy đủ": a shortcoming; "không để", "không được" forbid.
_NEGATED = re.compile(r"(?:\S+\s+){0,2}không(?!\s+(?:để|được|cho phép|tổ chức|chủ quan))(?![\w])")
_WHICHEVER = re.compile(r"\snào$|\snào\s")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[^\s\w]*[A-ZĐÀ-Ỹ0-9])")
_CLAUSE_END = re.compile(r"(?<=;)\s+")
_FIELD = re.compile(
    r"(?:^|(?<=[;.])\s*)(?:[-+]\s*)?((?:cơ quan|đơn vị)\s+(?:chủ trì|thực hiện|phối hợp)|"
    r"(?:thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành))?|nội dung(?:\s+công việc)?)\s*:\s*"
)


@dataclass
class Party:
    text: str  # as printed
    role: Role


@dataclass
class _Group:
    """Units sharing one task, with the task's text as it accumulates."""

    parties: list[Party]
    task: list[str] = field(default_factory=list)
    deadline_text: str | None = None

    @property
    def task_text(self) -> str:
        return " ".join(t for t in self.task if t).strip(" ,;:")

    @property
    def opens_list(self) -> bool:
        """A heading whose task is given by the items below it."""
        text = " ".join(self.task).strip()
        return not text or text.endswith(":")


class Resolver:
    """Printed unit name -> (canonical name, id), recording a warning for each unknown name."""

    def __init__(self, directory: UnitDirectory | None, usable: bool) -> None:
        self.directory = directory if usable else None
        self.unknown: list[str] = []

    def known(self, text: str) -> bool:
        return self.directory is not None and self.directory.match(office_free(text)) is not None

    def resolve(self, text: str) -> tuple[str, str | None]:
        match = self.directory.match(office_free(text)) if self.directory else None
        if match is None:
            if text not in self.unknown:
                self.unknown.append(text)
            return text, None
        return match.unit.name, match.unit.id


class _Clause(NamedTuple):
    """What one clause assigns: its units and their task (the rest of the clause)."""

    parties: list[Party]
    task: str
    joins: bool = False  # the units join those of an enclosing heading ("Phối hợp với Y ...")
    heading_leads: bool = False  # ... and the heading's units lead ("Chủ trì, phối hợp với Y ...")


class _Reader:
    def __init__(self, directory: UnitDirectory | None, resolver: Resolver) -> None:
        self.directory = directory
        self.resolver = resolver

    def units(self, clause: str, start: int, *, whole: bool = False) -> UnitList | None:
        return read_units(clause, start, self.directory, whole=whole)

    def clause(self, clause: str) -> _Clause | None:
        """What ``clause`` assigns, or None when it names no unit of its own."""
        low = lower_form(clause)
        if units := self.units(clause, 0):
            trigger = _TRIGGER.match(low, _skip(clause, units.end))
            if trigger is None:
                return self._predicate(clause, low, units)
            # "UBND tỉnh yêu cầu X ...": the units before the trigger are the issuer.
            addressees = self.units(clause, trigger.end())
            return self._predicate(clause, low, addressees) if addressees else None
        for m in _TRIGGER.finditer(low):
            # The issuer may follow an introductory phrase: "Thực hiện ..., Ban Thường vụ yêu cầu X".
            before = clause[max(clause.rfind(c, 0, m.start()) for c in ",;:") + 1 : m.start()].strip()
            if before and not self.units(before, 0, whole=True):
                continue
            if units := self.units(clause, m.end()):
                return self._predicate(clause, low, units)
        if m := _DIRECT.match(low):
            # "Chỉ đạo Sở Y tế chủ trì, phối hợp với các sở ...": the directed units' own roles.
            units = self.units(clause, m.end())
            found = self._predicate(clause, low, units) if units else None
            directed = {n.text for n in units.names} if units else set()
            parties = [p for p in found.parties if p.text not in directed or self.resolver.known(p.text)] if found else []
            return _Clause(parties, clause, joins=True) if any(p.text in directed for p in parties) else None
        lead = _LEAD.match(low)
        if m := _COOPERATE_ALONE.match(low, lead.end() if lead else 0):
            units = self.units(clause, m.end())
            partners = [Party(n.text, "cooperate") for n in units.names] if units else []
            task = clause[units.end :].strip(" ,") if units and lead else clause
            return _Clause(partners, task, joins=True, heading_leads=bool(lead)) if units else None
        if lead:  # "Chủ trì tổ chức ...": the heading's units lead
            return _Clause([], clause[lead.end() :].strip(" ,"), joins=True, heading_leads=True)
        return None

    def _predicate(self, clause: str, low: str, units: UnitList) -> _Clause | None:
        pos = _skip(clause, units.end)
        if _PAST.match(low, pos) or _NEGATED.match(low, pos) or any(_WHICHEVER.search(n.text) for n in units.names):
            return None  # a report, a shortcoming, or a condition ("đơn vị nào ... thì ...")
        role: Role = "assigned"
        extra: list[Party] = []
        if m := _LEAD.match(low, pos):
            role, pos = "lead", m.end()
        if m := _COOPERATE.match(low, pos):
            partners = self.units(clause, m.end())
            if partners:
                extra = [Party(n.text, "cooperate") for n in partners.names]
                pos = partners.end
        elif m := _DIRECT.match(low, pos):
            directed = self.units(clause, m.end())
            if directed:
                extra = [Party(n.text, "assigned") for n in directed.names if self.resolver.known(n.text)]
        parties = [Party(n.text, role) for n in units.names] + extra
        return _Clause(parties, clause[pos:].strip(" ,"))


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " ,:":
        pos += 1
    return pos


def _sentences(paragraph: str) -> list[list[str]]:
    return [_CLAUSE_END.split(s) for s in _SENTENCE_END.split(paragraph) if s.strip()]


@dataclass
class _Context:
    reader: _Reader
    year: int | None
    out: list[Assignment]
    seen: set[tuple[str, str, str | None, str]] = field(default_factory=set)

    def emit(self, group: _Group, section: str | None) -> None:
        task = group.task_text
        if not task or not group.parties:
            return
        deadline = find_deadline(task, self.year)
        if group.deadline_text:
            deadline = find_deadline(group.deadline_text, self.year) or find_deadline(
                f"trong {group.deadline_text}", self.year
            )
        for party in group.parties:
            unit, unit_id = self.reader.resolver.resolve(party.text)
            assignment = Assignment(
                unit=unit,
                unit_text=party.text,
                unit_id=unit_id,
                role=party.role,
                section=section,
                task=task,
                deadline=deadline.date if deadline else None,
                deadline_text=deadline.text if deadline else group.deadline_text,
                recurrence=find_recurrence(task),
            )
            key = (party.text, party.role, section, task)
            if key not in self.seen:
                self.seen.add(key)
                self.out.append(assignment)


def _paragraph_groups(ctx: _Context, paragraphs: list[str], inherited: list[Party] | None) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            enumerating = False  # clauses after "như:" inside a sentence are its examples
            for clause in sentence:
                found = None if enumerating else ctx.reader.clause(clause)
                enumerating = enumerating or ":" in clause.rstrip().rstrip(":")
                if found:
                    parties, task = found.parties, found.task
                    if current is not None and not current.task_text:
                        # "X chủ trì, phối hợp với Y; Z tăng cường ...": X's task is Z's.
                        current.task.append(task)
                    if found.joins and inherited:
                        heading = [Party(p.text, "lead") for p in inherited] if found.heading_leads else inherited
                        parties = [*heading, *parties]
                    current = _Group(parties, [task])
                    groups.append(current)
                elif current is not None:
                    current.task.append(clause)
                elif inherited:
                    current = _Group(list(inherited), [clause])
                    groups.append(current)
    return groups


# Table columns, by words in their (diacritic-folded) header cells.
_COLUMNS = {
    "lead": ("chu tri", "don vi thuc hien", "co quan thuc hien", "don vi thuc hien"),
    "cooperate": ("phoi hop",),
    "when": ("thoi gian", "thoi han", "tien do"),
    "task": ("noi dung", "nhiem vu", "cong viec"),
    "number": ("stt", "tt", "so tt"),
}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table_groups(ctx: _Context, paragraphs: list[str], section: str | None) -> list[str]:
    """Emit the tasks of a plan table ("| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối
    hợp | Thời gian |", one "|" row per line); return the paragraphs that are no table.

    A row's section is its STT under the enclosing section ("II.3" for row 3 under "II")."""
    rest: list[str] = []
    columns: dict[str, int] | None = None
    for paragraph in paragraphs:
        if not paragraph.startswith("|"):
            rest.append(paragraph)
            columns = None
            continue
        cells = _cells(paragraph)
        if all(re.fullmatch(r":?-{2,}:?|", c) for c in cells):
            continue  # the separator row under a header
        folded = [fold(c) for c in cells]
        header = {name: i for name, words in _COLUMNS.items() for i, cell in enumerate(folded)
                  if any(cell == w or cell.startswith(w + " ") or f" {w}" in cell for w in words)}
        if "lead" in header and columns is None:
            columns = header
            continue
        if columns is None:
            rest.append(paragraph)
            continue
        cell = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
        parties = []
        for role in ("lead", "cooperate"):
            units = ctx.reader.units(cell.get(role, ""), 0, whole=True) if cell.get(role) else None
            parties += [Party(n.text, role) for n in units.names] if units else []  # type: ignore[misc]
        task = cell.get("task") or max(cells, key=len)
        number = cell.get("number", "").rstrip(".")
        path = ".".join(p for p in (section, number) if p) or None
        ctx.emit(_Group(parties, [task], deadline_text=cell.get("when") or None), path)
    return rest


def _field_group(ctx: _Context, node: Section) -> tuple[_Group, set[int]] | None:
    """A plan task given as fields ("Cơ quan chủ trì: ...") in the node or its "-"/"+" items."""
    texts = [node.text, *(c.text if c.path.rsplit(".", 1)[-1][:1] in "-+" else "" for c in node.children)]
    values: dict[str, str] = {}
    used: set[int] = set()
    for index, text in enumerate(texts):
        low = lower_form(text)
        marks = list(_FIELD.finditer(low))
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
            values.setdefault(re.sub(r"\s+", " ", m.group(1)), text[m.end() : end].strip(" ;."))
            if index:
                used.add(index - 1)
    lead = next((v for k, v in values.items() if "chủ trì" in k or "thực hiện" in k and "gian" not in k), None)
    if not lead:
        return None
    parties: list[Party] = []
    for key, role in (("lead", "lead"), ("cooperate", "cooperate")):
        value = lead if key == "lead" else next((v for k, v in values.items() if "phối hợp" in k), None)
        units = ctx.reader.units(value, 0, whole=True) if value else None
        parties += [Party(n.text, role) for n in units.names] if units else []  # type: ignore[misc]
    first = node.text.split("\n")[0]
    task = values.get("nội dung") or values.get("nội dung công việc") or (first if not _FIELD.match(lower_form(first)) else "")
    when = next((v for k, v in values.items() if k.startswith(("thời", "tiến"))), None)
    return _Group(parties, [task], deadline_text=when), used


def _walk(ctx: _Context, node: Section, inherited: list[Party] | None) -> None:
    fields = _field_group(ctx, node)
    if fields:
        group, used = fields
        ctx.emit(group, node.path)
        children = [c for i, c in enumerate(node.children) if i not in used]
        for child in children:
            _walk(ctx, child, inherited)
        return
    groups = _paragraph_groups(ctx, _table_groups(ctx, node.text.split("\n"), node.path), inherited)
    handed = inherited
    if node.children and groups and groups[-1].opens_list:
        handed = groups[-1].parties
        groups = groups[:-1]
    for group in groups:
        ctx.emit(group, node.path)
    for child in node.children:
        _walk(ctx, child, handed)


def extract_assignments(
    opening: list[str],
    sections: list[Section],
    closing: list[str],
    directory: UnitDirectory | None,
    resolver: Resolver,
    year: int | None,
) -> list[Assignment]:
    """Every assignment in the body, in reading order; unknown names land in ``resolver.unknown``."""
    ctx = _Context(_Reader(directory, resolver), year, [])
    groups = _paragraph_groups(ctx, _table_groups(ctx, opening, None), None)
    # "... yêu cầu X, Y thực hiện các nhiệm vụ sau:": the numbered tasks that follow are X's and Y's.
    handed = groups.pop().parties if sections and groups and groups[-1].opens_list else None
    for group in groups:
        ctx.emit(group, None)
    for section in sections:
        _walk(ctx, section, handed)
    for group in _paragraph_groups(ctx, closing, None):
        ctx.emit(group, None)
    return ctx.out
