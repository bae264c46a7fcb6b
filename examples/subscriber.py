"""A downstream system that subscribes to parsed directives (the README's example).

    VANTHU_KAFKA_BOOTSTRAP=127.0.0.1:9092 faststream run examples.subscriber:app

It keeps its own consumer group, commits only after it handled a directive, and drops
a document it has already seen (a directive can be delivered again after a restart). A
secret document arrives withheld: its identity and secrecy level, nothing of its content.
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
    if directive.document_id in archived:
        return
    archived[directive.document_id] = directive
    if directive.withheld:  # a secret document: its identity only; the paper is at the records office
        print(f"{directive.doc_type} {directive.number or '(no number)'} of {directive.issuer}: "
              f"{directive.secrecy.upper()}, collect it from the records office")
        return
    leads = sorted({a.unit for a in directive.assignments if a.role == "lead"})
    print(f"{directive.doc_type} {directive.number or '(no number)'} of {directive.issuer}, "
          f"{directive.date or 'undated'}: {len(directive.assignments)} assignments; lead: {', '.join(leads)}")
