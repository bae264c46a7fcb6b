"""What the command's modules share: the Typer app, consoles, argument types, printing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from vanthu.events import AssignmentNotice, Directive

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


def print_directive(name: str, d: Directive) -> None:
    console.rule(f"[bold]{name}")
    rows = [
        ("issuer", d.issuer), ("system", d.system), ("type", d.doc_type), ("number", d.number),
        ("place, date", ", ".join(str(x) for x in (d.place, d.date or d.date_partial) if x)),
        ("subject", d.subject), ("signer", " ".join(x for x in (d.signer.authority, d.signer.title, d.signer.name) if x)),
        ("recipients", "; ".join(d.recipients)), ("references", len(d.references) or None),
    ]
    for label, value in rows:
        if value:
            console.print(f"[bold]{label:>12}[/bold]  {value}")
    for warning in d.warnings:
        console.print(f"[yellow]{'warning':>12}[/yellow]  {warning}")


def print_notices(notices: list[AssignmentNotice], header: bool = True) -> None:
    if header:
        console.print(f"[bold]{'assignments':>12}[/bold]  {len(notices)}")
    for n in notices:
        due = f" [red]hạn {n.deadline.isoformat()}[/red]" if n.deadline else ""
        unit_id = n.unit_id or "[yellow]unknown unit: for review[/yellow]"
        task = n.task if len(n.task) <= 160 else n.task[:157] + "…"
        console.print(f"  [cyan]{n.unit}[/cyan] ({unit_id}) [bold]{ROLE_LABEL[n.role]}[/bold] "
                      f"§{n.section or '-'}{due}\n      {task}")

