"""Who the letters and notices come from, and what the company has configured to say.

Every claim a letter makes about the company's actions is a setting: the
remediation offer, the disabled address, other measures, the contact and the
DPO contact. A setting left empty means the letter says nothing about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from crossguard.incident.settings import IncidentSettings


@dataclass(frozen=True, slots=True)
class Branding:
    """The company's configured statements (None or empty: not stated anywhere)."""

    company: str
    contact: str | None = None
    dpo_contact: str | None = None
    remediation_offer: str | None = None
    disabled_address: str | None = None
    measures: tuple[str, ...] = field(default_factory=tuple)
    language: str = "en"
    #: Per language: ``remediation_offer`` and ``measures`` reworded (never new claims).
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: IncidentSettings, *, company: str | None = None,
                      contact: str | None = None) -> Branding:
        """The settings' statements, ``company`` and ``contact`` replacing theirs when given."""
        return cls(company or settings.company_name, contact or settings.contact,
                   settings.dpo_contact, settings.remediation_offer, settings.disabled_address,
                   tuple(settings.measures), settings.language,
                   {language: texts.model_dump(exclude_none=True)
                    for language, texts in sorted(settings.translations.items())})

    def in_language(self, language: str) -> Branding:
        """These statements as the ``language`` letters quote them.

        A translation rewords a configured statement; it never adds one.
        """
        texts = self.translations.get(language, {})
        offer = texts.get("remediation_offer") if self.remediation_offer else None
        measures = texts.get("measures") if self.measures else None
        return replace(self, remediation_offer=offer or self.remediation_offer,
                       measures=tuple(measures) if measures else self.measures)

    @property
    def sender(self) -> str | None:
        """The address letters and notices come from: the contact, else the DPO."""
        return self.contact or self.dpo_contact

    def as_dict(self) -> dict[str, Any]:
        return {"company": self.company, "contact": self.contact,
                "dpo_contact": self.dpo_contact, "remediation_offer": self.remediation_offer,
                "disabled_address": self.disabled_address, "measures": list(self.measures),
                "language": self.language, "translations": self.translations}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Branding:
        return cls(str(data["company"]), _text(data.get("contact")),
                   _text(data.get("dpo_contact")), _text(data.get("remediation_offer")),
                   _text(data.get("disabled_address")),
                   tuple(str(item) for item in data.get("measures") or ()),
                   str(data.get("language") or "en"), dict(data.get("translations") or {}))


def _text(value: object) -> str | None:
    return str(value) if value else None
