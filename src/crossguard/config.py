"""One validated Settings object, read from crossguard.toml and the environment.

Each front end calls :func:`load_settings` once and passes the result down;
there is no global settings cache. The secret index key comes from the file
named by ``key_file`` or from ``$CROSSGUARD_KEY`` (hex).
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from crossguard.api.settings import ApiSettings
from crossguard.detect.settings import DetectSettings
from crossguard.errors import ConfigError
from crossguard.gateway.settings import GatewaySettings, MilterSettings
from crossguard.incident.settings import IncidentSettings
from crossguard.index.settings import IndexSettings
from crossguard.message.settings import ImageSettings, ParseLimits
from crossguard.policy.settings import PolicySettings
from crossguard.routing.settings import RoutingSettings
from crossguard.settings_base import Section
from crossguard.store.settings import StoreSettings
from crossguard.verify.settings import VerifySettings

CONFIG_ENV = "CROSSGUARD_CONFIG"
KEY_ENV = "CROSSGUARD_KEY"
DEFAULT_CONFIG = Path("crossguard.toml")


class Settings(Section):
    """Every crossguard setting, grouped by the stage that reads it."""

    key_file: Path | None = Field(
        None, description="File holding the secret index key (hex); $CROSSGUARD_KEY overrides."
    )
    allow_insecure_key_permissions: bool = Field(
        False, description="Accept key files (key_file, api.session_secret_file) "
        "that the group or others can read; by default such a file is refused, as ssh does.",
    )
    parse: ParseLimits = Field(default_factory=ParseLimits, description="Message parsing limits.")
    images: ImageSettings = Field(default_factory=ImageSettings, description="Image reading.")
    detect: DetectSettings = Field(default_factory=DetectSettings, description="Detectors.")
    index: IndexSettings = Field(default_factory=IndexSettings, description="Customer index.")
    policy: PolicySettings = Field(default_factory=PolicySettings, description="Policy rules.")
    store: StoreSettings = Field(default_factory=StoreSettings, description="Storage.")
    gateway: GatewaySettings = Field(default_factory=GatewaySettings, description="SMTP gateway.")
    milter: MilterSettings = Field(default_factory=MilterSettings, description="Milter.")
    api: ApiSettings = Field(default_factory=ApiSettings, description="HTTP API and dashboard.")
    incident: IncidentSettings = Field(
        default_factory=IncidentSettings, description="Incident scoping."
    )
    routing: RoutingSettings = Field(default_factory=RoutingSettings, description="Routing audit.")
    verify: VerifySettings = Field(
        default_factory=VerifySettings, description="Verification campaigns and upload links."
    )

    def secret_key(self) -> bytes:
        """The index key: ``$CROSSGUARD_KEY`` (hex), else the key file; a clear error if neither."""
        return read_key(self.key_file, allow_open=self.allow_insecure_key_permissions)


def read_key(key_file: Path | None, *, allow_open: bool = False) -> bytes:
    """Read the secret key from the environment or ``key_file`` (refused if others may read it)."""
    raw = os.environ.get(KEY_ENV)
    source = f"${KEY_ENV}"
    if raw is None:
        if key_file is None:
            raise ConfigError(
                f"no index key: set ${KEY_ENV} or key_file in crossguard.toml (crossguard init)"
            )
        check_private(key_file, "key file", allow=allow_open)
        try:
            raw = key_file.read_text(encoding="ascii").strip()
        except OSError as error:
            raise ConfigError(f"{key_file}: cannot read key file ({error.strerror})") from None
        source = str(key_file)
    try:
        key = bytes.fromhex(raw.strip())
    except ValueError:
        raise ConfigError(f"{source}: key must be hex") from None
    if not 16 <= len(key) <= 64:
        raise ConfigError(f"{source}: key must be 16 to 64 bytes, got {len(key)}")
    return key


def check_private(path: Path, what: str, *, allow: bool = False) -> None:
    """Refuse a secret file that the group or others may read (unless ``allow``), as ssh does."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return  # the reader reports a missing or unreadable file itself
    if mode & 0o077 and not allow:
        raise ConfigError(
            f"{path}: {what} permissions {mode:04o} are too open (group or others can read "
            f"it); run chmod 600 {path}, or set allow_insecure_key_permissions = true"
        )


def load_settings(path: Path | None = None, *, required: bool = False) -> Settings:
    """Read settings from ``path``, ``$CROSSGUARD_CONFIG`` or ``./crossguard.toml``.

    With no file found and ``required`` false, the defaults are returned.
    Relative paths in the file are read relative to the file's folder.
    """
    if path is None and os.environ.get(CONFIG_ENV):
        path = Path(os.environ[CONFIG_ENV])
    if path is None:
        if not DEFAULT_CONFIG.exists():
            if required:
                raise ConfigError(f"{DEFAULT_CONFIG}: no such file (run crossguard init)")
            return Settings()
        path = DEFAULT_CONFIG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    return settings_from_dict(data, source=path)


def settings_from_dict(data: dict[str, Any], *, source: Path | None = None) -> Settings:
    """Validate a settings mapping; errors name the file, the key and the expectation."""
    try:
        settings = Settings.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        where = f"{source}: " if source else ""
        raise ConfigError(f"{where}{key}: {first['msg']}") from None
    if source is not None:
        settings = _resolve_paths(settings, source.parent)
    return _with_verification_url(settings)


def _with_verification_url(settings: Settings) -> Settings:
    """Point sensitive_request at the verification pages when they are configured."""
    rule = settings.policy.rules.sensitive_request
    if settings.verify.public_url is None or rule.verification_url is not None:
        return settings
    url = settings.verify.public_url.rstrip("/") + "/verify"
    rules = settings.policy.rules.model_copy(
        update={"sensitive_request": rule.model_copy(update={"verification_url": url})})
    return settings.model_copy(
        update={"policy": settings.policy.model_copy(update={"rules": rules})})


def _resolve_paths(settings: Settings, base: Path) -> Settings:
    """Make file paths in the settings relative to the config file's folder."""

    def resolve(value: Path | None) -> Path | None:
        return value if value is None or value.is_absolute() else base / value

    return settings.model_copy(
        update={
            "key_file": resolve(settings.key_file),
            "index": settings.index.model_copy(update={"path": resolve(settings.index.path)}),
            "policy": settings.policy.model_copy(
                update={
                    "directory": [resolve(p) for p in settings.policy.directory],
                    "authorized_contacts": resolve(settings.policy.authorized_contacts),
                }
            ),
            "store": settings.store.model_copy(
                update={"audit_anchor_dir": resolve(settings.store.audit_anchor_dir)}
            ),
            "verify": settings.verify.model_copy(
                update={"invitation_template": resolve(settings.verify.invitation_template)}
            ),
            "api": settings.api.model_copy(
                update={
                    "reports_dir": resolve(settings.api.reports_dir),
                    "session_secret_file": resolve(settings.api.session_secret_file),
                }
            ),
        }
    )
