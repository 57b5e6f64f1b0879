"""Settings for incident scoping, and what the letters may say.

Every statement a letter makes about the company's actions is one of these
settings; an empty one is left out of the letters, never filled in.
"""

from __future__ import annotations

from pydantic import Field

from crossguard.settings_base import Section


class LetterTexts(Section):
    """The configured statements reworded for one letter language (never new claims)."""

    remediation_offer: str | None = Field(
        None, description="The remediation offer in this language (used only when "
        "incident.remediation_offer is set).")
    measures: list[str] | None = Field(
        None, description="The measures in this language (used only when incident.measures "
        "is set).")


class IncidentSettings(Section):
    """Who the letters come from, what they may promise, and how a scan runs."""

    company_name: str = Field("Example Corp", description="Company name used in letters.")
    contact: str | None = Field(
        None, description="Where affected people write with questions (letters' From); "
        "unset: the letters give no contact.")
    dpo_contact: str | None = Field(
        None, description="The data protection officer's contact, in letters and the "
        "Art. 33 draft; unset: not mentioned.")
    remediation_offer: str | None = Field(
        None, description="What the company offers affected people, in words (e.g. 'one year "
        "of identity-theft protection at no cost'); unset: no offer in the letters.")
    disabled_address: str | None = Field(
        None, description="The mail address that redistributed the messages and has been "
        "disabled; unset: the letters do not say an address was disabled.")
    measures: list[str] = Field(
        default_factory=list, description="Other measures taken, one sentence each, for the "
        "letters and the Art. 33 draft; empty: none are claimed.")
    language: str = Field("en", description="Letter language when neither the contacts file "
                          "nor the customer's country chooses one (en, de, es).")
    translations: dict[str, LetterTexts] = Field(
        default_factory=dict, description="The offer and measures reworded per letter language "
        "([incident.translations.de]); a language without one quotes them as configured.")
    workers: int = Field(2, ge=1, le=1_024, description="Dask workers for a local scan.")
    batch_size: int = Field(
        250, ge=1, le=1_000_000, description="Messages shipped to a Dask worker per task."
    )
    connect_timeout: float = Field(
        20.0, gt=0, le=3_600, description="Seconds to wait for a --scheduler before giving up."
    )
