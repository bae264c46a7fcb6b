"""A fault plugin for a ``vanthu serve`` process: stall it in the middle of a directive's notices.

Put this folder on the process's ``PYTHONPATH`` with ``VANTHU_FAULT_STALL_MARKER`` (a
path) and ``VANTHU_FAULT_STALL_DOCS`` (comma-separated document ids). The first time the
process is about to publish a second notice of one of those documents, it creates the
marker and stops there (the notices before it are acknowledged by Kafka, the rest never
leave) until it is killed. A process started later with the same marker does not stall:
the marker already exists.

Why: a kill "while a directive's notices are being published" cannot be timed by
watching the topic, because the notices of a directive go out within milliseconds of
each other. Holding the process in that state makes the moment certain.
"""

from __future__ import annotations

import asyncio
import json
import os

_MARKER = os.environ.get("VANTHU_FAULT_STALL_MARKER")
_DOCS = set(filter(None, os.environ.get("VANTHU_FAULT_STALL_DOCS", "").split(",")))

if _MARKER and _DOCS:
    from aiokafka import AIOKafkaProducer

    _send = AIOKafkaProducer.send
    _sent: set[str] = set()

    def _document(value: object) -> str | None:
        try:
            event = json.loads(value) if isinstance(value, bytes | str) else None
        except ValueError:
            return None
        if isinstance(event, dict) and "idempotency_key" in event:
            return event.get("document_id")
        return None

    async def _stalling_send(self, topic, value=None, *args, **kwargs):
        doc = _document(value)
        if doc in _DOCS:
            if doc in _sent and _claim():
                print(f"fault plugin: stalled before {doc}'s next notice", flush=True)
                await asyncio.Event().wait()  # until killed
            _sent.add(doc)
        return await _send(self, topic, value, *args, **kwargs)

    def _claim() -> bool:
        try:
            os.close(os.open(_MARKER, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    AIOKafkaProducer.send = _stalling_send
