"""The national unit directory as the services load it with default settings, and its units
by name, for tests that build directives and notices by hand."""

from __future__ import annotations

import functools

from vanthu.directory import Unit, UnitDirectory
from vanthu.settings import Settings


@functools.cache
def directory() -> UnitDirectory:
    return UnitDirectory.from_settings(Settings())


def unit(name: str, place: str = "Ninh Bình") -> Unit:
    """The unit ``name`` means in ``place`` (the demo's home province)."""
    return directory().match(name, place).unit
