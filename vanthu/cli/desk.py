"""``vanthu serve desk``, ``vanthu serve hotfolder DIR`` and ``vanthu desk user add`` (services/desk)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from vanthu.cli.common import app, console
from vanthu.logs import configure
from vanthu.settings import get_settings

desk_app = typer.Typer(help="The mailroom desk (web application): its users.", no_args_is_help=True)
user = typer.Typer(help="Desk users: clerks, unit users, administrators.", no_args_is_help=True)
desk_app.add_typer(user, name="user")
app.add_typer(desk_app, name="desk")
PASSWORD_VARIABLE = "VANTHU_DESK_PASSWORD"


def serve_desk(args: list[str]) -> None:
    """``desk``: the web application until interrupted; ``hotfolder DIR``: the hot folder."""
    from services.desk.config import DeskSettings

    configure()
    settings, desk_settings = get_settings(), DeskSettings()
    if args[0] == "hotfolder":
        if len(args) != 2 or not Path(args[1]).is_dir():
            raise typer.BadParameter("usage: vanthu serve hotfolder DIR (an existing directory)")
        from services.desk.hotfolder import HotFolder
        from vanthu.announce import Announcer
        from vanthu.state import StateStore
        from vanthu.storage import Storage

        storage = Storage(settings)
        HotFolder(Path(args[1]), StateStore(storage), desk=desk_settings.desk_name or "hotfolder",
                  archive=desk_settings.hotfolder_archive, announcer=Announcer(storage)).run()
        return
    if len(args) != 1:
        raise typer.BadParameter("usage: vanthu serve desk")
    import uvicorn

    from services.desk.app import create_app

    console.print(f"desk on http://{desk_settings.host}:{desk_settings.port}/", highlight=False)
    uvicorn.run(create_app(settings, desk_settings), host=desk_settings.host, port=desk_settings.port,
                log_level="warning", proxy_headers=False)


@user.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="The sign-in name.")],
    role: Annotated[str, typer.Option(help="clerk, unit or admin.")],
    unit: Annotated[str | None, typer.Option(help="A unit user's unit id (vanthu directory search).")] = None,
) -> None:
    """Create a desk user (or set a new password). The password is read from the
    environment variable VANTHU_DESK_PASSWORD when set, else asked for."""
    from services.desk.config import DeskSettings
    from services.desk.users import ROLES, UserStore

    if role not in ROLES:
        raise typer.BadParameter(f"choose one of {', '.join(ROLES)}", param_hint="--role")
    password = os.environ.get(PASSWORD_VARIABLE) or typer.prompt("password", hide_input=True,
                                                                  confirmation_prompt=True)
    try:
        created = UserStore(DeskSettings().path("users.json")).add(name, password, role, unit)  # type: ignore[arg-type]
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    console.print(f"user {created.name} ({created.role}{f', unit {created.unit_id}' if created.unit_id else ''}) saved")
