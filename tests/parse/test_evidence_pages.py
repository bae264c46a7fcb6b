"""An assignment's evidence names the page it was read on, in a document of several pages."""

from __future__ import annotations

from services.parse.parser import parse_directive
from vanthu.events import PageText, TextArtifact

PAGE_1 = """ỦY BAN NHÂN DÂN
TỈNH HÀ TĨNH
Số: 12/TB-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Tĩnh, ngày 3 tháng 5 năm 2025
THÔNG BÁO
Kết luận của Chủ tịch UBND tỉnh về phòng, chống thiên tai
1. Sở Y tế chủ trì, phối hợp với Sở Tài chính chuẩn bị thuốc men, báo cáo trước ngày 30/5/2025."""
PAGE_3 = """2. Giao Công an tỉnh bảo đảm an ninh trật tự tại các khu sơ tán.
Nơi nhận:
- Như trên;
- Lưu: VT.
TL. CHỦ TỊCH
CHÁNH VĂN PHÒNG
Nguyễn Văn An"""


def test_evidence_names_the_page_of_each_assignment(directory):
    # GIVEN a three-page artifact whose second page is blank (a scan's back page)
    artifact = TextArtifact(document_id="a" * 64, media_type="application/pdf", pages=[
        PageText(number=1, text=PAGE_1, source="ocr"),
        PageText(number=2, text="", source="ocr"),
        PageText(number=3, text=PAGE_3, source="ocr"),
    ])
    # WHEN its text is parsed
    directive = parse_directive(artifact.text, directory)
    # THEN each assignment's evidence points at the page it is printed on
    pages = {(a.unit_text, a.role): a.evidence[0].page for a in directive.assignments}
    assert pages[("Sở Y tế", "lead")] == 1
    assert pages[("Sở Tài chính", "cooperate")] == 1
    assert pages[("Công an tỉnh", "assigned")] == 3
