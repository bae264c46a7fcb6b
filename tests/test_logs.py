"""Logs stay readable while Kafka is down."""

from __future__ import annotations

import logging

from vanthu.logs import RepeatFilter


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def test_a_repeated_client_message_is_shown_once_per_window():
    # GIVEN a handler with the repeat filter for the Kafka client's loggers
    handler = Collect()
    handler.addFilter(RepeatFilter("vanthu-test.aiokafka", window_s=60))
    root = logging.getLogger("vanthu-test")
    root.addHandler(handler)
    try:
        # WHEN a child logger of the client repeats a connection error 500 times, and
        # our own code logs a line twice
        client = logging.getLogger("vanthu-test.aiokafka.conn")
        for _ in range(500):
            client.error("Unable connect to node with id %s", 1)
        for _ in range(2):
            root.error("document failed")
    finally:
        root.removeHandler(handler)
    # THEN the client's error went through once, and our own lines all did
    assert handler.lines == ["vanthu-test.aiokafka.conn: Unable connect to node with id 1",
                             "vanthu-test: document failed", "vanthu-test: document failed"]


def test_after_the_window_the_held_back_count_is_reported():
    # GIVEN a filter whose window has passed after 3 repeats
    filter_ = RepeatFilter("aiokafka", window_s=0.0)
    record = logging.LogRecord("aiokafka.conn", logging.ERROR, __file__, 1, "Unable connect", None, None)
    filter_.seen[("aiokafka.conn", "Unable connect")] = (float("-inf"), 3)
    # WHEN the message comes again THEN it passes and says how many were not shown
    assert filter_.filter(record)
    assert "3 like it" in record.getMessage()
