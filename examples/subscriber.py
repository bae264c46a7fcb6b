"""A downstream system that subscribes to parsed directives (the README's example).

    VANTHU_KAFKA_BOOTSTRAP=127.0.0.1:9092 faststream run examples.subscriber:app

It keeps its own consumer group, commits only after it handled a directive, and keeps
the highest ``revision`` of each document: a clerk's correction arrives as the next
revision (the whole directive again, with ``changes``), while a revision it already has
(a directive delivered again after a restart) is dropped. A secret document arrives
withheld: its identity and secrecy level, nothing of its content.
"""

import os

from faststream import FastStream
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from vanthu.events import DirectiveParsed

broker = KafkaBroker(os.environ.get("VANTHU_KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
app = FastStream(broker)
archived: dict[str, DirectiveParsed] = {}  # a real system keeps this in its database


@broker.subscriber(
    os.environ.get("VANTHU_TOPICS__DIRECTIVES", "vanthu.directives"),
    group_id="records-archive",
    auto_offset_reset="earliest",
    ack_policy=AckPolicy.NACK_ON_ERROR,  # commit after handling; redeliver on error
)
async def on_directive(directive: DirectiveParsed) -> None:
    kept = archived.get(directive.document_id)
    if kept is not None and kept.revision >= directive.revision:  # delivered again, or older than what we have
        return
    archived[directive.document_id] = directive
    if directive.revision:  # a clerk's correction: what it changed in the revision before
        print(f"{directive.doc_type} {directive.number or '(no number)'}: revision {directive.revision} by "
              f"{directive.corrected_by}: {', '.join(c.field for c in directive.changes)}")
    if directive.withheld:  # a secret document: its identity only; the paper is at the records office
        print(f"{directive.doc_type} {directive.number or '(no number)'} of {directive.issuer}: "
              f"{directive.secrecy.upper()}, collect it from the records office")
        return
    leads = sorted({a.unit for a in directive.assignments if a.role == "lead"})
    print(f"{directive.doc_type} {directive.number or '(no number)'} of {directive.issuer}, "
          f"{directive.date or 'undated'}: {len(directive.assignments)} assignments; lead: {', '.join(leads)}")
