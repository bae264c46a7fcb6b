"""Secret documents for the security tests, written on the forms of Decree 30/2020/NĐ-CP
(state) and Guideline 36-HD/VPTW (Party), with the secrecy stamp where each form puts it
and as a PDF text layer or OCR flattens it: alone on a line, beside the number after a
wide gap, in a drawn box, damaged or partly covered.

They are made up for the tests (no real secret document is, or may be, in this
repository); their units are in the packaged directory. ``LEAKS`` are phrases of each
document's body: none may appear in anything that leaves the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecretDocument:
    name: str
    text: str
    level: str
    doubt: bool
    leaks: tuple[str, ...]  # phrases of the body (subject, tasks) that must not leave


_STATE_BODY = """KẾ HOẠCH
Bảo đảm an ninh, trật tự các mục tiêu trọng điểm dịp Tết Nguyên đán Giáp Thìn

Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, để bảo đảm an ninh, trật tự trên địa bàn, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

1. Sở Y tế chủ trì, phối hợp với Sở Tài chính bố trí kíp trực cấp cứu tại khu vực cầu Tân Đệ và kho xăng dầu K135, hoàn thành trước ngày 25/01/2024.

2. Sở Giáo dục và Đào tạo thực hiện rà soát phương án sơ tán học sinh các trường ven đê sông Hồng, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/01/2024.

Nơi nhận:
- Sở Y tế;
- Sở Tài chính;
- Sở Giáo dục và Đào tạo;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Phạm Đình Nghị
"""

_STATE_LEAKS = ("cầu Tân Đệ", "kho xăng dầu K135", "sơ tán học sinh", "Tết Nguyên đán Giáp Thìn")

_PARTY_BODY = """CÔNG VĂN
Về việc chuẩn bị nhân sự Đại hội Đảng bộ tỉnh

Kính gửi: - Sở Nội vụ,
- Sở Y tế.

Ban Thường vụ Tỉnh ủy yêu cầu:

1. Sở Nội vụ chủ trì rà soát hồ sơ nhân sự dự kiến giới thiệu ứng cử Ban Chấp hành khóa mới, gửi Ban Tổ chức Tỉnh ủy trước ngày 15/5/2024.

2. Sở Y tế phối hợp tổ chức khám sức khỏe cho các đồng chí trong danh sách quy hoạch, bảo đảm giữ kín kết quả.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC

Lê Quốc Chỉnh
"""

_PARTY_LEAKS = ("hồ sơ nhân sự dự kiến giới thiệu", "danh sách quy hoạch", "chuẩn bị nhân sự Đại hội")

SECRET_DOCUMENTS = [
    SecretDocument("state form, MẬT on its own line under the date", """ỦY BAN NHÂN DÂN
TỈNH NAM ĐỊNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/KH-UBND
Nam Định, ngày 12 tháng 01 năm 2024
MẬT
""" + _STATE_BODY, "Mật", False, _STATE_LEAKS),
    SecretDocument("state form flattened, boxed TUYỆT MẬT after the number", """ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH NAM ĐỊNH    Độc lập - Tự do - Hạnh phúc
Số: 46/KH-UBND    | TUYỆT MẬT |    Nam Định, ngày 12 tháng 01 năm 2024
""" + _STATE_BODY, "Tuyệt mật", False, _STATE_LEAKS),
    SecretDocument("Party form, TỐI MẬT stamp beside the number", """ĐẢNG BỘ TỈNH NAM ĐỊNH    ĐẢNG CỘNG SẢN VIỆT NAM
TỈNH ỦY
*
Số 88-CV/TU    TỐI MẬT    Nam Định, ngày 05 tháng 4 năm 2024
""" + _PARTY_BODY, "Tối mật", False, _PARTY_LEAKS),
    SecretDocument("Party form, OCR-damaged stamp (tones lost)", """ĐẢNG BỘ TỈNH NAM ĐỊNH
TỈNH ỦY
*
Số 89-CV/TU
TOI MAT
ĐẢNG CỘNG SẢN VIỆT NAM
Nam Định, ngày 06 tháng 4 năm 2024
""" + _PARTY_BODY, "Tối mật", True, _PARTY_LEAKS),
    SecretDocument("state form, stamp partly covered by the received stamp", """ỦY BAN NHÂN DÂN
TỈNH NAM ĐỊNH
Số: 47/KH-UBND
[UYỆT MẬT]
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Nam Định, ngày 13 tháng 01 năm 2024
""" + _STATE_BODY, "Tuyệt mật", True, _STATE_LEAKS),
]

OPEN_DOCUMENT = """ỦY BAN NHÂN DÂN
TỈNH NAM ĐỊNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 48/KH-UBND
Nam Định, ngày 14 tháng 01 năm 2024
KẾ HOẠCH
Giải phóng mặt bằng và bảo mật thông tin dự án đường ven biển

1. Sở Y tế chủ trì, phối hợp với Sở Tài chính kiểm tra an toàn thực phẩm tại các bếp ăn công trường, hoàn thành trước ngày 25/02/2024.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Phạm Đình Nghị
"""
"""An open plan whose title holds "MẶT BẰNG" and "BẢO MẬT": not a secrecy mark."""
