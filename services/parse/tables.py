"""Tasks laid out as tables and fields rather than sentences.

* plan tables in the body, one "|" row per task, with "Cơ quan chủ trì / phối hợp /
  thực hiện" and "Thời gian" columns;
* tables after the signature (appendices) that the page flattened into one cell per
  line, with a column naming the body responsible for each row;
* plan fields under a task heading ("Cơ quan chủ trì: ...", "Thời gian thực hiện: ...").

A catalogue of administrative procedures ("Tên thủ tục hành chính", "Cơ quan thực hiện")
tasks no one (CONVENTIONS.md of ../shared/corpus) and yields nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import zip_longest
from typing import Protocol

from vanthu.directory import NameSource
from vanthu.events import Role, Section
from vanthu.normalize import CAPITALS, GROUP_HEADING, GROUP_NUMBER, TABLE_NUMBER_HEAD, fold, is_appendix_title

from services.parse.readings import Group, Party, parties_of
from services.parse.subjects import UnitList, looks_organisational, lower_form, starts_with_verb


class UnitReader(Protocol):
    """What reads the units of a cell: :class:`services.parse.assignments` passes its reader."""

    directory: NameSource | None

    def units(self, clause: str, start: int, *, whole: bool = False) -> UnitList | None: ...


_FIELD = re.compile(
    r"(?:^|(?<=[;.\n])\s*|(?<=\s)(?=[a-zđ]\)))(?:[-+]\s*|[a-zđ]\)\s*)?((?:cơ quan|đơn vị)\s+(?:chủ trì|thực hiện|phối hợp)(?:\s+(?:tham mưu\s+)?thực hiện)?|"
    r"(?:thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành))?|nội dung(?:\s+công việc)?)\s*:\s*"
)


# Table columns, by words in their (diacritic-folded) header cells.
_COLUMNS = {
    "lead": ("chu tri",),
    "cooperate": ("phoi hop",),
    # "a column naming the body responsible for each item" (CONVENTIONS.md): plain tasking.
    "assigned": ("don vi thuc hien", "co quan thuc hien", "phu trach", "chiu trach nhiem"),
    "when": ("thoi gian", "thoi han", "tien do"),
    "task": ("noi dung", "nhiem vu", "cong viec"),
    "number": ("stt", "tt", "so tt"),
}


_ROLES: tuple[Role, ...] = ("lead", "cooperate", "assigned")
_CELL_BULLET = re.compile(r"(^|[;,]\s*)[-–•+]\s+")
# A catalogue of administrative procedures says who handles a procedure, it tasks no one
# (CONVENTIONS.md): its header names the procedure, its steps or where it is filed.
_CATALOGUE = re.compile(r"thu tuc|trinh tu|cach thuc|dia diem|buoc|quy trinh")


def cell_parties(reader: UnitReader, text: str, role: Role, rule: str) -> list[Party]:
    """The units filling a table cell or a plan field (listed with dashes or not: "- Vụ
    Pháp chế; - Văn phòng Bộ."; numbered: "(1) Trung tâm A; (2) Cục B"; or in sentences:
    "Các Cục: A; B. Vụ Kế hoạch, Tài chính."). A field of who carries a task out may say
    who leads it: "Cơ quan thực hiện: X chủ trì, phối hợp với Y; Z" (X leads, Y and Z
    cooperate)."""
    if role == "assigned" and (m := _CELL_LEAD.search(text)):
        lead = cell_parties(reader, text[: m.start()], "lead", rule)
        if m.group(1) or not starts_with_verb(text[m.end() :]):
            return lead + cell_parties(reader, text[m.end() :], "cooperate" if m.group(1) else "assigned", rule)
        # "X chủ trì tham mưu ...; Y và Z chủ động tổ chức ...": X leads its own task; the
        # clauses after it are the others', each one's subject its words up to the verb
        others = [reader.units(c.strip(), 0) for c in text[m.end() :].split(";")[1:] if c.strip()]
        return lead + [p for units in others if units for p in parties_of(units.names, "assigned", rule)]
    parties: list[Party] = []
    for part in _CELL_SENTENCE.split(_CELL_NUMBER.sub(r"\1", _CELL_BULLET.sub(r"\1", text))):
        units = reader.units(part.strip(), 0, whole=True) if part.strip() else None
        parties += parties_of(units.names, role, rule) if units else []
    return parties


_CELL_NUMBER = re.compile(r"(^|[;,]\s*)\(\d{1,2}\)\s+")
_CELL_LEAD = re.compile(r"\s+chủ trì\s*[,;]?\s*(phối hợp(?:\s+với)?\s+)?")
_CELL_SENTENCE = re.compile(rf"(?<=[a-zà-ỹđ)])\.\s+(?=[{CAPITALS}])")


def _column_roles(headers: list[str]) -> dict[int, Role]:
    """Header cells -> the role of each column that names units (none for a catalogue). A
    column of tasks names none, even "Nhiệm vụ chủ trì" (the tasks each body leads): the
    bare "Đơn vị" beside it is who leads them."""
    folded = [fold(h) for h in headers]
    if any(_CATALOGUE.search(h) for h in folded):
        return {}
    tasks = {i for i, h in enumerate(folded) if h.startswith(_COLUMNS["task"])}
    roles = {i: role for role in _ROLES for i, h in enumerate(folded) if i not in tasks
             and any(h == w or h.startswith(w + " ") or f" {w}" in h for w in _COLUMNS[role])}
    if any("chu tri" in folded[i] for i in tasks):
        roles.update({i: "lead" for i, h in enumerate(folded) if h in _BARE_HEADS})
    return roles


def appendix_groups(reader: UnitReader, lines: Sequence[str]) -> list[tuple[Group, str]]:
    """The tasks of an appendix table, with their sections, whose cells the page flattened
    into one line each: "TT" and the header cells (or a header row "| TT | Nội dung | ... |"
    with the cells it lost on lines of their own), then each row as its number ("1") and
    its cells; the header printed again on each page, the numbers going on. A row's section
    is its number; a row's lettered sub-rows ("a)" on a line of its own, then its cells)
    are its points. The unit column must be the last one, or the row must have a line for
    each header cell (more when a cell right of the unit columns wrapped: "Nghị quyết số
    66-" / "NQ/TW"), so a wrapped cell cannot shift a unit column."""
    found: list[tuple[Group, str]] = []
    i = 0
    while i < len(lines):
        if (header := _flat_header(lines, i)) is None:
            i += 1
            continue
        printed, end = header
        headers = _header_cells(printed)
        roles = _column_roles(headers)
        if not roles:
            i += 1
            continue
        lines = [*lines[:end], *_without_headers(lines[end:], printed)]
        rows, i = _flat_rows(lines, end)
        for number, cells in rows:
            for point, row in _sub_rows(cells):
                path = f"{number}.{point}" if point else str(number)
                found += [(group, path) for group in _flat_row_groups(reader, row, roles, len(headers))]
        i = max(i, end + 1)
    return found


def _flat_header(lines: Sequence[str], i: int) -> tuple[list[str], int] | None:
    """The header cells of a flattened table opening at line ``i`` and the index of its
    first row's number: "TT" on its own line and the cells after it, or a header row whose
    first cell is "TT" and any cells it lost printed on the lines after it."""
    first = fold(lines[i])
    if first.startswith("|") and fold(_cells(lines[i])[0]) in TABLE_NUMBER_HEAD:
        cells = _cells(lines[i])[1:]
    elif first in TABLE_NUMBER_HEAD:
        cells = []
    else:
        return None
    end = next((k for k in range(i + 1, min(len(lines), i + 13)) if _row_opening(lines[k]) is not None), None)
    if end is None:
        return None
    # A group's number in a cell of its own ("I") and its title open the body before row 1.
    end = next((k for k in range(i + 1, end) if _group_start(lines, k)), end)
    return [*cells, *(line for line in lines[i + 1 : end] if not GROUP_HEADING.match(line))], end


def _header_cells(printed: list[str]) -> list[str]:
    """Header cells from the lines a flattened header broke them into: a line goes on
    when the next opens in lower case, completes a column's words ("CƠ QUAN CHỦ" / "TRÌ,
    THEO DÕI", "THỜI HẠN" / "HOÀN THÀNH"), or is a period ("MỤC TIÊU" / "2026 - 2030"), and
    a head noun alone ("CƠ QUAN" / "PHỐI HỢP") goes on with its role."""
    cells: list[str] = []
    for line in printed:
        if cells and _header_goes_on(fold(cells[-1]), fold(line), line):
            cells[-1] = f"{cells[-1]} {line}"
        else:
            cells.append(line)
    return cells


def _header_goes_on(cell: str, line: str, printed: str) -> bool:
    joined = f"{cell} {line}"
    completes = any(w in joined and w not in cell and w not in line for words in _COLUMNS.values() for w in words)
    return (printed[:1].islower() or completes or cell in _BARE_HEADS and line.startswith(_ROLE_WORDS)
            or _PERIOD.fullmatch(line) is not None or line in _COMPLEMENTS)


_BARE_HEADS = {"co quan", "don vi", "co quan, don vi", "co quan/don vi"}
_ROLE_WORDS = ("chu tri", "phoi hop", "thuc hien", "phu trach")
_COMPLEMENTS = {"hoan thanh", "thuc hien", "trinh", "theo doi"}
_PERIOD = re.compile(r"(?:giai doan\s*)?\d{4}(?:\s*[-–]\s*\d{4})?")


def _without_headers(lines: Sequence[str], headers: list[str]) -> list[str]:
    """``lines`` without the header printed again where a page breaks the table ("STT",
    its cells), even inside a row: what the page went on with after it, which the header's
    last cell took in as its own words ("Thời gian hoàn thành mãn tính, ..."), stays."""
    out: list[str] = []
    k = 0
    while k < len(lines):
        again = lines[k + 1 : k + 1 + len(headers)]
        if fold(lines[k]) in TABLE_NUMBER_HEAD and len(again) == len(headers) \
                and again[:-1] == headers[:-1] and again[-1].startswith(headers[-1]):
            if rest := again[-1][len(headers[-1]) :].strip():
                out.append(rest)
            k += 1 + len(headers)
            continue
        out.append(lines[k])
        k += 1
    return out


_LETTER = re.compile(r"([a-zđ])\)\s*(.*)")


def _sub_rows(cells: list[str]) -> list[tuple[str | None, list[str]]]:
    """A flattened row's cells, or, when lettered sub-rows ("a)", its cells, "b)", ...)
    follow the row's own heading, each sub-row's letter and cells."""
    starts = [k for k, cell in enumerate(cells) if (m := _LETTER.fullmatch(cell)) and m.group(1) in "abcdđeg"]
    if not starts or cells[starts[0]][0] != "a":
        return [(None, cells)]
    bounds = [*starts, len(cells)]
    out = []
    for k, start in enumerate(starts):
        m = _LETTER.fullmatch(cells[start])
        out.append((m.group(1), ([m.group(2)] if m.group(2) else []) + cells[start + 1 : bounds[k + 1]]))
    return out


def _flat_row_groups(reader: UnitReader, cells: list[str], roles: dict[int, Role], width: int) -> list[Group]:
    """The groups of one flattened row: each unit column's bodies with the row's task."""
    groups = []
    aligned = cells if len(cells) == width else _aligned(cells, min(roles), reader.directory)
    for column, role in roles.items():
        if column == width - 1:
            cell = _last_cell(cells, reader.directory)
        elif aligned is not None and column < len(aligned):
            cell = aligned[column]
        else:
            continue
        task = max(cells, key=len)
        groups.append(Group(cell_parties(reader, cell, role, "appendix-table"), [task], anchor=task))
    return groups


# A line that stops half-way through a phrase: the next line goes on with it, even with a
# body's name ("... theo Nghị quyết số 72-NQ/TW của" / "Bộ Chính trị").
_HALF_DONE = re.compile(r"(?:[,-]|\s(?:của|và|theo|về|với|cho|tại))$")


def _aligned(cells: list[str], first_unit: int, directory: NameSource | None) -> list[str] | None:
    """A flattened row whose cells a wrapped line broke ("Thể chế hóa ... văn hóa" / "Việt
    Nam theo Nghị quyết ...", "Bộ Văn hóa," / "Thể thao và Du lịch, Bộ Tài chính,") set out
    on the columns: the first line after the first cell that names a body opens the first
    unit column (column ``first_unit``), the lines before it are the columns before that,
    and a unit cell goes on over lines while a line ends a name half-way (",", "và", "-").
    A body's name after a line left half-way ("... của" / "Bộ Chính trị") is that line's.
    None when no line names a body where a unit column can be."""
    k = next((k for k in range(1, len(cells))
              if looks_organisational(cells[k], directory) and not _HALF_DONE.search(cells[k - 1])), None)
    if k is None or k < first_unit:
        return None
    out = [*cells[: first_unit - 1], " ".join(cells[first_unit - 1 : k]), *cells[k:]]
    merged: list[str] = out[: first_unit + 1]
    for cell in out[first_unit + 1 :]:
        if merged[-1].rstrip().endswith((",", " và", "-")):
            merged[-1] = f"{merged[-1]} {cell}"
        else:
            merged.append(cell)
    return merged


def _last_cell(cells: list[str], directory: NameSource | None) -> str:
    """The last cell of a flattened row, with the lines a wrapped unit name broke into
    ("Bộ Khoa học và" / "Công nghệ"): a line that opens no unit continues the one before
    it, and so does one after a line ending in "và", "," or "-"."""
    k = len(cells) - 1
    while k > 0 and (
        not looks_organisational(cells[k], directory) or cells[k - 1].rstrip().endswith((" và", ",", "-"))
    ):
        k -= 1
    return " ".join(cells[k:])


def _row_number(line: str) -> tuple[int, ...] | None:
    """A row's number alone on its line: "3", "3.", or a sub-row's "1.2" under row "1."."""
    m = re.fullmatch(r"(\d{1,3}(?:\.\d{1,3})*)\.?", line.strip())
    return tuple(int(part) for part in m.group(1).split(".")) if m else None


_GROUP_ROW = re.compile(r"([IVXLC]+)\.?")
_GROUP_TITLE_LINES = 3


def _group_start(lines: Sequence[str], k: int) -> tuple[str, int] | None:
    """A group of rows opening at line ``k``: its number in a cell of its own ("II") and its
    title, or both on one line ("II. Tăng cường ..."), then its first row ("1"); (the
    group's number, the first row's line) or None."""
    line = lines[k].strip()
    if m := _GROUP_ROW.fullmatch(line):
        after = k + 2  # the title's own line first
    elif m := _GROUP_WITH_TITLE.match(line):
        after = k + 1
    else:
        return None
    first = next((j for j in range(after, min(len(lines), after + _GROUP_TITLE_LINES))
                  if (row := _row_opening(lines[j])) is not None and row[0] == (1,)), None)
    return (m.group(1), first) if first is not None else None


_GROUP_WITH_TITLE = re.compile(rf"([IVXLC]+)(?:\.\s*|\s+)(?=[{CAPITALS}])")


def _flat_rows(lines: Sequence[str], start: int) -> tuple[list[tuple[str, list[str]]], int]:
    """Rows from ``start`` (a row's number, or a group's) on, each opened by the next number
    in sequence (or the one after: a row whose number the page lost is read with the row
    before), alone on its line or before its first cell's first line ("10.  Xây dựng ..."),
    or by a sub-row's ("1." / its title / "1.1", "1.2", "2." / ... / "2.1"); a line that heads
    a group of rows ("V. Đa dạng hoá ...") is no row's cell. Rows numbered anew under each
    group ("I" / its title / "1", "2", "II" / ... / "1") are labelled with it: "II.1". The
    next appendix's title ends the table. Also the index of the line after the last row."""
    rows: list[tuple[str, list[str]]] = []
    group, k = None, start
    if opened := _group_start(lines, k):
        group, k = opened
    row = _row_opening(lines[k])
    while row is not None:
        number, first = row
        cells: list[str] = [first] if first else []
        k += 1
        while k < len(lines) and not _next_row(lines[k], number) and not _group_start(lines, k):
            if is_appendix_title(lines[k]):  # the next appendix: its text is no row's
                return rows + ([(_row_label(group, number), cells)] if cells else []), k
            if not GROUP_HEADING.match(lines[k]):  # "V. Đa dạng hoá ...": the next rows' group
                cells.append(lines[k])
            k += 1
        if cells:
            rows.append((_row_label(group, number), cells))
        if k < len(lines) and (opened := _group_start(lines, k)):
            group, k = opened
        row = _row_opening(lines[k]) if k < len(lines) else None
    return rows, k


def _row_label(group: str | None, number: tuple[int, ...]) -> str:
    label = ".".join(map(str, number))
    return f"{group}.{label}" if group else label


_NUMBER_AND_CELL = re.compile(rf"(\d{{1,3}})\.\s+([{CAPITALS}].*)")


def _row_opening(line: str) -> tuple[tuple[int, ...], str | None] | None:
    """The number of the row a line opens, alone ("10.", "1.2") or before the first line of
    the row's first cell ("10.  Xây dựng Luật ..."), and that line; None when it opens none."""
    if (number := _row_number(line)) is not None:
        return number, None
    m = _NUMBER_AND_CELL.fullmatch(line.strip())
    return ((int(m.group(1)),), m.group(2).strip()) if m else None


def _next_row(line: str, number: tuple[int, ...]) -> bool:
    """Whether ``line`` opens the row after row ``number``: the next at its level or the one
    after that ("3" after "1", a lost number), the first under it ("1.1" after "1."), or
    the next at a level above ("2." or "2.1" after "1.7")."""
    row = _row_opening(line)
    if row is None:
        return False
    new = row[0]
    if new == (*number, 1):
        return True
    return any(
        len(new) > level and new[:level] == number[:level] and new[level] in (number[level] + 1, number[level] + 2)
        and all(part == 1 for part in new[level + 1 :])
        for level in range(len(number))
    )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_groups(
    reader: UnitReader, paragraphs: list[str], section: str | None
) -> tuple[list[tuple[Group, str | None]], list[str]]:
    """The tasks of a plan table ("| STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp |
    Thời gian |", one "|" row per line) with their sections, and the paragraphs that are
    no table. A catalogue of procedures (its header names them) gives neither: it tasks no one.

    A row's section is its STT under the enclosing section ("II.3" for row 3 under "II")
    and under the phase of a group row above it ("II | Nhóm nhiệm vụ ..." / "3 | ...":
    "II.3"); for a row with no number of its own, the group rows above it that number a phase
    and a step ("I | GIAI ĐOẠN 1: ..." / "1 | Lập nhiệm vụ" / "| 10/2019 | task | ...":
    "I.1"). A header in two rows (a merged "Thực hiện" over "Đơn vị chủ trì | Đơn vị phối
    hợp") is read as one."""
    found: list[tuple[Group, str | None]] = []
    rest: list[str] = []
    columns: dict[str, int] | None = None
    headers: list[str] = []  # the header row's cells, while the next row may complete it
    groups: list[str] = []
    for paragraph in paragraphs:
        if not paragraph.startswith("|"):
            rest.append(paragraph)
            columns, groups = None, []
            continue
        cells = _cells(paragraph)
        if all(re.fullmatch(r":?-{2,}:?|", c) for c in cells):
            continue  # the separator row under a header
        if headers and _header(cells).keys() & _ROLES:
            cells = [low or high for high, low in zip_longest(headers, cells, fillvalue="")]
            columns = None
        if columns is None and (header := _header(cells)).keys() & _ROLES:
            columns = header if _column_roles(cells) else {}  # {}: a catalogue's rows task no one
            headers = cells
            continue
        headers = []
        if columns is None:
            rest.append(paragraph)
            continue
        if not columns:
            continue
        if (group := _group_label(cells)) is not None:
            groups = [group] if not group.isdigit() or not groups or groups[0].isdigit() else [groups[0], group]
            continue
        cell = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
        parties = []
        for role in _ROLES:
            parties += cell_parties(reader, cell.get(role, ""), role, "plan-table")
        task = cell.get("task") or max(cells, key=len)
        own = cell.get("number", "").rstrip(".")
        # A numbered row under a phase's group row ("II | Nhóm nhiệm vụ ..." / "3 | ..."): "II.3".
        number = ".".join([groups[0], own]) if own and groups and not groups[0].isdigit() else own or ".".join(groups)
        path = ".".join(p for p in (section, number) if p) or None
        found.append((Group(parties, [task], deadline_text=cell.get("when") or None, anchor=paragraph), path))
    return found, rest


def _header(cells: list[str]) -> dict[str, int]:
    """What each header cell names (a column of ``_COLUMNS``). A column of the body that
    answers for a step ("Cơ quan chịu trách nhiệm quản lý nhà nước") beside the one that
    leads it says who oversees, not who is tasked: only the lead's counts."""
    folded = [fold(c) for c in cells]
    header = {name: i for name, words in _COLUMNS.items() for i, cell in enumerate(folded)
              if any(cell == w or cell.startswith(w + " ") or f" {w}" in cell for w in words)}
    if "lead" in header:
        header.pop("assigned", None)
    return header


def _group_label(cells: list[str]) -> str | None:
    """A group row's number ("I", "2") when the row is one, else None: a row that numbers a
    phase or a step and names it, with no other cell filled."""
    filled = [c for c in cells if c]
    if 1 <= len(filled) <= 2 and GROUP_NUMBER.fullmatch(filled[0]) and cells[0] == filled[0]:
        return filled[0].rstrip(".")
    return None


def field_groups(reader: UnitReader, node: Section) -> tuple[list[Group], set[int]] | None:
    """A plan task given as fields ("Cơ quan chủ trì: ...") in the node, its "-"/"+" items
    or its lettered items that are fields ("a) Cơ quan chủ trì: ...; b) Cơ quan phối hợp: ..."),
    and the tasks of its "-"/"+" items that carry fields of their own under their first line
    ("- Cập nhật ..." / "Đơn vị chủ trì thực hiện: Sở Tư pháp."): a group each, and the
    indexes of the children read. None when no fields name a lead or the bodies tasked."""
    if paired := _fields_of_items(reader, node):
        return paired
    own = [node.text]
    groups: list[Group] = []
    used: set[int] = set()
    for index, child in enumerate(node.children):
        listed = child.path.rsplit(".", 1)[-1][:1] in "-+"
        first = child.text.split("\n")[0]
        if _FIELD.match(lower_form(first)) or not listed and _FIELD.match(lower_form(child.text)):
            own.append(child.text)  # a field of the node's task
        elif listed and _FIELD.search(lower_form(child.text)):
            if (group := _field_group(reader, [child.text], child.text)) is not None:
                groups.append(group)
                used.add(index)
            continue
        else:
            continue
        if _FIELD.search(lower_form(child.text)):
            used.add(index)
    main = _field_group(reader, own, node.text)
    if main is None and not groups:
        return None
    return ([main] if main is not None else []) + groups, used


def _fields_of_items(reader: UnitReader, node: Section) -> tuple[list[Group], set[int]] | None:
    """A numbered task whose "-" items each have a block of fields under them, which the
    page set after the items' lines and the sections gave to the task itself: its text
    holds one block per item ("Đơn vị chủ trì: ...", "Đơn vị phối hợp: ...", "Thời gian: ..."
    again and again, a block ending where a field comes back). Each item with its block,
    in order, when there are as many blocks as items; None otherwise."""
    items = [(k, c) for k, c in enumerate(node.children) if c.path.rsplit(".", 1)[-1][:1] in "-+"]
    blocks: list[list[str]] = []
    seen: set[str] = set()
    for line in node.text.split("\n")[1:]:
        if not (m := _FIELD.match(lower_form(line))):
            if blocks:
                blocks[-1].append(line)  # a field's value the page broke ("Tháng" / "12/2025.")
            continue
        key = re.sub(r"\s+", " ", m.group(1))
        if not blocks or key in seen:
            blocks.append([])
            seen = set()
        seen.add(key)
        blocks[-1].append(line)
    if len(blocks) < 2 or len(blocks) != len(items):
        return None
    groups = [g for (_, item), block in zip(items, blocks)
              if (g := _field_group(reader, [item.text.split("\n")[0], *block], item.text)) is not None]
    return (groups, {k for k, _ in items}) if groups else None


def _field_group(reader: UnitReader, texts: list[str], anchor: str) -> Group | None:
    """One task's fields in ``texts`` (its first text's first line is the task unless a
    "Nội dung:" field says it); None when they name no lead or bodies tasked."""
    values: dict[str, str] = {}
    for text in texts:
        low = lower_form(text)
        marks = list(_FIELD.finditer(low))
        for k, m in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
            values.setdefault(re.sub(r"\s+", " ", m.group(1)), text[m.end() : end].strip(" ;."))
    # "Cơ quan chủ trì: X" leads, "Cơ quan phối hợp: Y" cooperates, "Cơ quan thực hiện: Z" is tasked.
    roles: dict[Role, str] = {}
    for key, value in values.items():
        if key.startswith(("cơ quan", "đơn vị")):
            role: Role = "lead" if "chủ trì" in key else "cooperate" if "phối hợp" in key else "assigned"
            roles.setdefault(role, value)
    if not roles.keys() - {"cooperate"}:
        return None
    parties = [p for role, value in roles.items() for p in cell_parties(reader, value, role, "plan-field")]
    first = texts[0].split("\n")[0]
    task = values.get("nội dung") or values.get("nội dung công việc") or (first if not _FIELD.match(lower_form(first)) else "")
    when = next((v for k, v in values.items() if k.startswith(("thời", "tiến"))), None)
    return Group(parties, [task], deadline_text=when, anchor=anchor)


