"""What the desk says to people, in Vietnamese: stages, roles, and failures in words a clerk
understands (what happened and what to do), not the pipeline's reason codes."""

from __future__ import annotations

from vanthu.errors import FailureReason

STAGE = {
    "received": "Đã tiếp nhận",
    "text": "Đã đọc chữ",
    "parsed": "Đã phân tích",
    "notified": "Đã gửi thông báo",
    "delivered": "Đơn vị đã nhận",
    "failed": "Lỗi",
    "duplicate": "Trùng",
}
OUTCOME = {"done": "Xong", "failed": "Lỗi", "remaining": "Đang xử lý"}
# Where a file not yet done is, in the clerk's words. A bulk-lane file not yet read waits
# behind every ordinary document (the OCR stage reads the bulk lane only when it is empty).
_WAITING = {"received": "Đang chờ đọc chữ", "text": "Đang phân tích văn bản", "parsed": "Đang gửi thông báo"}
_WAITING_BULK = "Đang chờ trong hàng lưu trữ (được đọc khi không còn văn bản thường)"
ROLE = {"lead": "Chủ trì", "cooperate": "Phối hợp", "assigned": "Thực hiện"}
FIELD = {"issuer": "Cơ quan ban hành", "number": "Số, ký hiệu", "doc_type": "Loại văn bản", "place": "Nơi ban hành",
         "date": "Ngày ban hành", "subject": "Trích yếu"}

_RESUBMIT = "Hãy quét lại hoặc nộp lại tệp."
FAILURE = {
    FailureReason.INVALID_EVENT: "Hệ thống nhận được một thông điệp hỏng. Hãy báo quản trị viên.",
    FailureReason.OBJECT_MISSING: "Không tìm thấy tệp đã nộp trong kho lưu trữ. " + _RESUBMIT,
    FailureReason.EMPTY_FILE: "Tệp rỗng, không có nội dung. " + _RESUBMIT,
    FailureReason.UNSUPPORTED_FORMAT: "Không đọc được loại tệp này. Hãy in ra PDF (hoặc quét bản giấy đã ký) "
                                      "rồi nộp tệp PDF.",
    FailureReason.CORRUPT_FILE: "Tệp bị hỏng, không mở được. " + _RESUBMIT,
    FailureReason.ENCRYPTED: "Tệp PDF có mật khẩu. Hãy nộp bản không đặt mật khẩu.",
    FailureReason.NO_PAGES: "Tệp không có trang nào. " + _RESUBMIT,
    FailureReason.TOO_MANY_PAGES: "Tệp có quá nhiều trang. Hãy tách văn bản và phụ lục thành các tệp nhỏ hơn.",
    FailureReason.TOO_LARGE: "Tệp quá lớn. Hãy quét ở độ phân giải thấp hơn (200-300 dpi).",
    FailureReason.IMAGE_TOO_LARGE: "Ảnh quá lớn. Hãy quét ở độ phân giải thấp hơn (200-300 dpi).",
    FailureReason.OCR_FAILED: "Không nhận dạng được chữ trên các trang. Hãy quét lại rõ hơn, thẳng trang.",
    FailureReason.NO_TEXT: "Không tìm thấy chữ nào trong văn bản (trang trắng hoặc ảnh quá mờ). " + _RESUBMIT,
    FailureReason.ARTIFACT_MISSING: "Mất kết quả đọc chữ của văn bản. Hãy báo quản trị viên.",
    FailureReason.ARTIFACT_INVALID: "Kết quả đọc chữ của văn bản bị hỏng. Hãy báo quản trị viên.",
    FailureReason.INVALID_REFERENCE: "Thông điệp trỏ tới một tệp không hợp lệ và đã bị từ chối. Hãy báo quản trị viên.",
    FailureReason.DUPLICATE: "Văn bản này đã được nộp trước đó (cùng nội dung); không xử lý lại.",
    FailureReason.DELIVERY_REFUSED: "Kênh nhận của đơn vị từ chối thông báo. Hãy báo quản trị viên kiểm tra "
                                    "địa chỉ nhận của đơn vị.",
}


def waiting(stage: str, bulk: bool) -> str:
    """Where a file of a batch that is not done yet stands: still being read, or waiting in the bulk lane."""
    return _WAITING_BULK if bulk and stage == "received" else _WAITING.get(stage, _WAITING["received"])


def failure(reason: str | None) -> str:
    """The clerk's words for a failure reason code (unknown codes: a generic sentence)."""
    try:
        return FAILURE[FailureReason(reason)]
    except ValueError:
        return "Xử lý văn bản không thành công. Hãy báo quản trị viên."
