"""Recognising a secrecy mark ("MẬT", "TỐI MẬT", "TUYỆT MẬT") in a header, sound or damaged,
without taking the same letters in a title or a unit's name for one."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from services.notify.secrecy import Secrecy, assess, find_mark
from services.parse.parser import parse_directive
from tests.security.documents import OPEN_DOCUMENT, SECRET_DOCUMENTS
from vanthu.directory import UnitDirectory

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.mark.parametrize("document", SECRET_DOCUMENTS, ids=lambda d: d.name)
def test_a_secret_document_is_recognised_with_its_level(document):
    # GIVEN a secret document on a state or Party form WHEN its directive is parsed and assessed
    secrecy = assess(parse_directive(document.text, UnitDirectory.load()), document.text)
    # THEN it is secret, at its level, and in doubt exactly when the stamp is damaged
    assert secrecy.secret
    assert (secrecy.level, secrecy.doubt) == (document.level, document.doubt)


@pytest.mark.parametrize(("header", "level"), [
    ("MẬT", "Mật"),
    (unicodedata.normalize("NFD", "MẬT"), "Mật"),  # decomposed, as some PDF text layers give it
    ("Số: 12/QĐ-UBND      TỐI MẬT", "Tối mật"),
    ("| TUYỆT MẬT |", "Tuyệt mật"),
    ("**TỐI MẬT**", "Tối mật"),
])
def test_a_sound_stamp_is_certain(header, level):
    assert find_mark(f"ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\n{header}\nQUYẾT ĐỊNH") == Secrecy(level, doubt=False)


@pytest.mark.parametrize(("header", "level"), [
    ("MAT", "Mật"),  # tones lost
    ("MÂT", "Mật"),
    ("TÓI MẶT", "Tối mật"),  # wrong tones
    ("TỐIMẬT", "Tối mật"),  # words run together
    ("TỐI MẬ", "Tối mật"),  # last letter covered
    ("UYỆT MẬT", "Tuyệt mật"),  # first letter covered
])
def test_a_damaged_stamp_is_secret_in_doubt(header, level):
    secrecy = find_mark(f"ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: 12/QĐ-UBND\n{header}")
    assert secrecy.secret and secrecy.doubt and secrecy.level == level


@pytest.mark.parametrize("header", [
    "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM",
    "CỤC BẢO VỆ BÍ MẬT NHÀ NƯỚC",
    "BAN CƠ YẾU CHÍNH PHỦ    CỤC QUẢN LÝ MẬT MÃ DÂN SỰ",
    "VỀ VIỆC GIẢI PHÓNG MẶT BẰNG",
    "CHỈ THỊ",
    "HỎA TỐC",
    "Mật",  # a word of a sentence, not the stamp
])
def test_the_same_letters_in_a_name_or_title_are_not_a_mark(header):
    assert not find_mark(f"ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\n{header}\nSố: 12/QĐ-UBND").secret


def test_an_open_document_with_secrecy_words_in_its_title_is_open():
    assert not assess(parse_directive(OPEN_DOCUMENT, UnitDirectory.load()), OPEN_DOCUMENT).secret


def test_a_mark_in_the_body_is_not_the_documents_mark():
    # GIVEN an open document whose body, far below the header, quotes a mark
    text = OPEN_DOCUMENT + "\n".join(f"{i}. Nội dung thứ {i}." for i in range(1, 30)) + "\nTỐI MẬT\n"
    # THEN the document is not taken for a secret one
    assert not find_mark(text).secret


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the development corpus is not at {CORPUS}")
def test_no_open_document_of_the_corpus_is_taken_for_secret():
    # GIVEN every real document of the corpus (none of them carries a secrecy mark)
    texts = sorted(CORPUS.rglob("*.txt"))
    assert len(texts) > 100
    # THEN none is recognised as secret
    assert [t.name for t in texts if find_mark(t.read_text(encoding="utf-8")).secret] == []
