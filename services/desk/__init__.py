"""The mailroom desk: a web application for clerks and units (issue 14).

Clerks upload paper (or a scanner writes into a hot folder), watch each document go
through the pipeline, and open it: its page images beside what was read from it, the
evidence of each assignment and header field highlighted on its page. A unit's users
see their unit's tasks, live.

Modules: ``config`` (settings), ``users`` (accounts, argon2), ``auth`` (signed session
cookies, CSRF, who sees what), ``throttle`` (failed sign-ins refused for a while),
``projection`` (SQLite read model of the pipeline's topics), ``feed`` (the Kafka
consumer and state sweep that keep it current), ``pages`` (page images and evidence
boxes), ``corrections`` (the correction form as the edits of :mod:`vanthu.revisions`),
``labels`` (what people read, in Vietnamese), ``hotfolder``, ``app`` (the FastAPI
routes). The commands are in :mod:`vanthu.cli.desk`.
"""
