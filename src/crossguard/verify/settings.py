"""Settings for verification campaigns and the customer upload page."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from crossguard.settings_base import Section

DEFAULT_NOTICE = (
    "We use this document only to confirm that the order is yours. It is stored encrypted, "
    "seen only by our verification team, and deleted as soon as we have decided, at the "
    "latest after the retention period. We never ask you to send identity documents by e-mail."
)


class VerifySettings(Section):
    """Signed upload links instead of asking customers for ID documents by mail."""

    public_url: str | None = Field(
        None, description="Base URL customers reach the upload pages at (e.g. "
        "https://verify.example.com); links are PUBLIC_URL/verify/TOKEN. When set, "
        "sensitive_request's reason names PUBLIC_URL/verify.",
    )
    link_days: float = Field(7.0, gt=0, le=365, description="Days an upload link stays valid.")
    retention_days: float = Field(
        14.0, gt=0, le=3650, description="Days an undecided upload is kept before it is purged.",
    )
    sweep_seconds: float = Field(
        3600.0, gt=0, le=86_400,
        description="How often `serve api` expires links and purges uploads past "
        "retention_days (also done by `crossguard verify purge`).",
    )
    max_upload_bytes: int = Field(
        10_000_000, ge=1024, le=2_000_000_000,
        description="Largest upload accepted (photo or PDF), in bytes.",
    )
    ask_address: bool = Field(
        True, description="Ask the customer to confirm the shipping address of the order.",
    )
    privacy_notice: str = Field(DEFAULT_NOTICE, description="Privacy notice on the upload page.")
    mail_from: str = Field(
        "", description="From address of invitation mails (required to send them).",
    )
    mail_subject: str = Field(
        "Please confirm your order: your personal upload link",
        description="Subject of invitation mails.",
    )
    invitation_template: Path | None = Field(
        None, description="Jinja2 text template of invitation mails (variables: link, "
        "expires, company); default: the built-in one.",
    )
    company: str = Field("our customer care team", description="Who signs invitation mails.")
