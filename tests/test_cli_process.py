"""`vanthu process`: what a person tries first, with no Kafka or MinIO running."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from examples.render import EXAMPLES, text_pdf
from vanthu.cli import app

runner = CliRunner()
SAMPLE = EXAMPLES / "002_d2642929b84c508e.txt"


def test_process_prints_the_directive_and_who_must_do_what():
    # GIVEN a directive as text WHEN processed THEN the clerk sees its header, leads and a summary
    result = runner.invoke(app, ["process", str(SAMPLE)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "UBND tỉnh Nam Định" in result.output and "…/9/2021" in result.output
    assert any("Sở Y tế" in line and "chủ trì" in line for line in result.output.splitlines())
    assert "notices for" in result.output


def test_process_json_of_a_pdf_gives_notices_with_idempotency_keys(tmp_path):
    # GIVEN the same directive as a text-layer PDF
    pdf = tmp_path / "thông báo.pdf"
    pdf.write_bytes(text_pdf(SAMPLE.read_text(encoding="utf-8")))
    # WHEN processed with --json
    result = runner.invoke(app, ["process", "--json", str(pdf)])
    # THEN machines get the directive and one notice per unit and assignment
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.stdout)
    assert doc["directive"]["doc_type"] == "Thông báo"
    keys = [n["idempotency_key"] for n in doc["assignments"]]
    assert len(keys) == len(set(keys)) > 10 and all(k.startswith(doc["document_id"]) for k in keys)


def test_process_reports_a_file_that_is_no_document(tmp_path):
    # GIVEN a ZIP archive named like a PDF WHEN processed THEN a typed, readable error and exit code 2
    fake = tmp_path / "công văn.pdf"
    fake.write_bytes(b"PK\x03\x04" + bytes(100))
    result = runner.invoke(app, ["process", str(fake)])
    assert result.exit_code == 2
    assert "unsupported-format" in result.output
