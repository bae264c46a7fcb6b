"""The signer's name is read even when a seal and a signature cover the space above it.

Tesseract's page segmentation takes a seal and a signature for a picture and drops the
name printed under them; the OCR stage reads that strip again (services/ocr/signature.py).
The page is the real form (examples/form.py) scanned with a seal over the title and the
name, as seals often land (examples/scan.py).
"""

from __future__ import annotations

import dataclasses

import pytest

from examples.form import render_form
from examples.render import example_texts, form_from_text
from examples.scan import Artefacts, images_pdf, scan_form
from services.ocr.pipeline import extract
from services.ocr.signature import looks_like_name
from services.parse.parser import parse_directive
from vanthu.settings import get_settings

SIGNER = "Chu Thị Hồng Loan"  # sample 002's signer


@pytest.mark.parametrize("mode", ["grey", "colour"])
def test_the_name_under_a_seal_is_read(mode):
    # GIVEN the last page of a directive scanned at 200 dpi with a red seal and a blue
    # signature over its signature block
    drawn = render_form(form_from_text(example_texts()["002_d2642929b84c508e"]))
    page = scan_form(drawn, Artefacts(seal="over", stamp=None, mode=mode), dpi=200, seed=3, pages=[-1])
    # WHEN it goes through the OCR stage and the parser
    text = extract(images_pdf(page, dpi=200), get_settings().ocr).text
    # THEN the signer is named as printed
    assert parse_directive(text).signer.name == SIGNER


def test_a_title_and_name_under_a_seal_are_read_without_an_authority_line():
    # GIVEN a directive signed by the chairman in his own right ("CHỦ TỊCH", no "TM."/"KT."
    # line above it), scanned in colour with the red seal over the title and the name:
    # the page reading loses the whole signature block
    form = form_from_text(example_texts()["002_d2642929b84c508e"])
    form = dataclasses.replace(form, authority=[], title="CHỦ TỊCH")
    page = scan_form(render_form(form), Artefacts(seal="over", stamp=None, mode="colour"), dpi=200, seed=3,
                     pages=[-1])
    # WHEN it goes through the OCR stage and the parser
    signer = parse_directive(extract(images_pdf(page, dpi=200), get_settings().ocr).text).signer
    # THEN the signer is named, with the title
    assert (signer.title, signer.name) == ("CHỦ TỊCH", SIGNER)


@pytest.mark.parametrize(("text", "name"), [
    ("Chu Thị Hồng Loan", True),
    ("Nguyễn Văn An", True),
    ("Hồng Loan", False),  # cut by a stroke: too short to be taken from a noisy strip
    ("PHÓ CHÁNH VĂN PHÒNG", False),
    ("Chu TRÍ Hồng Loan", False),
    ("Chu Thị 3ồng Loan", False),
])
def test_only_a_whole_name_is_taken(text, name):
    assert looks_like_name(text) is name
