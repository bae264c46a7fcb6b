"""Metrics and health of a running service process.

Every stage's broker counts its messages through FastStream's Prometheus middleware;
the stage runner adds the time each step took, and the OCR stage the pages it read.
``vanthu serve`` exposes, when ``VANTHU_HTTP_PORT`` is set:

- ``/health/live``: 200 while the process runs;
- ``/health/ready``: 200 when every broker of the process answers Kafka, else 503;
- ``/metrics``: the Prometheus metrics.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CollectorRegistry, Counter, Histogram, make_asgi_app

REGISTRY = CollectorRegistry()
STEP_SECONDS = Histogram(
    "vanthu_step_seconds", "Time one stage took for one message, by outcome.", ["stage", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900), registry=REGISTRY,
)
OCR_PAGES = Counter("vanthu_ocr_pages_total", "Pages read by the OCR stage, by source.", ["source"],
                    registry=REGISTRY)


def kafka_metrics(stage: str) -> KafkaPrometheusMiddleware:
    return KafkaPrometheusMiddleware(registry=REGISTRY, app_name=f"vanthu-{stage}")


Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def http_app(brokers: Sequence[KafkaBroker]) -> Callable[[dict[str, Any], Receive, Send], Awaitable[None]]:
    """The ASGI app of the health and metrics endpoints for the brokers of one process."""
    metrics = make_asgi_app(REGISTRY)

    async def respond(send: Send, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})

    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == "/metrics":
            await metrics(scope, receive, send)
        elif path == "/health/live":
            await respond(send, 200, {"status": "live"})
        elif path == "/health/ready":
            answers = await asyncio.gather(*(broker.ping(timeout=3.0) for broker in brokers))
            ready = bool(answers) and all(answers)
            await respond(send, 200 if ready else 503, {"status": "ready" if ready else "not ready",
                                                        "brokers": len(brokers), "answering": sum(answers)})
        else:
            await respond(send, 404, {"error": f"no such endpoint: {path}"})

    return app
