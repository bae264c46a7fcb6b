"""``vanthu directory``: search, show and export the unit directory, and store a clerk's
resolution of a printed name as an alias in the deployment's overlay."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.table import Table

from vanthu.cli.common import JSON, app, console, err
from vanthu.directory import DirectoryError, Lookup, Unit, UnitDirectory, learn_alias
from vanthu.settings import get_settings

directory_app = typer.Typer(help="Search, show and export the unit directory; store clerks' aliases.",
                            no_args_is_help=True)
app.add_typer(directory_app, name="directory")

OVERLAY = Annotated[Path | None, typer.Option(help="The overlay file (default: VANTHU_DIRECTORY__OVERLAY).")]
JURISDICTION = Annotated[str | None, typer.Option(
    "--in", help="Whose document it is: a province ('Hà Tĩnh', '37', a former one such as 'Nam Định'), "
                 "a unit id or an issuing body's name; default: the deployment's home, else central.")]


def _directory(overlay: Path | None) -> UnitDirectory:
    settings = get_settings()
    if overlay is not None:
        options = settings.directory
        return UnitDirectory.national(home=options.home, overlay=overlay, unserved=options.unserved)
    return UnitDirectory.from_settings(settings)


def _overlay_path(overlay: Path | None) -> Path:
    path = overlay or (Path(p) if (p := get_settings().directory.overlay) else None)
    if path is None:
        err.print("[red]no overlay file: pass --overlay or set VANTHU_DIRECTORY__OVERLAY[/red]")
        raise typer.Exit(2)
    return path


def _lookup_json(found: Lookup, directory: UnitDirectory) -> dict:
    data = found.model_dump(mode="json", include={"text", "score", "succession"})
    data["unit"] = _unit_json(found.unit, directory) if found.unit else None
    data["candidates"] = [{"id": u.id, "name": u.name} for u in found.candidates]
    return data


def _unit_json(unit: Unit, directory: UnitDirectory) -> dict:
    data = unit.model_dump(mode="json", exclude_defaults=True)
    data["served"] = directory.serves(unit.id)
    data["scope_name"] = directory.scope_name(unit.scope)
    return data


@directory_app.command()
def search(
    text: Annotated[str, typer.Argument(help="A unit's name as printed.")],
    jurisdiction: JURISDICTION = None,
    overlay: OVERLAY = None,
    as_json: JSON = False,
) -> None:
    """The unit a printed name denotes in a jurisdiction, with the succession from a former
    body; an ambiguous name lists its candidates instead."""
    directory = _directory(overlay)
    try:
        found = directory.lookup(text, jurisdiction if jurisdiction is not None else directory.home)
    except DirectoryError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        print(json.dumps(_lookup_json(found, directory), ensure_ascii=False, indent=2))
        return
    if found.unit is None:
        console.print(f"[yellow]{len(found.candidates)} candidates[/yellow]" if found.candidates else "[yellow]unknown[/yellow]")
        for unit in found.candidates:
            console.print(f"  {unit.id}  {unit.name}")
        raise typer.Exit(1)
    served = "" if directory.serves(found.unit.id) else " [dim](not served here)[/dim]"
    console.print(f"[bold]{found.unit.id}[/bold]  {found.unit.name}{served}  [dim]score {found.score}[/dim]")
    for step in found.succession:
        when = f" until {step.date:%d/%m/%Y}" if step.date else ""
        console.print(f"  was {step.former}{when}" + (f" ({step.basis})" if step.basis else ""))


@directory_app.command()
def show(
    unit_id: Annotated[str, typer.Argument(help="A unit id, e.g. vn:37:so-y-te.")],
    overlay: OVERLAY = None,
    as_json: JSON = False,
) -> None:
    """One unit: its names, kind, scope, delivery, and the units a collective reaches."""
    directory = _directory(overlay)
    unit = directory.get(unit_id)
    if unit is None:
        err.print(f"[red]no unit {unit_id!r}[/red]")
        raise typer.Exit(1)
    members = directory.expand(unit.id) if unit.is_collective else []
    if as_json:
        print(json.dumps({**_unit_json(unit, directory), "reaches": [m.id for m in members]}, ensure_ascii=False, indent=2))
        return
    table = Table(show_header=False, box=None)
    for label, value in [
        ("id", unit.id), ("name", unit.name), ("aliases", "; ".join(unit.aliases)), ("kind", unit.kind),
        ("scope", f"{unit.scope} ({directory.scope_name(unit.scope)})"), ("served", str(directory.serves(unit.id))),
        ("delivery", unit.delivery.model_dump_json(exclude_none=True)),
        ("reaches", f"{len(members)} units" if unit.is_collective else ""),
    ]:
        if value:
            table.add_row(f"[bold]{label}", value)
    console.print(table)


@directory_app.command()
def export(
    scope: Annotated[str | None, typer.Option(help="Only units of this scope ('37', 'vn', 'vn:bo-y-te') "
                                              "or of this province and its former provinces ('37' covers '37/36').")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, yaml or csv.")] = "jsonl",
    overlay: OVERLAY = None,
) -> None:
    """Every unit (or one scope's), for other systems or a province's review."""
    directory = _directory(overlay)
    units = [u for u in directory.units() if scope is None or u.scope == scope or u.scope.startswith(f"{scope}/")]
    rows = [u.model_dump(mode="json", exclude_defaults=True) for u in units]
    if fmt == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    elif fmt == "yaml":
        yaml.safe_dump({"units": rows}, sys.stdout, allow_unicode=True, sort_keys=False)
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["id", "name", "kind", "scope", "aliases"])
        for unit in units:
            writer.writerow([unit.id, unit.name, unit.kind, unit.scope, "; ".join(unit.aliases)])
    else:
        err.print(f"[red]unknown format {fmt!r}: jsonl, yaml or csv[/red]")
        raise typer.Exit(2)


@directory_app.command()
def alias(
    text: Annotated[str, typer.Argument(help="The unit's name as printed in the document.")],
    unit_id: Annotated[str, typer.Argument(help="The unit it means, e.g. vn:37:so-y-te.")],
    overlay: OVERLAY = None,
) -> None:
    """Store a clerk's resolution in the overlay: the same wording resolves to the unit next
    time (matched in the unit's own scope, with the usual normalisation)."""
    path = _overlay_path(overlay)
    try:
        learn_alias(path, text, unit_id)
    except DirectoryError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"{text!r} -> {unit_id} stored in {path}")
