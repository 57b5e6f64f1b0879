"""Letters: only configured claims, every section in plain language, per language, addressed."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from crossguard.errors import ConfigError
from crossguard.incident.branding import Branding
from crossguard.incident.contacts import Contact, read_contacts
from crossguard.incident.graph import build_graph
from crossguard.incident.letters import (
    NO_CONTACTS_FILE,
    NO_EMAIL,
    environment,
    language_for,
    letter,
    render_letters,
)
from crossguard.incident.residence import Residence
from crossguard.incident.worker import Hit, Outcome

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ISSUED = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
EVIDENCE = (("DRIVER_LICENCE", "M*****16"), ("PERSON_NAME", "A** L**"),
            ("PHONE", "+1 ***-***-3222"))
OUTCOMES = [
    Outcome(0, "a#0", "<m0@x>", DAY, "ann@yahoo.com",
            tuple(Hit("C1", r, EVIDENCE) for r in ("x@gmail.com", "y@corp.org")), None, True),
    Outcome(1, "a#1", "<m1@x>", DAY + timedelta(hours=1), "ann@yahoo.com",
            (Hit("C1", "x@gmail.com", EVIDENCE), Hit("C2", "z@gmail.com", EVIDENCE[2:])),
            None, True),
]
CODE = "IDP-0001"
#: What each configurable claim looks like in each language: absent unless configured.
CLAIMS = {
    "en": {"contact": "Write to", "dpo_contact": "data protection officer",
           "remediation_offer": "We offer you", "disabled_address": "has been disabled",
           "code": "enrollment code"},
    "de": {"contact": "Schreiben Sie an", "dpo_contact": "Datenschutzbeauftragte",
           "remediation_offer": "Wir bieten Ihnen", "disabled_address": "wurde abgeschaltet",
           "code": "Anmeldecode"},
    "es": {"contact": "Escriba a", "dpo_contact": "delegado de protección de datos",
           "remediation_offer": "Le ofrecemos", "disabled_address": "ha sido desactivada",
           "code": "código de inscripción"},
}
#: Sections every letter has, whatever is configured (what happened, which data,
#: consequences, what was done, what the person can do).
SECTIONS = {
    "en": ("WHAT HAPPENED", "WHICH OF YOUR DATA", "WHAT THIS COULD MEAN FOR YOU",
           "WHAT WE HAVE DONE", "WHAT YOU CAN DO"),
    "de": ("WAS IST PASSIERT?", "WELCHE IHRER DATEN?", "WAS DAS FÜR SIE BEDEUTEN KANN",
           "WAS WIR GETAN HABEN", "WAS SIE TUN KÖNNEN"),
    "es": ("QUÉ HA PASADO", "QUÉ DATOS SUYOS", "QUÉ PUEDE SIGNIFICAR PARA USTED",
           "QUÉ HEMOS HECHO", "QUÉ PUEDE HACER USTED"),
}
VALUES = {"contact": "help@shop.example", "dpo_contact": "dpo@shop.example",
          "remediation_offer": "two years of credit monitoring",
          "disabled_address": "list@shop.example"}
MEASURE = "Replies to the list now go to the care team only."
INVENTED = ("identity-theft protection", "identity theft protection", "one year",
            "ein Jahr", "un año", "privacy@example.com")


def _render(branding: Branding, contact: Contact, language: str) -> EmailMessage:
    customer = build_graph(OUTCOMES).affected()[0]
    return letter(customer, contact, branding=branding, language=language, issued_at=ISSUED,
                  env=environment())


@pytest.mark.parametrize("language", sorted(CLAIMS))
def test_every_configured_and_unconfigured_combination(language: str) -> None:
    names = [*VALUES, "measures", "code"]
    for flags in itertools.product((False, True), repeat=len(names)):
        on = dict(zip(names, flags, strict=True))
        branding = Branding("Shop", *(VALUES[name] if on[name] else None for name in VALUES),
                            measures=(MEASURE,) if on["measures"] else (), language=language)
        message = _render(branding, Contact("c1@mail.example", CODE if on["code"] else None),
                          language)
        body = message.get_content()
        label = f"{language} {sorted(name for name in names if on[name])}"
        for section in SECTIONS[language]:
            assert section in body, f"{label}: no {section!r}"
        for name in VALUES:
            assert (CLAIMS[language][name] in body) == on[name], f"{label}: {name}"
            assert (VALUES[name] in body) == on[name], f"{label}: {name} value"
        assert (MEASURE in body) == on["measures"], label
        quoted = on["code"] and on["remediation_offer"]
        assert (CODE in body) == quoted, f"{label}: a code only with a configured offer"
        assert (CLAIMS[language]["code"] in body) == quoted, label
        addresses = {found.rstrip(".") for found in re.findall(r"[\w.+-]+@[\w.-]+", body)}
        assert addresses <= {VALUES[name] for name in VALUES if on[name]}, label
        assert not [phrase for phrase in INVENTED if phrase in body], label
        sender = branding.contact or branding.dpo_contact
        assert message["From"] == (f"Shop <{sender}>" if sender else None), label
        assert message["To"] == "c1@mail.example" and message["Date"] and message["Message-ID"]
        assert message["Content-Language"] == language


def test_plain_language_content_of_the_english_letter() -> None:
    body = _render(Branding("Shop", "help@shop.example"), Contact("c1@mail.example"),
                   "en").get_content()
    assert "On 2 March 2026, 2 email messages" in body
    assert "reached 2 other\npeople" in body
    assert "Your driving licence number, name, phone number." in body
    assert "driving licence number M*****16" in body
    assert "identity theft" in body and "credit freeze" in body and "phishing" in body


def test_language_from_contact_column_then_country_then_default() -> None:
    assert language_for(Contact(language="es"), Residence("DE"), "en") == "es"
    assert language_for(Contact(language="fr"), Residence("DE"), "en") == "de"
    assert language_for(Contact(), Residence("MX"), "en") == "es"
    assert language_for(Contact(), Residence("US", "TX"), "de") == "en"
    assert language_for(Contact(), Residence("FR"), "de") == "de"
    assert language_for(Contact(), Residence(), "xx") == "en"


def test_no_unaddressed_letter_is_written() -> None:
    affected = build_graph(OUTCOMES).affected()
    branding = Branding("Shop", "help@shop.example")
    none = render_letters(affected, None, {}, branding=branding, issued_at=ISSUED,
                          env=environment())
    assert none.files == {} and none.missing == [("C1", NO_CONTACTS_FILE),
                                                 ("C2", NO_CONTACTS_FILE)]
    some = render_letters(affected, {"C1": Contact("c1@mail.example", language="de"),
                                     "C2": Contact(country="ES")},
                          {"C1": Residence("ES")}, branding=branding, issued_at=ISSUED,
                          env=environment())
    assert list(some.files) == ["C1.eml"] and some.missing == [("C2", NO_EMAIL)]
    assert some.missing_csv() == f"customer_id,reason\nC2,{NO_EMAIL}\n"
    german = message_from_bytes(some.files["C1.eml"], policy=default)
    assert german["To"] == "c1@mail.example" and german["Content-Language"] == "de"
    assert "Zwischen dem 02.03.2026" not in german.get_content()  # type: ignore[attr-defined]
    assert "Am 02.03.2026 erreichten 2 E-Mails" in german.get_content()  # type: ignore[attr-defined]
    again = render_letters(affected, {"C1": Contact("c1@mail.example", language="de")}, {},
                           branding=branding, issued_at=ISSUED, env=environment())
    assert again.files == some.files, "the same options give the same bytes"


def test_contacts_file_columns_and_a_bad_email_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("customer_id,email,language,country,state\n"
                    "C1,c1@mail.example,DE,,\nC2,,,mx,\nC3,,,,tx\n", encoding="utf-8")
    contacts = read_contacts(path)
    assert contacts["C1"] == Contact("c1@mail.example", None, "de")
    assert contacts["C2"].residence == Residence("MX") and contacts["C2"].email is None
    assert contacts["C3"].residence == Residence("US", "TX")
    path.write_text("customer_id,email\nC1,c1@mail.example\nC2,Jane Secret-Person\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_contacts(path)
    assert str(caught.value) == f"{path}: line 3: the email column is not an email address"


def test_translations_reword_configured_claims_and_add_none() -> None:
    translations = {"de": {"remediation_offer": "zwei Jahre Kreditüberwachung",
                           "measures": ["Antworten an die Liste gehen nur noch an uns."]}}
    branding = Branding("Shop", remediation_offer="two years of credit monitoring",
                        measures=(MEASURE,), translations=translations)
    german = _render(branding, Contact("c1@mail.example"), "de").get_content()
    english = _render(branding, Contact("c1@mail.example"), "en").get_content()
    spanish = _render(branding, Contact("c1@mail.example"), "es").get_content()
    assert "Wir bieten Ihnen zwei Jahre Kreditüberwachung." in german
    assert "Antworten an die Liste gehen nur noch an uns." in german and MEASURE not in german
    assert "We offer you two years of credit monitoring." in english and MEASURE in english
    assert "Le ofrecemos two years of credit monitoring." in spanish, "quoted as configured"
    unclaimed = _render(Branding("Shop", translations=translations),
                        Contact("c1@mail.example"), "de").get_content()
    assert "Kreditüberwachung" not in unclaimed and "Antworten an die Liste" not in unclaimed
