"""`vanthu summary`: what the demo prints of `vanthu watch --json`, one short row per unit
(or per units given the same tasks) with its number of tasks and nearest deadline."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from examples.render import EXAMPLES
from services.notify.notices import build_notices
from services.parse.parser import parse_directive
from vanthu.cli import app
from vanthu.directory import UnitDirectory
from vanthu.events import AssignmentNotice, DocumentFailed, DocumentSummary, ObjectRef
from vanthu.settings import Settings

runner = CliRunner()
DOC = "d" * 64
TOPICS = Settings().topics


def notice(unit_id: str | None, unit: str, index: int, *, deadline: dt.date | None = None, task: str = "Báo cáo",
           **fields) -> AssignmentNotice:
    fields.setdefault("idempotency_key", f"{DOC}:{index}:{unit_id}")
    return AssignmentNotice(document_id=DOC, unit_id=unit_id, unit=unit, unit_text=unit, role="lead",
                            section=str(index), task=task, deadline=deadline,
                            document=DocumentSummary(doc_type="Kế hoạch", number="12/KH-UBND"), **fields)


def watched(*messages) -> str:
    """The lines `vanthu watch --json` prints for these messages."""
    def topic(m) -> str:
        if isinstance(m, DocumentFailed):
            return TOPICS.failed
        return TOPICS.assignments if m.unit_id else TOPICS.review
    return "".join(json.dumps({"topic": topic(m), **m.model_dump(mode="json")}, ensure_ascii=False) + "\n"
                   for m in messages)


def summarise(lines: str, *args: str) -> list[str]:
    result = runner.invoke(app, ["summary", *args], input=lines, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def row(output: list[str], unit: str) -> list[str]:
    """The cells of the table row that names ``unit``."""
    [line] = [line for line in output if unit in line and "│" in line]
    return [cell.strip() for cell in line.split("│")[1:-1]]


def test_each_unit_has_its_number_of_tasks_and_its_nearest_deadline():
    # GIVEN three tasks for the health department, two of them with deadlines, and four for the police
    lines = watched(notice("vn:37:so-y-te", "Sở Y tế", 0, deadline=dt.date(2099, 3, 31), task="Lập kế hoạch"),
                    notice("vn:37:so-y-te", "Sở Y tế", 1, deadline=dt.date(2099, 1, 15), task="Tiêm chủng"),
                    notice("vn:37:so-y-te", "Sở Y tế", 2, task="Tuyên truyền"),
                    *(notice("vn:37:cong-an", "Công an tỉnh", i, task=f"Bảo đảm an ninh {i}") for i in range(3, 7)))
    # WHEN summarised
    output = summarise(lines)
    # THEN one row each: the department's three tasks and the earlier deadline; the police's four, no deadline
    assert row(output, "Sở Y tế") == ["Sở Y tế", "3", "15/01/2099"]
    assert row(output, "Công an tỉnh") == ["Công an tỉnh", "4", "none"]
    assert "7 tasks for 2 units from 1 documents" in output
    # AND the unit with the nearest deadline comes first
    first, second = [line for line in output if line.startswith("│")]
    assert "Sở Y tế" in first and "Công an tỉnh" in second


def test_a_deadline_already_past_is_marked_overdue():
    output = summarise(watched(notice("vn:37:so-y-te", "Sở Y tế", 0, deadline=dt.date(2021, 10, 1))))
    assert row(output, "Sở Y tế")[2] == "01/10/2021 overdue"


def test_units_given_the_same_tasks_share_one_row():
    # GIVEN "UBND các xã" reaching 40 communes with the same two tasks, and one commune named alone for a third
    communes = [(f"vn:37:ward:{n}", f"Ủy ban nhân dân xã {n}") for n in reversed(range(100, 140))]  # any order
    same = [notice(uid, name, i, task=task) for uid, name in communes for i, task in enumerate(("Rà soát", "Báo cáo"))]
    alone = notice("vn:37:ward:100", "Ủy ban nhân dân xã 100", 2, task="Kiểm tra")
    # WHEN summarised
    output = summarise(watched(*same, alone))
    # THEN the 39 communes with the very same tasks are one row, the commune with one more task its own
    assert row(output, "39 units") == ["39 units such as Ủy ban nhân dân xã 101", "2 each", "none"]
    assert row(output, "xã 100")[1] == "3"
    assert "81 tasks for 40 units from 1 documents" in output


def test_a_cancelled_or_replaced_notice_and_a_redelivery_are_no_tasks():
    # GIVEN two tasks, the first delivered twice, then a correction that replaces the second
    # (new deadline) and cancels the first
    first, second = notice("vn:37:so-y-te", "Sở Y tế", 0), notice("vn:37:so-y-te", "Sở Y tế", 1)
    replaced = notice("vn:37:so-y-te", "Sở Y tế", 1, deadline=dt.date(2099, 6, 30), revision=1,
                      supersedes=second.idempotency_key, idempotency_key=f"{DOC}:r1:1:vn:37:so-y-te")
    cancelled = notice("vn:37:so-y-te", "Sở Y tế", 0, revision=1, status="cancelled",
                       supersedes=first.idempotency_key, idempotency_key=f"{DOC}:r1:c0:vn:37:so-y-te")
    # WHEN summarised
    output = summarise(watched(first, first, second, replaced, cancelled))
    # THEN the unit has one task, the corrected one, with its new deadline
    assert row(output, "Sở Y tế") == ["Sở Y tế", "1", "30/06/2099"]


def test_review_items_and_failures_are_told_below_the_table():
    # GIVEN a task for a name the directory does not know and a document that failed
    failed = DocumentFailed(document_id="f" * 64, stage="ocr", reason="encrypted", message="the PDF has a password",
                            source=ObjectRef(bucket="incoming", key="demo/khoa.pdf"))
    output = summarise(watched(notice(None, "các đơn vị liên quan", 0), failed))
    text = "\n".join(output)
    assert "1 tasks name a unit the directory does not know" in text
    assert "demo/khoa.pdf" in text and "encrypted" in text
    assert "0 tasks for 0 units from 2 documents" in text


def test_rows_beyond_the_limit_are_counted_not_shown():
    units = [notice(f"vn:37:unit-{n}", f"Đơn vị {n}", n, task=f"Việc {n}") for n in range(10)]
    output = summarise(watched(*units), "--rows", "3")
    assert sum("Đơn vị" in line for line in output) == 3
    assert any("and 7 more rows (7 units)" in line for line in output)


def test_the_examples_summary_is_short():
    # GIVEN the notices of an example directive whose collective names reach hundreds of units
    directory = UnitDirectory.from_settings(Settings(directory={"home": "Ninh Bình"}))
    text = (EXAMPLES / "002_d2642929b84c508e.txt").read_text(encoding="utf-8")
    notices = build_notices(parse_directive(text, directory), DOC, directory)
    units = {n.unit_id for n in notices if n.unit_id}
    assert len(units) > 50
    # WHEN summarised with every row shown THEN the table has far fewer rows than units
    output = summarise(watched(*notices), "--rows", "0")
    table_rows = [line for line in output if line.startswith("│")]
    assert len(table_rows) < len(units) / 3
    assert f"for {len(units)} units" in "\n".join(output)
