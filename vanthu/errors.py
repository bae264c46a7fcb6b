"""Typed failures shared by every stage.

A :class:`DocumentError` is *permanent*: the input itself cannot be processed, so
retrying is pointless and the stage publishes a ``vanthu.failed`` event at once.
Any other exception is treated as *transient* (storage or Kafka unavailable) and the
message is redelivered.
"""

from __future__ import annotations

from enum import StrEnum


class FailureReason(StrEnum):
    """Machine-readable reasons carried by ``vanthu.failed`` events."""

    INVALID_EVENT = "invalid-event"
    OBJECT_MISSING = "object-missing"
    EMPTY_FILE = "empty-file"
    UNSUPPORTED_FORMAT = "unsupported-format"
    CORRUPT_FILE = "corrupt-file"
    ENCRYPTED = "encrypted"
    NO_PAGES = "no-pages"
    TOO_MANY_PAGES = "too-many-pages"
    TOO_LARGE = "too-large"
    IMAGE_TOO_LARGE = "image-too-large"
    OCR_FAILED = "ocr-failed"
    NO_TEXT = "no-text"
    ARTIFACT_MISSING = "artifact-missing"
    ARTIFACT_INVALID = "artifact-invalid"
    INVALID_REFERENCE = "invalid-reference"
    DUPLICATE = "duplicate"
    DELIVERY_REFUSED = "delivery-refused"


class DocumentError(Exception):
    """A permanent failure of one document at one stage."""

    def __init__(self, reason: FailureReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
