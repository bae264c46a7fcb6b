"""The delivery contract every stage's Kafka app shares.

- Producers wait for all in-sync replicas and are idempotent (``acks=all``,
  ``enable_idempotence``), so a retried send is not written twice.
- Consumers commit an offset only after the handler returned, i.e. after the stage's
  artifact is written and its events are published (``AckPolicy.NACK_ON_ERROR``:
  FastStream's default would commit on receipt). An exception rewinds the partition to
  the failed message, so it is redelivered rather than skipped.
- A message that is not a valid event is poison: retrying cannot help, so it becomes a
  ``vanthu.failed`` event (reason ``invalid-event``) and is committed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from collections.abc import Awaitable, Callable
from typing import Any

from faststream import BaseMiddleware, FastStream
from faststream.specification import AsyncAPI
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy
from pydantic import ValidationError

from vanthu.errors import DocumentError, FailureReason
from vanthu.events import DocumentFailed, Stage
from vanthu.logs import get_logger
from vanthu.settings import Settings

ACK_POLICY = AckPolicy.NACK_ON_ERROR
TRANSIENT_BACKOFF_S = (1, 2, 5, 10, 30)


@dataclass
class StageWiring:
    """What every stage's app is built from: its broker, and the runner of its steps."""

    broker: KafkaBroker
    runner: StepRunner


def wire_stage(settings: Settings, stage: Stage, handler: str) -> StageWiring:
    """A broker with the delivery contract for ``stage``, whose subscriber is ``handler``,
    with the ``vanthu.failed`` publisher that its runner and invalid-event guard report to."""

    async def report(event: DocumentFailed) -> None:
        await failed.publish(event, key=(event.document_id or "").encode() or None)

    broker = KafkaBroker(
        settings.kafka_bootstrap,
        acks="all",
        enable_idempotence=True,
        client_id=f"vanthu-{stage}",
        middlewares=[invalid_event_guard(stage, {handler}, report)],
        logger=logging.getLogger(f"vanthu.{stage}.kafka"),
    )
    failed = broker.publisher(settings.topics.failed, schema=DocumentFailed, title="vanthu.failed")
    return StageWiring(broker, StepRunner(stage, report))


def make_app(broker: KafkaBroker, stage: Stage, description: str) -> FastStream:
    """The stage's FastStream app; its AsyncAPI document is generated from it."""
    from importlib.metadata import version

    return FastStream(broker, specification=AsyncAPI(
        title=f"vanthu {stage} service", version=version("vanthu"), description=description,
    ))


def subscriber_options(settings: Settings, stage: Stage) -> dict[str, Any]:
    """Consumer settings shared by the stages' subscribers."""
    return {
        "group_id": settings.group(stage),
        "ack_policy": ACK_POLICY,
        "auto_offset_reset": "earliest",
        # OCR of a 200-page scan takes minutes; the group must not evict the worker meanwhile.
        "max_poll_interval_ms": 30 * 60 * 1000,
        "max_records": 1,
    }


def invalid_event_guard(
    stage: Stage, handlers: set[str], report: Callable[[DocumentFailed], Awaitable[None]]
) -> type[BaseMiddleware]:
    """A middleware that turns an undecodable message for ``handlers`` into a failed event.

    Only the validation of a handler's *arguments* counts (pydantic names that error
    after the handler); a validation error raised inside a handler is a bug and is
    left to propagate.
    """
    log = get_logger(stage)

    class InvalidEventGuard(BaseMiddleware):
        async def consume_scope(self, call_next: Callable[[Any], Awaitable[Any]], msg: Any) -> Any:
            try:
                return await call_next(msg)
            except ValidationError as exc:
                if exc.title not in handlers:
                    raise
                raw = getattr(msg, "body", b"")
                log.warning("invalid event", topic=getattr(msg.raw_message, "topic", None),
                            offset=getattr(msg.raw_message, "offset", None), errors=exc.error_count())
                await report(DocumentFailed(
                    stage=stage,
                    reason=FailureReason.INVALID_EVENT,
                    message=f"not a valid event ({exc.error_count()} errors): {bytes(raw)[:200]!r}",
                ))
                return None

    return InvalidEventGuard


class StepRunner:
    """Runs one stage's work on one message and sorts its failures.

    - ``DocumentError`` (bad input): logged and reported as ``DocumentFailed`` built by
      ``failure``; the message is then committed.
    - Anything else (storage, Kafka): logged, then re-raised after a growing pause, so
      the subscriber rewinds and the message is redelivered instead of spinning.
    """

    def __init__(self, stage: Stage, report: Callable[[DocumentFailed], Awaitable[None]]) -> None:
        self.log = get_logger(stage)
        self.report = report
        self.attempts = 0

    async def run(
        self,
        work: Callable[[], Awaitable[None]],
        failure: Callable[[DocumentError], DocumentFailed],
        **context: Any,
    ) -> None:
        try:
            await work()
        except DocumentError as exc:
            event = failure(exc)
            self.log.warning("document failed", **{"document_id": event.document_id, **context},
                             reason=str(exc.reason), error=exc.message)
            await self.report(event)
        except Exception:
            self.log.exception("transient failure, will retry", attempt=self.attempts + 1, **context)
            await asyncio.sleep(TRANSIENT_BACKOFF_S[min(self.attempts, len(TRANSIENT_BACKOFF_S) - 1)])
            self.attempts += 1
            raise
        self.attempts = 0
