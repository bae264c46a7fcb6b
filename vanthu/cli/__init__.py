"""The ``vanthu`` command: run the services, submit documents, follow assignments,
and run the same stages in-process without any infrastructure."""

from vanthu.cli import inprocess, pipeline, follow, summary, directory, desk, desk_ops  # noqa: F401, I001 - they register their commands, in this order
from vanthu.cli.common import app

__all__ = ["app"]
