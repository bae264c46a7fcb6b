"""What the command's modules share: the Typer app, consoles, argument types, printing."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from vanthu.events import Assignment, AssignmentNotice, Directive

app = typer.Typer(help="vanthu (văn thư): intake of Vietnamese directives, from scan to per-unit assignments.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)
console = Console()
err = Console(stderr=True)

FILES = Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True, help="PDF, image or text files.")]
JSON = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a readable summary.")]
# Each service and the FastStream apps it runs (the notify service also delivers to webhooks and e-mail).
SERVICES = {
    "ocr": ("services.ocr.app",),
    "parse": ("services.parse.app",),
    "notify": ("services.notify.app", "services.notify.channels.app"),
}
ROLE_LABEL = {"lead": "chủ trì", "cooperate": "phối hợp", "assigned": "thực hiện"}


def _date(d: Directive) -> str | None:
    if d.date:
        return f"{d.date:%d/%m/%Y}"
    if p := d.date_partial:
        return "/".join(str(v) if v else "…" for v in (p.day, p.month, p.year))
    return None


def _signer(d: Directive) -> str:
    s = d.signer
    # The authority chain often contains on whose behalf ("TL. CHỦ TỊCH"): do not say it twice.
    behalf = s.on_behalf_of if s.on_behalf_of and s.on_behalf_of not in (s.authority or "") else None
    return " ".join(x for x in (s.authority, behalf, s.title, s.name) if x)


def print_directive(name: str, d: Directive) -> None:
    console.rule(f"[bold]{name}")
    rows = [
        ("issuer", d.issuer), ("system", d.system), ("type", d.doc_type), ("number", d.number),
        ("place, date", ", ".join(x for x in (d.place, _date(d)) if x)),
        ("urgency", d.urgency), ("secrecy", d.secrecy),
        ("subject", d.subject), ("signer", _signer(d)),
        ("recipients", "; ".join(d.recipients)), ("references", len(d.references) or None),
        ("sections", len(d.sections) or None),
    ]
    for label, value in rows:
        if value:
            console.print(f"[bold]{label:>12}[/bold]  {value}")
    for warning in d.warnings:
        console.print(f"[yellow]{'warning':>12}[/yellow]  {warning}")


def print_assignments(d: Directive, notices: list[AssignmentNotice], text: str | None = None) -> None:
    """The directive's assignments as a clerk reads them: one row per printed unit, with
    how many units a collective name reaches and why the parser found it (the rule, and
    the unit as it stands in ``text`` when the parsed text is given), then who receives
    how many notices (when ``notices`` were built)."""
    table = Table("§", "unit as printed", "role", "deadline", "task", "found by", box=None, pad_edge=False, expand=True)
    reach: dict[tuple[str, str | None], set[str]] = {}
    for n in notices:  # the key "document:assignment index:unit" ties a notice to its assignment
        reach.setdefault((n.idempotency_key.split(":")[1], n.unit_text), set()).add(n.unit_id or "?")
    parsed = unicodedata.normalize("NFC", text) if text else None
    for index, a in enumerate(d.assignments):
        units = reach.get((str(index), a.unit_text), set())
        if a.unit_id:
            who = (a.unit_name or a.unit) + "".join(f" [dim](was {escape(s)})[/dim]" for s in a.succession)
        elif a.candidates:
            who = f"[yellow]{a.unit_text} (ambiguous: {len(a.candidates)} units)[/yellow]"
        else:
            who = f"[yellow]{a.unit_text} (not in directory)[/yellow]"
        if len(units) > 1:
            who += f" [dim]→ {len(units)} units[/dim]"
        if a.members:
            who += f" [dim]({len(a.members)} members)[/dim]"
        task = a.task if len(a.task) <= 140 else a.task[:137] + "…"
        section = (a.section or "-") + (f" ({', '.join(a.points)})" if a.points else "")
        table.add_row(section, who, ROLE_LABEL[a.role], a.deadline_text or "", task, _found_by(a, parsed))
    console.print(table)
    if not notices:
        return
    units = {n.unit_id for n in notices if n.unit_id}
    review = sum(1 for n in notices if not n.unit_id)
    console.print(f"[bold]{len(notices)} notices[/bold] for {len(units)} units"
                  + (f", [yellow]{review} for a clerk's review[/yellow]" if review else ""))


def _found_by(a: Assignment, parsed: str | None) -> str:
    """The first reading's rule, page and unit span ("heading p.1 «Sở Y tế» @120"), and how
    many more readings there are."""
    if not a.evidence:
        return ""
    e = a.evidence[0]
    where = f"{e.rule} p.{e.page}"
    if e.unit_span is not None:
        quote = parsed[e.unit_span.start : e.unit_span.end] if parsed is not None else a.unit_text
        where += f" «{' '.join(quote.split())}» @{e.unit_span.start}"
    more = len(a.evidence) - 1
    return escape(where) + (f" [dim]+{more}[/dim]" if more else "")


def print_notices(notices: list[AssignmentNotice], header: bool = True) -> None:
    if header:
        console.print(f"[bold]{'assignments':>12}[/bold]  {len(notices)}")
    for n in notices:
        due = f" [red]hạn {n.deadline.isoformat()}[/red]" if n.deadline else ""
        unit_id = n.unit_id or "[yellow]unknown unit: for review[/yellow]"
        task = n.task if len(n.task) <= 160 else n.task[:157] + "…"
        console.print(f"  [cyan]{n.unit}[/cyan] ({unit_id}) [bold]{ROLE_LABEL[n.role]}[/bold] "
                      f"§{n.section or '-'}{due}\n      {task}")

