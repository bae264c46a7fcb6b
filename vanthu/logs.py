"""Structured logging: JSON lines for services, readable lines on a terminal.

Every stage logs with ``document_id`` and ``stage`` bound, so one document can be
followed through the pipeline with a single grep.
"""

from __future__ import annotations

import logging
import sys
import time

import structlog

REPEAT_WINDOW_S = 30.0


class RepeatFilter(logging.Filter):
    """Lets one message of a kind through per window, then says how many it held back.

    While Kafka is down its client logs "Unable connect to node" thousands of times a
    minute; one line per window says the same and keeps the log readable."""

    def __init__(self, prefix: str = "aiokafka", window_s: float = REPEAT_WINDOW_S) -> None:
        super().__init__()
        self.prefix = prefix
        self.window_s = window_s
        self.seen: dict[tuple[str, object], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self.prefix):
            return True
        key = (record.name, record.msg)
        now = time.monotonic()
        last, held = self.seen.get(key, (float("-inf"), 0))
        if now - last < self.window_s:
            self.seen[key] = (last, held + 1)
            return False
        self.seen[key] = (now, 0)
        if held:
            record.msg = f"{record.msg} ({held} like it in the last {self.window_s:.0f} s not shown)"
        return True


def configure(level: str = "INFO", *, json: bool | None = None) -> None:
    json = (not sys.stderr.isatty()) if json is None else json
    logging.basicConfig(level=level, stream=sys.stderr, format="%(message)s")
    # On the handlers: a logger's own filters do not see its children's records.
    for handler in logging.getLogger().handlers:
        handler.addFilter(RepeatFilter("aiokafka"))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


def get_logger(stage: str) -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger().bind(stage=stage)
