"""Settings of the desk, read from ``VANTHU_DESK__*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class DeskSettings(BaseSettings):
    """Where the desk listens and keeps its files. Its Kafka, MinIO and topics are the
    pipeline's own :class:`vanthu.settings.Settings`."""

    model_config = SettingsConfigDict(env_prefix="VANTHU_DESK__")

    host: str = Field("127.0.0.1", description="Address to bind; loopback unless a deployment puts a proxy in front.")
    port: int = Field(8000, ge=0, le=65535)
    data_dir: Path = Field(Path(".cache/desk"), description="Users file, session key, read model, page images.")
    secret_key: SecretStr | None = Field(
        None, description="Signs session cookies; unset: a random key kept in data_dir/session.key (0600).")
    session_max_age_s: int = Field(8 * 3600, ge=60, le=7 * 24 * 3600, description="A sign-in lasts this long.")
    secure_cookies: bool = Field(False, description="Send the session cookie over HTTPS only (set behind TLS).")
    desk_name: str = Field("", description="This desk's name, recorded with what is uploaded here.")
    hotfolder_archive: bool = Field(
        False, description="`vanthu serve hotfolder DIR` takes an archive's back file: its files go to the bulk lane, "
                           "one batch per scan of the folder (`vanthu status --batch`).")
    page_dpi: int = Field(110, ge=36, le=300, description="Resolution of the page images shown.")
    due_soon_days: int = Field(3, ge=0, description="A task due within this many days is 'due soon'.")
    max_upload_bytes: int = Field(200 * 1024 * 1024, ge=1)
    sign_in_failures_per_account: int = Field(
        5, ge=1, description="Failed sign-ins to one account within sign_in_window_s before it is refused for a while.")
    sign_in_failures_per_address: int = Field(
        20, ge=1, description="Failed sign-ins from one client address within sign_in_window_s before it is refused.")
    sign_in_window_s: int = Field(15 * 60, ge=1, description="The window failed sign-ins are counted in.")

    def path(self, *parts: str) -> Path:
        """A path under ``data_dir``, its directory made private (0700) on first use."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.data_dir.joinpath(*parts)
