"""The e-mail channel against an aiosmtpd sink on loopback."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default

import pytest

from services.notify.channels import MailSender, PermanentDeliveryError, TransientDeliveryError
from services.notify.channels.email import body, message_id, subject
from services.notify.channels.headers import IDEMPOTENCY_HEADER
from vanthu.events import DocumentSummary

ADDRESS = "vanthu.soyte@namdinh.example"


def received(envelope) -> EmailMessage:
    return email.message_from_bytes(envelope.content, policy=default)


async def test_message_arrives_readable_and_recognisable(smtp_sink, options, sleep, notice):
    # GIVEN an SMTP server that accepts mail
    sender = MailSender(options, sleep=sleep)
    # WHEN the notice is sent
    await sender.send(notice, ADDRESS)
    # THEN one message reached the unit's address from the configured sender
    [envelope] = smtp_sink.envelopes
    assert envelope.rcpt_tos == [ADDRESS]
    assert envelope.mail_from == options.smtp_from
    message = received(envelope)
    assert message["To"].addresses[0].addr_spec == ADDRESS
    assert message["To"].addresses[0].display_name == "Sở Y tế"
    # AND its Vietnamese subject and body survived the trip intact
    assert message["Subject"] == "[vanthu] Thông báo 12/TB-UBND — chủ trì: Chủ trì, phối hợp với các đơn vị…"
    assert message.get_content_charset() == "utf-8"
    text = message.get_content()
    assert "Văn bản / Document: Thông báo 12/TB-UBND ngày 05/03/2025 của UBND tỉnh Nam Định" in text
    assert "Thời hạn / Deadline: 31/03/2025 (trước ngày 31/3/2025)" in text
    assert "Định kỳ / Recurrence: hằng tháng" in text
    assert notice.original_url in text and notice.text_url in text
    assert " ".join(text.split()).count("báo cáo kết quả về UBND tỉnh.") == 1
    # AND it carries the idempotency key, and a Message-ID derived from it
    assert message[IDEMPOTENCY_HEADER] == notice.idempotency_key
    assert message["Message-ID"] == message_id(notice.idempotency_key, "localhost")
    assert sleep.delays == []


async def test_repeated_send_is_recognisable_as_the_same_message(smtp_sink, options, sleep, notice):
    # GIVEN a notice already sent once
    sender = MailSender(options, sleep=sleep)
    await sender.send(notice, ADDRESS)
    # WHEN it is sent again (a redelivered directive)
    await sender.send(notice.model_copy(), ADDRESS)
    # THEN both messages have the same Message-ID and idempotency key
    first, second = (received(e) for e in smtp_sink.envelopes)
    assert first["Message-ID"] == second["Message-ID"]
    assert first[IDEMPOTENCY_HEADER] == second[IDEMPOTENCY_HEADER]


async def test_server_down_gives_transient_error_after_retries(options, sleep, notice, unused_port):
    # GIVEN no SMTP server at the configured port
    options.smtp_port = unused_port
    # WHEN the notice is sent
    with pytest.raises(TransientDeliveryError) as caught:
        await MailSender(options, sleep=sleep).send(notice, ADDRESS)
    # THEN every attempt was made, on the backoff schedule
    assert (caught.value.channel, caught.value.attempts) == ("email", 5)
    assert sleep.delays == [1.0, 2.0, 4.0, 4.0]


async def test_refused_recipient_gives_permanent_error_at_once(smtp_sink, options, sleep, notice):
    # GIVEN a server that refuses the recipient with 550
    # WHEN the notice is sent
    with pytest.raises(PermanentDeliveryError) as caught:
        await MailSender(options, sleep=sleep).send(notice, "unknown@namdinh.example")
    # THEN it failed on the first attempt, saying why, and nothing was delivered
    assert (caught.value.channel, caught.value.attempts) == ("email", 1)
    assert "550" in caught.value.message
    assert sleep.delays == []
    assert smtp_sink.envelopes == []


async def test_temporarily_refused_recipient_is_retried(smtp_sink, options, sleep, notice):
    # GIVEN a server that answers 450 for the recipient
    # WHEN the notice is sent
    with pytest.raises(TransientDeliveryError) as caught:
        await MailSender(options, sleep=sleep).send(notice, "busy@namdinh.example")
    # THEN it was retried until attempts ran out
    assert caught.value.attempts == 5
    assert "450" in caught.value.message


@pytest.mark.parametrize("address", ["", "soyte", "soyte@", "@namdinh.example", "a@b, c@d",
                                     "soyte@namdinh.example\r\nBcc: x@y"])
async def test_invalid_address_fails_before_connecting(options, sleep, notice, address, unused_port):
    # GIVEN an invalid address (and no server: connecting would be a transient error)
    options.smtp_port = unused_port
    # WHEN the notice is sent THEN it fails permanently with no attempt
    with pytest.raises(PermanentDeliveryError) as caught:
        await MailSender(options, sleep=sleep).send(notice, address)
    assert caught.value.attempts == 0


def test_invalid_sender_address_is_a_configuration_error(options):
    # GIVEN smtp_from that is not an address WHEN a sender is made THEN it refuses at once
    options.smtp_from = "Văn thư"
    with pytest.raises(ValueError, match="invalid e-mail address"):
        MailSender(options)


def test_facts_the_parser_did_not_find_are_left_out(notice):
    # GIVEN a notice with no document number, date, issuer, deadline date, recurrence or links
    bare = notice.model_copy(update={
        "document": DocumentSummary(doc_type="Công văn"), "deadline": None, "recurrence": None,
        "original_url": None, "text_url": None, "section": None, "role": "cooperate",
    })
    # WHEN the message is written
    text = body(bare)
    # THEN only known facts appear; the printed deadline stands alone
    assert "Văn bản / Document: Công văn\n" in text
    assert "Thời hạn / Deadline: trước ngày 31/3/2025\n" in text
    for label in ("Trích yếu", "Mục", "Định kỳ", "Bản gốc", "trích xuất", "None"):
        assert label not in text
    assert subject(bare).startswith("[vanthu] Công văn — phối hợp: ")


async def test_a_reminder_arrives_naming_the_document_and_the_deadline_not_the_task(smtp_sink, options, sleep,
                                                                                     notice, reminder):
    # GIVEN a task due in two days WHEN its reminder is mailed to the unit
    await MailSender(options, sleep=sleep).send(reminder, ADDRESS)
    [envelope] = smtp_sink.envelopes
    message = received(envelope)
    # THEN the subject says it is a reminder, of which document, due when
    assert message["Subject"] == "[vanthu] Nhắc việc: Thông báo 12/TB-UBND — hạn 31/03/2025 (còn 2 ngày)"
    text = " ".join(message.get_content().split())
    assert "Thông báo 12/TB-UBND ngày 05/03/2025 của UBND tỉnh Nam Định" in text and "31/03/2025" in text
    # AND it points to the notice by its key, without repeating the task or anything the notice had besides
    assert reminder.notice_key in text
    assert notice.task[:30] not in text and notice.document.subject not in text and notice.original_url not in text
    # AND it is recognisable as one reminder, distinct from the notice's own message
    assert message[IDEMPOTENCY_HEADER] == reminder.idempotency_key
    assert message["Message-ID"] == message_id(reminder.idempotency_key, "localhost")
    assert message["Message-ID"] != message_id(notice.idempotency_key, "localhost")
