"""The delivery contract every stage's Kafka app shares.

- Producers wait for all in-sync replicas and are idempotent (``acks=all``,
  ``enable_idempotence``), so a retried send is not written twice.
- Consumers commit an offset only after the handler returned, i.e. after the stage's
  side effects are done and its events acknowledged by Kafka (``AckPolicy.NACK_ON_ERROR``:
  FastStream's default would commit on receipt). An exception rewinds the partition to
  the failed message, so it is redelivered, never skipped by a later commit.
- Bad input (:class:`DocumentError`) becomes one ``vanthu.failed`` event at once.
- A message that is not a valid event is poison: a ``vanthu.failed`` event with
  reason ``invalid-event``, then committed.
- A transient failure (storage or Kafka down, a webhook's 5xx) sends the message to the
  stage's retry topic with its attempt count and a not-before time; the same handler
  consumes that topic. After ``RetryOptions.max_attempts`` the message goes to
  ``vanthu.dlq`` with the error, for ``vanthu dlq replay`` after a fix.
- A record of an effect already made (the notify stage's "notified" after the notices went
  out) waits out a brief outage of the state store (:func:`record_made`): failing it would
  send the message to the retry topic and make the effect again.
- A stage that reads several messages at once (``batch`` in :func:`subscribe`) gets them
  as one batch, committed when its handler returned for all of them (the notify stage),
  or hands each message to an :class:`InFlight` window (``in_flight``, the OCR stage): up
  to its size are worked on at once, a finished one makes room for the next at once (the
  next batch is fetched while the last of the one before is still at work), and each
  partition is committed up to its earliest message not yet done, never past it. Either
  takes each message apart (:func:`batch_items`) and refuses poison ones one by one
  (:meth:`StepRunner.refuse`), so that one bad message never fails the others.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from aiokafka import TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from faststream import BaseMiddleware, FastStream
from faststream.kafka import KafkaBroker
from faststream.kafka.message import FAKE_CONSUMER, KafkaMessage
from faststream.middlewares import AckPolicy
from faststream.specification import AsyncAPI
from pydantic import ValidationError

from vanthu import batches
from vanthu.errors import DocumentError, FailureReason
from vanthu.kafka_auth import broker_security
from vanthu.events import DeadLetter, DocumentFailed, ObjectRef, Stage, Submission
from vanthu.logs import get_logger
from vanthu.observability import STEP_SECONDS, kafka_metrics
from vanthu.settings import Settings
from vanthu.state import StateStore, received_step

ACK_POLICY = AckPolicy.NACK_ON_ERROR
ATTEMPT = "x-vanthu-attempt"
NOT_BEFORE = "x-vanthu-not-before"
ORIGIN = "x-vanthu-origin-topic"


def subscriber_options(settings: Settings, stage: Stage, batch: int | None = None,
                       in_flight: bool = False) -> dict[str, Any]:
    """Consumer settings shared by the stages' subscribers; with ``batch``, a batch
    subscriber of at most that many messages at a time, committed when its handler returns,
    or, with ``in_flight``, by the handler's :class:`InFlight` window (FastStream then
    commits nothing)."""
    return {
        "group_id": settings.group(stage),
        "ack_policy": AckPolicy.MANUAL if in_flight else ACK_POLICY,
        "auto_offset_reset": "earliest",
        # OCR of a 200-page scan takes minutes; the group must not evict the worker meanwhile.
        "max_poll_interval_ms": 30 * 60 * 1000,
        "max_records": batch or 1,
        **({"batch": True, "decoder": _undecoded} if batch else {}),
    }


async def _undecoded(message: Any) -> list[Any]:
    """A batch's decoder: nothing. Its handler validates each record by itself from the raw
    batch (:func:`batch_items`), so that a malformed record fails alone instead of failing
    the batch, and declares what the records are as its first parameter, typed
    ``SkipValidation[list[Event]]``, for the AsyncAPI document only."""
    return []


def batch_items(message: KafkaMessage) -> list[KafkaMessage]:
    """The records of a batch subscriber's message, each as a message of its own (its body,
    headers, key, topic, partition and offset, what :class:`StepRunner` and :class:`InFlight`
    read). Acknowledging one does nothing: the batch is committed as a whole once the handler
    returns, or by :class:`InFlight`."""
    raw = message.raw_message  # a tuple of records (a list in FastStream's test broker)
    records = raw if isinstance(raw, tuple | list) else (raw,)
    return [KafkaMessage(record, record.value or b"", headers={k: v.decode() for k, v in record.headers or ()},
                         consumer=FAKE_CONSUMER) for record in records]


class InFlight:
    """Up to ``size`` messages of a batch subscriber (``ack_policy`` MANUAL) at work at once,
    each partition committed up to its earliest message not done.

    :meth:`take` starts the work of each message of a batch as soon as there is room and
    returns when all have started, so that the subscriber fetches the next batch while
    this one's last messages are still at work: a slow document no longer holds the cores
    idle until it is done. The contract of commit-after-effect holds per partition: a
    partition's committed offset (the next message to read after a restart) never passes
    a message whose work has not returned, so a worker killed with messages in flight has
    each read again; ones already done after it are read again too, harmlessly, since
    every effect is idempotent by document id. Work that raises (its failure could not
    even be reported: Kafka down) rewinds its partition to it, and the commit stays there
    until it is done. A partition taken over by another worker meanwhile is not
    committed here: the new owner reads it from its last commit.

    A batch without a consumer to commit with (FastStream's in-memory test broker) is
    worked on together and :meth:`take` returns when it is done."""

    def __init__(self, stage: Stage, size: int) -> None:
        self.log = get_logger(stage)
        self.room = asyncio.Semaphore(size)
        self.pending: dict[TopicPartition, set[int]] = {}  # offsets started and not done
        self.next: dict[TopicPartition, int] = {}  # past the last offset started
        self.committed: dict[TopicPartition, int] = {}
        self.committers: dict[TopicPartition, asyncio.Task[None]] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.closed = False

    async def take(self, batch: KafkaMessage, work: Callable[[KafkaMessage], Awaitable[None]]) -> None:
        """Start ``work`` on each record of ``batch`` (:func:`batch_items`), in order, as room frees up."""
        started = []
        for item in batch_items(batch):
            await self.room.acquire()
            if self.closed:  # shutting down: left uncommitted, read again after the restart
                self.room.release()
                return
            record = item.raw_message
            partition = TopicPartition(record.topic, record.partition)
            self.pending.setdefault(partition, set()).add(record.offset)
            self.next[partition] = max(self.next.get(partition, 0), record.offset + 1)
            task = asyncio.create_task(self._run(batch.consumer, partition, record.offset, work(item)))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            started.append(task)
        if batch.consumer is FAKE_CONSUMER:
            await asyncio.gather(*started)

    async def _run(self, consumer: Any, partition: TopicPartition, offset: int, work: Awaitable[None]) -> None:
        try:
            await work
        except Exception as exc:  # noqa: BLE001 - read again from here; the offset stays pending
            self.log.error("message failed: its partition is read again from it", topic=partition.topic,
                           partition=partition.partition, offset=offset, error=f"{type(exc).__name__}: {exc}")
            self._rewind(consumer, partition, offset)
        else:
            self.pending[partition].discard(offset)
            if consumer is not FAKE_CONSUMER:
                self._commit_soon(consumer, partition)
        finally:
            self.room.release()

    def _commit_soon(self, consumer: Any, partition: TopicPartition) -> None:
        """Commit the partition as far as it may go, by one committer per partition: commits
        never land out of order (the offset never moves back), and the messages done while
        one commit is on its way are covered by the next, not one round trip each (a
        backlog of events for other buckets is skipped at Kafka's speed, not the commits')."""
        running = self.committers.get(partition)
        if running is None or running.done():
            self.committers[partition] = asyncio.create_task(self._commit(consumer, partition))

    async def _commit(self, consumer: Any, partition: TopicPartition) -> None:
        while (offset := min(self.pending[partition], default=self.next[partition])) > self.committed.get(partition, -1):
            try:
                await consumer.commit({partition: offset})
            except (CommitFailedError, IllegalStateError) as exc:
                self.log.warning("partition not committed: it moved to another worker, which reads it from its "
                                 "last commit", topic=partition.topic, partition=partition.partition,
                                 error=f"{type(exc).__name__}: {exc}")
                return
            except KafkaError as exc:  # the next message done commits this one too
                self.log.warning("commit failed", topic=partition.topic, partition=partition.partition,
                                 error=f"{type(exc).__name__}: {exc}")
                return
            self.committed[partition] = offset

    def _rewind(self, consumer: Any, partition: TopicPartition, offset: int) -> None:
        try:
            consumer.seek(partition, offset)
        except IllegalStateError:  # no longer ours: its new owner reads it from the last commit
            pass

    async def cancel(self) -> None:
        """Stop the work in flight and start no more (shutting down): none of it is
        committed, all is read again."""
        self.closed = True
        for task in [*self.tasks, *self.committers.values()]:
            task.cancel()
        await asyncio.gather(*self.tasks, *self.committers.values(), return_exceptions=True)


# How long a record of an effect already made waits for the state store: a MinIO restart.
RECORD_WAIT_S = 60.0
_RECORD_FIRST_DELAY_S = 0.5


async def record_made(record: Callable[[], Any], *, stage: Stage, document_id: str,
                      wait_s: float = RECORD_WAIT_S) -> Any:
    """``record()`` (blocking, run in a thread) of an effect already made, tried again with
    doubling delays for up to ``wait_s`` while it fails for any reason but bad input (the
    store is down or restarting); then its error is raised, and the message is retried
    later, the effect made again (idempotently, by its keys). Each wait is logged with
    the document."""
    log = get_logger(stage)
    delay, waited = _RECORD_FIRST_DELAY_S, 0.0
    while True:
        try:
            return await asyncio.to_thread(record)
        except DocumentError:
            raise
        except Exception as exc:  # noqa: BLE001 - the store's outage, whatever its client raises
            if waited + delay > wait_s:
                raise
            log.warning("state store unavailable after the effect: waiting to record it", document_id=document_id,
                        error=f"{type(exc).__name__}: {exc}", wait_s=delay)
            await asyncio.sleep(delay)
            waited += delay
            delay *= 2


def make_app(broker: KafkaBroker, stage: Stage, description: str) -> FastStream:
    """The stage's FastStream app; its AsyncAPI document is generated from it."""
    return FastStream(broker, specification=AsyncAPI(
        title=f"vanthu {stage} service", version=version("vanthu"), description=description,
    ))


def invalid_event_guard(
    stage: Stage, handlers: set[str], report: Callable[[DocumentFailed], Awaitable[None]]
) -> type[BaseMiddleware]:
    """A middleware that turns an undecodable message for ``handlers`` into a failed event.

    Only the validation of a handler's *arguments* counts (pydantic names that error
    after the handler); a validation error raised inside a handler is a bug and is
    left to propagate.
    """

    class InvalidEventGuard(BaseMiddleware):
        async def consume_scope(self, call_next: Callable[[Any], Awaitable[Any]], msg: Any) -> Any:
            try:
                return await call_next(msg)
            except ValidationError as exc:
                if exc.title not in handlers:
                    raise
                await report(invalid_event(stage, msg, exc))
                return None

    return InvalidEventGuard


def invalid_event(stage: Stage, message: Any, exc: ValidationError) -> DocumentFailed:
    """The failure of a message that is not a valid event (logged)."""
    get_logger(stage).warning("invalid event", topic=getattr(message.raw_message, "topic", None),
                              offset=getattr(message.raw_message, "offset", None), errors=exc.error_count())
    raw = getattr(message, "body", b"")
    return DocumentFailed(stage=stage, reason=FailureReason.INVALID_EVENT,
                          message=f"not a valid event ({exc.error_count()} errors): {bytes(raw)[:200]!r}")


def failure_for(stage: Stage, document_id: str | None, source: ObjectRef | None = None,
                submission: Submission | None = None) -> Callable[[DocumentError], DocumentFailed]:
    """How a stage reports bad input about a document it already knows."""
    return lambda exc: DocumentFailed(document_id=document_id, stage=stage, reason=exc.reason, message=exc.message,
                                      source=source, submission=submission or Submission())


class StepRunner:
    """Runs one stage's work on one message and sorts its failures (see the module docstring)."""

    def __init__(self, stage: Stage, settings: Settings, broker: KafkaBroker,
                 report: Callable[[DocumentFailed], Awaitable[None]]) -> None:
        self.stage = stage
        self.settings = settings
        self.broker = broker
        self.report = report
        self.log = get_logger(stage)
        self.dead_letters = broker.publisher(settings.topics.dlq, schema=DeadLetter, title="vanthu.dlq")

    async def run(
        self,
        message: KafkaMessage,
        work: Callable[[], Awaitable[None]],
        failure: Callable[[DocumentError], DocumentFailed],
        *,
        document_id: str | None = None,
        **context: Any,
    ) -> None:
        await self._wait_until_due(message)
        started, outcome = time.perf_counter(), "done"
        try:
            await work()
        except DocumentError as exc:
            outcome = "failed"
            event = failure(exc)
            self.log.warning("document failed", **{"document_id": event.document_id, **context},
                             reason=str(exc.reason), error=exc.message)
            await self.report(event)
        except Exception as exc:  # noqa: BLE001 - anything else is worth another try
            outcome = "retried"
            await self._retry_later(message, exc, document_id=document_id, **context)
        finally:
            STEP_SECONDS.labels(self.stage, outcome).observe(time.perf_counter() - started)

    async def refuse(self, message: KafkaMessage, exc: ValidationError) -> None:
        """Report ``message`` as not a valid event (a batch's poison message, taken alone)."""
        await self.report(invalid_event(self.stage, message, exc))

    async def _wait_until_due(self, message: KafkaMessage) -> None:
        due = float(message.headers.get(NOT_BEFORE, 0) or 0)
        if (pause := due - time.time()) > 0:
            await asyncio.sleep(min(pause, self.settings.retry.cap_s))

    async def _retry_later(self, message: KafkaMessage, exc: Exception, **context: Any) -> None:
        retry = self.settings.retry
        attempt = int(message.headers.get(ATTEMPT, 0) or 0) + 1
        origin = message.headers.get(ORIGIN) or message.raw_message.topic
        key = message.raw_message.key
        error = f"{type(exc).__name__}: {exc}"
        if attempt >= retry.max_attempts:
            self.log.error("giving up after retries: dead-lettered", attempts=attempt, error=error, **context)
            await self.dead_letters.publish(DeadLetter(
                stage=self.stage, topic=origin, key=key.decode(errors="replace") if key else None,
                payload=bytes(message.body).decode(errors="replace"), error=error, attempts=attempt,
                document_id=context.get("document_id"),
            ), key=key)
            return
        delay = retry.delay(attempt)
        self.log.warning("transient failure, retrying", attempt=attempt, in_s=delay, error=error, **context)
        await self.broker.publish(
            bytes(message.body), topic=self.settings.topics.retry_for(self.stage), key=key,
            headers={ATTEMPT: str(attempt), NOT_BEFORE: f"{time.time() + delay:.3f}", ORIGIN: origin,
                     "content-type": "application/json"},
        )


def failure_step(event: DocumentFailed) -> str:
    """The state step of a failure, one per failure so that none replaces another.

    A re-submission of the same bytes is not a failure of the document (its first
    submission may well have been delivered): it is kept as ``duplicate/<key digest>``.
    Every other failure is ``failed/<stage>-<time>``."""
    if event.reason is FailureReason.DUPLICATE and event.source:
        return "duplicate/" + received_step(event.source).removeprefix("received/")
    return f"failed/{event.stage}-{event.at:%Y%m%dT%H%M%S%f}"


@dataclass
class StageWiring:
    """What every stage's app is built from."""

    broker: KafkaBroker
    runner: StepRunner
    state: StateStore
    inputs: list[str]  # the stage's input topic and its retry topic


def wire_stage(settings: Settings, stage: Stage, handler: str, input_topic: str, state: StateStore) -> StageWiring:
    """A broker with the delivery contract for ``stage``, whose subscriber is ``handler``
    on ``input_topic`` (and the stage's retry topic); failures are published to
    ``vanthu.failed`` and recorded in the document's state."""

    async def report(event: DocumentFailed) -> None:
        await failed.publish(event, key=(event.document_id or "").encode() or None)
        if event.document_id:
            await asyncio.to_thread(state.record, event.document_id, failure_step(event), stage=event.stage,
                                    reason=str(event.reason), message=event.message)
        else:  # failed before it was read as a document: its batch must still count it
            await asyncio.to_thread(batches.record_failure, state.storage, event)

    broker = KafkaBroker(
        settings.kafka_bootstrap,
        acks="all",
        enable_idempotence=True,
        client_id=f"vanthu-{stage}",
        security=broker_security(settings),
        middlewares=[kafka_metrics(stage), invalid_event_guard(stage, {handler}, report)],
        logger=logging.getLogger(f"vanthu.{stage}.kafka"),
    )
    failed = broker.publisher(settings.topics.failed, schema=DocumentFailed, title="vanthu.failed")
    return StageWiring(broker, StepRunner(stage, settings, broker, report), state,
                       [input_topic, settings.topics.retry_for(stage)])


def subscribe(wiring: StageWiring, settings: Settings, stage: Stage, handler: Callable[..., Awaitable[None]],
              batch: int | None = None, in_flight: bool = False) -> Any:
    """Register ``handler`` on the stage's input topic and on its retry topic (in batches of
    at most ``batch`` messages when given, committed by the handler's :class:`InFlight`
    window with ``in_flight``: see the module docstring and :func:`subscriber_options`);
    returns the subscriber, which another input (the OCR stage's bulk lane) can be added to.

    The retry topic has a consumer group of its own, so a stage's retries never pause
    the consumption of new input."""
    options = subscriber_options(settings, stage, batch, in_flight)
    main, retry = wiring.inputs
    subscriber = wiring.broker.subscriber(main, title=main, **options)(handler)
    wiring.broker.subscriber(retry, title=retry, **{**options, "group_id": f"{options['group_id']}.retry"})(subscriber)
    return subscriber
