"""The e-mail channel: a notice, or a deadline reminder, as a plain-text UTF-8 message to
the unit's address.

The message is written for a person at the unit (labels in Vietnamese with English
glosses). ``Message-ID`` is derived from the notice's idempotency key, and the key
itself travels in ``X-Vanthu-Idempotency-Key``, so a notice sent twice (a retry after
a lost answer, a redelivered directive) is recognisable as the same message; ``Date``
is the notice's time for the same reason.

SMTP goes through aiosmtplib rather than the stdlib ``smtplib`` in a thread: it is
asyncio-native (a slow server costs no thread, cancellation works) and it raises
distinct exceptions for connection failures and for each refused step with its reply
code, which is what deciding transient versus permanent needs.
"""

from __future__ import annotations

import asyncio
import hashlib
import textwrap
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from services.notify.channels.errors import PermanentDeliveryError
from services.notify.channels.headers import IDEMPOTENCY_HEADER
from services.notify.channels.retry import AttemptFailed, Sleep, with_retries
from vanthu.events import AssignmentNotice, DocumentSummary, Reminder, Role
from vanthu.logs import get_logger
from vanthu.settings import ChannelOptions

ROLE_LABELS: dict[Role, str] = {"lead": "chủ trì", "cooperate": "phối hợp", "assigned": "thực hiện"}
_SUBJECT_TASK_WORDS = 8
_WIDTH = 78


