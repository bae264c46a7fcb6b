"""Channel delivery: ``vanthu.assignments`` and ``vanthu.reminders`` -> each unit's webhook
and e-mail.

Contract of :func:`on_notice`: for a notice (or a deadline reminder, "nhắc việc") whose
unit the directory configures with a webhook and/or an e-mail address, delivers it on
each channel not yet done for it, and records ``delivered/<key>-<channel>`` in the
document's state, so a redelivered message posts and mails nothing twice. A channel that refuses for good (a 4xx
answer, an invalid address) is recorded as ``refused/...``, reported on ``vanthu.failed``
(reason ``delivery-refused``) and not tried again; one that is down makes the notice go
through the retry topic (the channels already delivered are skipped then). A notice that
says its document is secret is sent identity-only whatever else it carries
(:func:`services.notify.secrecy.guard`): the bus is not trusted to have stripped it. A
reminder carries the document's identity and the deadline only, never the task
(:class:`vanthu.events.Reminder`), and only a task whose notice told a deadline gets one
(a secret document's notice tells none).
"""

from __future__ import annotations

import asyncio
import hashlib

from faststream import FastStream
from faststream.kafka.annotations import KafkaMessage

from services.notify.channels.errors import PermanentDeliveryError, TransientDeliveryError
from services.notify.channels.email import MailSender
from services.notify.channels.webhook import WebhookSender, allowed_url
from services.notify.secrecy import guard
from vanthu.delivery import failure_for, make_app, subscribe, subscriber_options, wire_stage
from vanthu.directory import UnitDirectory
from vanthu.errors import DocumentError, FailureReason
from vanthu.events import AssignmentNotice, Reminder
from vanthu.logs import get_logger
from vanthu.settings import Settings, get_settings
from vanthu.state import StateStore
from vanthu.storage import Storage

STAGE = "channels"


def create_app(settings: Settings | None = None, storage: Storage | None = None) -> FastStream:
    settings = settings or get_settings()
    state = StateStore(storage or Storage(settings))
    directory = UnitDirectory.from_settings(settings)
    log = get_logger(STAGE)
    wiring = wire_stage(settings, STAGE, "on_notice", settings.topics.assignments, state)
    webhooks = WebhookSender(settings.channels)
    mail = MailSender(settings.channels)
    for unit in directory.units():  # say at start what would otherwise surface as refusals, one by one
        hook = unit.delivery.webhook
        if hook and not allowed_url(hook.url, settings.channels.webhook_hosts):
            log.warning("webhook host not in channels.webhook_hosts: its notices will be refused", unit_id=unit.id,
                        url=hook.url)

    async def deliver(notice: AssignmentNotice | Reminder) -> None:
        unit = directory.get(notice.unit_id or "")
        if unit is None:
            return
        outgoing = notice if isinstance(notice, Reminder) else guard(notice)
        targets = {"webhook": unit.delivery.webhook, "email": unit.delivery.email}
        notice_step = hashlib.sha1(notice.idempotency_key.encode()).hexdigest()[:20]
        refused, unreachable = [], []
        for channel, target in targets.items():
            done, failed = f"delivered/{notice_step}-{channel}", f"refused/{notice_step}-{channel}"
            if not target or await asyncio.to_thread(state.has, notice.document_id, done) or \
                    await asyncio.to_thread(state.has, notice.document_id, failed):
                continue
            try:
                if channel == "webhook":
                    await webhooks.send(outgoing, target)
                else:
                    await mail.send(outgoing, target)
            except PermanentDeliveryError as exc:
                await asyncio.to_thread(state.record, notice.document_id, failed, unit_id=unit.id, error=exc.message)
                refused.append(f"{channel}: {exc.message}")
                continue
            except TransientDeliveryError as exc:
                unreachable.append(exc)
                continue
            await asyncio.to_thread(state.record, notice.document_id, done, unit_id=unit.id, channel=channel,
                                    key=notice.idempotency_key)
            log.info("delivered", document_id=notice.document_id, unit_id=unit.id, channel=channel)
        if unreachable:
            raise unreachable[0]
        if refused:
            raise DocumentError(FailureReason.DELIVERY_REFUSED, f"{unit.name}: " + "; ".join(refused))

    async def on_notice(notice: AssignmentNotice | Reminder, message: KafkaMessage) -> None:
        """Deliver one notice, or one deadline reminder, on its unit's webhook and e-mail channels."""
        await wiring.runner.run(
            message,
            lambda: deliver(notice),
            failure_for(STAGE, notice.document_id),
            document_id=notice.document_id,
            unit_id=notice.unit_id,
        )

    subscriber = subscribe(wiring, settings, STAGE, on_notice)
    # Reminders take the same way (and the same retry topic: the handler reads either event).
    options = subscriber_options(settings, STAGE)
    wiring.broker.subscriber(settings.topics.reminders, title=settings.topics.reminders,
                             **{**options, "group_id": f"{options['group_id']}.reminders"})(subscriber)
    app = make_app(wiring.broker, STAGE, "Delivers assignment notices and deadline reminders on each unit's "
                   "webhook and e-mail.")
    app.on_shutdown(webhooks.aclose)
    return app


app = create_app()
