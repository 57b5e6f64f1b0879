"""Settings for the policy engine: parties, directory and every rule."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from crossguard.core.locales.national_ids import kinds as national_id_kinds
from crossguard.settings_base import Section

Action = Literal["allow", "warn", "redact", "quarantine", "reject"]
Severity = Literal["info", "low", "medium", "high", "critical"]


class RuleSettings(Section):
    """What one rule does when it fires."""

    enabled: bool = Field(True, description="Whether the rule is evaluated at all.")
    action: Action = Field("quarantine", description="Action taken when the rule fires.")
    severity: Severity = Field("high", description="Severity recorded for the rule.")
    monitor: bool = Field(
        False, description="Record the would-be action but let the message through."
    )


class CriticalRule(RuleSettings):
    """A rule whose default severity is critical (the incident's own failures)."""

    severity: Severity = Field("critical", description="Severity recorded for the rule.")


class VisibleRecipientsRule(RuleSettings):
    max_visible_external: int = Field(
        1, ge=1, le=100_000,
        description="Most external recipients allowed to see each other in To/Cc."
    )


class LargeAudienceRule(RuleSettings):
    severity: Severity = Field("medium", description="Severity recorded for the rule.")
    max_recipients: int = Field(
        25, ge=1, le=1_000_000, description="Most recipients in total before approval."
    )


class UnattributedSensitiveRule(RuleSettings):
    kinds: list[str] = Field(
        default_factory=lambda: [
            "CARD", "US_SSN", "UK_NINO", "CA_SIN", "PASSPORT", "PASSPORT_MRZ", "DRIVER_LICENCE",
            *national_id_kinds(),
        ],
        description="Kinds held when they match no customer and go to external recipients.",
    )


class SensitiveRequestRule(RuleSettings):
    action: Action = Field("warn", description="Action taken when the rule fires.")
    severity: Severity = Field("medium", description="Severity recorded for the rule.")
    verification_url: str | None = Field(
        None, description="Where the reason points senders instead; default: "
        "verify.public_url + /verify when that is set.",
    )


class UnreadableContentRule(RuleSettings):
    severity: Severity = Field("medium", description="Severity recorded for the rule.")
    note_kinds: list[str] = Field(
        default_factory=lambda: [
            "image_timeout", "limit_image_time", "image_bomb", "image_too_large",
            "encrypted_content", "encrypted_pdf", "encrypted_member", "zip_bomb",
            "limit_parts", "limit_depth", "limit_part_size", "limit_archive_size",
            "limit_archive_members", "internal_error", "unsupported_type", "bad_archive",
            "bad_archive_member", "unreadable_pdf", "unreadable_pdf_page", "limit_pdf_pages",
            "limit_text", "bad_office_xml", "unreadable_signature", "unreadable_msg",
            "unreadable_msg_attachment", "limit_header",
        ],
        description="Parse-note kinds that mean content went unchecked; held when going external.",
    )


class BulkSendRule(RuleSettings):
    severity: Severity = Field("medium", description="Severity recorded for the rule.")
    mode: Literal["campaign", "sender"] = Field(
        "campaign",
        description="campaign: count templates and new conversations, never one-to-one replies "
        "(docs/verdict.md); sender: every distinct external recipient of a sender counts "
        "(the earlier rule, kept for comparison).",
    )
    max_recipients: int = Field(
        200, ge=1, le=1_000_000,
        description="sender mode: distinct external recipients a sender may reach within "
        "the window."
    )
    window_seconds: int = Field(
        3600, ge=1, le=2_592_000, description="Length of the bulk-send window in seconds."
    )
    max_template_recipients: int = Field(
        10, ge=1, le=1_000_000,
        description="campaign mode: distinct external recipients one template may reach "
        "within template_window_seconds."
    )
    template_window_seconds: int = Field(
        86400, ge=1, le=2_592_000,
        description="campaign mode: window over which a template's recipients are counted."
    )
    min_new_recipients: int = Field(
        100, ge=1, le=1_000_000,
        description="campaign mode: distinct external recipients of new conversations "
        "(not one-to-one replies) a sender may reach within the window before any baseline."
    )
    baseline_factor: float = Field(
        4.0, gt=0, le=1_000,
        description="campaign mode: a sender may reach this many times its busiest window "
        "of the baseline days."
    )
    baseline_days: int = Field(
        7, ge=1, le=366,
        description="campaign mode: days of a sender's history its baseline is learned from."
    )


class Rules(Section):
    """Every rule's settings, by rule name.

    Each rule's defaults live on its class, so an empty ``[policy.rules.NAME]``
    table (as ``crossguard init`` writes) yields the documented defaults.
    """

    cross_customer: CriticalRule = Field(
        default_factory=CriticalRule,
        description="Data of a customer who is not a recipient goes to an external recipient.",
    )
    visible_recipients: VisibleRecipientsRule = Field(
        default_factory=VisibleRecipientsRule,
        description="Several external customers can see each other in To/Cc.",
    )
    large_audience: LargeAudienceRule = Field(
        default_factory=LargeAudienceRule,
        description="A message to very many recipients waits for approval.",
    )
    external_fanout: CriticalRule = Field(
        default_factory=CriticalRule,
        description="A message written outside the company is redistributed to external people.",
    )
    reply_path: CriticalRule = Field(
        default_factory=CriticalRule,
        description="Reply-To or From is a group with external members: every reply fans out.",
    )
    unattributed_sensitive: UnattributedSensitiveRule = Field(
        default_factory=UnattributedSensitiveRule,
        description="Sensitive numbers matching no customer go to external recipients.",
    )
    sensitive_request: SensitiveRequestRule = Field(
        default_factory=SensitiveRequestRule,
        description="Outbound text asks recipients to email ID documents, cards or passwords.",
    )
    unreadable_content: UnreadableContentRule = Field(
        default_factory=UnreadableContentRule,
        description="Part of the message could not be checked (time budget, encryption, limits).",
    )
    bulk_send: BulkSendRule = Field(
        default_factory=BulkSendRule,
        description="One sender mails too many distinct external recipients in a window.",
    )


class PolicySettings(Section):
    """Who is internal, who may see whose data, and the rules."""

    company_domains: list[str] = Field(
        default_factory=lambda: ["example.com"],
        description="Mail domains of the company; subdomains count too.",
    )
    directory: list[Path] = Field(
        default_factory=list,
        description="Routing directory files (groups, aliases) used to expand recipients.",
    )
    authorized_contacts: Path | None = Field(
        None,
        description="CSV of customer_id,address: addresses allowed to see that customer's data.",
    )
    monitor: bool = Field(
        False, description="Global monitor mode: record every would-be action, deliver all mail."
    )
    rules: Rules = Field(default_factory=Rules, description="Per-rule settings.")