class MailSender:
    """Sends notices over SMTP (``smtp_*`` of :class:`~vanthu.settings.ChannelOptions`),
    one connection per message. ``sleep`` waits between attempts (tests pass a fake).

    Raises ValueError at once when ``smtp_from`` is not a bare address (``a@b``).
    """

    def __init__(self, options: ChannelOptions, *, sleep: Sleep = asyncio.sleep) -> None:
        self._options = options
        self._from = _address(options.smtp_from)
        self._sleep = sleep
        self._log = get_logger("notify").bind(channel="email")

    async def send(self, notice: AssignmentNotice | Reminder, address: str) -> None:
        """Deliver ``notice`` (or a reminder) to ``address``; returns once the server accepted the message.

        Raises :class:`~services.notify.channels.errors.PermanentDeliveryError` for an
        invalid address (before connecting), a 5xx reply or a missing STARTTLS, and
        :class:`~services.notify.channels.errors.TransientDeliveryError` when every
        attempt met a 4xx reply, a timeout or no server.
        """
        try:
            recipient = _address(address, display_name=notice.unit)
        except ValueError as exc:
            raise PermanentDeliveryError("email", 0, str(exc)) from exc
        message = compose(notice, sender=self._from, recipient=recipient)

        async def attempt() -> None:
            await self._submit(message, recipient.addr_spec)

        log = self._log.bind(idempotency_key=notice.idempotency_key, to=recipient.addr_spec)
        await with_retries(attempt, self._options.retry, channel="email", log=log, sleep=self._sleep)
        log.info("e-mail delivered")

    async def _submit(self, message: EmailMessage, recipient: str) -> None:
        """One SMTP transaction; raises :class:`AttemptFailed` unless the server took it."""
        o = self._options
        try:
            await aiosmtplib.send(
                message, sender=self._from.addr_spec, recipients=[recipient],
                hostname=o.smtp_host, port=o.smtp_port, start_tls=o.smtp_starttls, timeout=o.timeout_s,
                username=o.smtp_username, password=o.smtp_password.get_secret_value() if o.smtp_password else None,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            # Only one recipient, so its reply is the answer.
            refusal = exc.recipients[0]
            raise AttemptFailed(f"{recipient} refused: {refusal.code} {refusal.message}",
                                retryable=_is_temporary(refusal.code)) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise AttemptFailed(f"SMTP {exc.code} {exc.message}", retryable=_is_temporary(exc.code)) from exc
        except aiosmtplib.SMTPNotSupported as exc:  # e.g. STARTTLS required but not offered
            raise AttemptFailed(f"SMTP server cannot: {exc}", retryable=False) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:  # no server, dropped connection, timeouts
            raise AttemptFailed(f"{type(exc).__name__} at {o.smtp_host}:{o.smtp_port}: {exc}",
                                retryable=True) from exc


def _address(addr_spec: str, display_name: str = "") -> Address:
    """``addr_spec`` as one address, or ValueError (the email package's parser raises
    several kinds of error, and accepts empty parts, so all are checked here)."""
    try:
        address = Address(display_name=display_name, addr_spec=addr_spec)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise ValueError(f"invalid e-mail address {addr_spec!r}: {exc}") from exc
    if not (address.username and address.domain):
        raise ValueError(f"invalid e-mail address {addr_spec!r}")
    return address


def _is_temporary(code: int) -> bool:
    """SMTP 4xx replies are temporary by definition (RFC 5321 §4.2.1); 5xx are not."""
    return 400 <= code < 500


def message_id(idempotency_key: str, domain: str) -> str:
    """A ``Message-ID`` that is the same every time one notice is sent: the key's digest
    (keys may hold characters a message id cannot) at the sender's domain. 128 bits of
    digest keep ids unique while the header fits on one line."""
    return f"<{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}@{domain}>"


def compose(notice: AssignmentNotice | Reminder, *, sender: Address, recipient: Address) -> EmailMessage:
    """The message for one notice or reminder (see the module docstring)."""
    reminder = isinstance(notice, Reminder)
    message = EmailMessage()
    message["Subject"] = reminder_subject(notice) if reminder else subject(notice)
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(notice.at)
    message["Message-ID"] = message_id(notice.idempotency_key, sender.domain)
    message[IDEMPOTENCY_HEADER] = notice.idempotency_key
    # Base64 keeps the message 7-bit clean for relays without 8BITMIME; for Vietnamese,
    # where most letters take two or three bytes, it is shorter than quoted-printable.
    message.set_content(reminder_body(notice) if reminder else body(notice), charset="utf-8", cte="base64")
    return message


def _document_name(notice: AssignmentNotice | Reminder) -> str:
    """'Thông báo 12/TB-UBND', or whichever parts the parser found."""
    doc = notice.document
    return " ".join(part for part in (doc.doc_type or "Văn bản", doc.number) if part)


def _document_line(doc: DocumentSummary, name: str) -> str:
    """'Thông báo 12/TB-UBND ngày 05/03/2025 của UBND tỉnh Nam Định'."""
    if doc.date:
        name += f" ngày {doc.date:%d/%m/%Y}"
    if doc.issuer:
        name += f" của {doc.issuer}"
    return name


def subject(notice: AssignmentNotice) -> str:
    """``[vanthu] Thông báo 12/TB-UBND — chủ trì: <first words of the task>…``."""
    words = notice.task.split()
    task = " ".join(words[:_SUBJECT_TASK_WORDS]) + ("…" if len(words) > _SUBJECT_TASK_WORDS else "")
    return f"[vanthu] {_document_name(notice)} — {ROLE_LABELS[notice.role]}: {task}"


def _deadline(notice: AssignmentNotice) -> str | None:
    """'31/03/2025 (trước ngày 31/3/2025)': the date read, then the words as printed."""
    if not notice.deadline:
        return notice.deadline_text
    printed = f" ({notice.deadline_text})" if notice.deadline_text else ""
    return f"{notice.deadline:%d/%m/%Y}{printed}"


def body(notice: AssignmentNotice) -> str:
    """The plain-text body: whom it is for, the document, the unit's task; lines for
    facts the parser did not find are left out."""
    doc = notice.document
    document = _document_line(doc, _document_name(notice))
    fields = [
        ("Văn bản / Document", document),
        ("Độ mật / Secrecy", notice.secrecy and notice.secrecy.upper()),
        ("Trích yếu / Subject", doc.subject),
        ("Vai trò / Role", f"{ROLE_LABELS[notice.role]} ({notice.role})"),
        ("Mục / Section", notice.section),
        ("Thời hạn / Deadline", _deadline(notice)),
        ("Định kỳ / Recurrence", notice.recurrence),
        ("Bản gốc / Original", notice.original_url),
        ("Văn bản đã trích xuất / Extracted text", notice.text_url),
    ]
    lines = [f"Kính gửi / To: {notice.unit}", ""]
    lines += [f"{label}: {value}" for label, value in fields if value]
    lines += ["", "Nhiệm vụ / Task:", textwrap.fill(" ".join(notice.task.split()), _WIDTH,
                                                     initial_indent="  ", subsequent_indent="  ")]
    lines += ["", "-- ", "Thư gửi tự động từ vanthu; mã thông báo / notice key:", notice.idempotency_key]
    return "\n".join(lines) + "\n"


def _days_left(reminder: Reminder) -> str:
    return "đến hạn hôm nay" if reminder.days_left == 0 else f"còn {reminder.days_left} ngày"


def reminder_subject(reminder: Reminder) -> str:
    """``[vanthu] Nhắc việc: Thông báo 12/TB-UBND — hạn 31/03/2025 (còn 2 ngày)``."""
    return (f"[vanthu] Nhắc việc: {_document_name(reminder)} — hạn {reminder.deadline:%d/%m/%Y} "
            f"({_days_left(reminder)})")


def reminder_body(reminder: Reminder) -> str:
    """The reminder's plain-text body. It names the document and the deadline and points to
    the notice by its key; it does not repeat the task (the reminder event does not carry
    it), so a reminder never says more than the notice it recalls."""
    lines = [
        f"Kính gửi / To: {reminder.unit}",
        "",
        f"Nhắc việc / Reminder: nhiệm vụ giao theo {_document_line(reminder.document, _document_name(reminder))} "
        f"có thời hạn {reminder.deadline:%d/%m/%Y} ({_days_left(reminder)}) và chưa được báo hoàn thành.",
        "",
        "Nội dung nhiệm vụ xem trong thông báo đã gửi, mã / The task is in the notice with key:",
        reminder.notice_key,
        "",
        "-- ",
        "Thư gửi tự động từ vanthu; mã nhắc việc / reminder key:",
        reminder.idempotency_key,
    ]
    return "\n".join(lines) + "\n"
