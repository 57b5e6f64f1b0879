"""Single named messages for acceptance checks across packages."""

from __future__ import annotations

from email.message import EmailMessage

from crossguard.synth import documents

STATEMENT_HTML = (
    "<html><head><style>p {margin: 0}</style></head><body>"
    "<p>Dear Ana,</p><p>your statement is attached.</p></body></html>"
)
STATEMENT_LINES = (
    "Statement for Ana Silva",
    "Phone +1 202 555 0101",
    "Email ana.silva@mail.test",
    "12 Elm Street, Springfield",
)


def statement_mail() -> bytes:
    """Care agent to a customer: an HTML body and a PDF statement with the customer's details."""
    message = EmailMessage()
    message["From"] = "Customer Care <care@example.com>"
    message["To"] = "Ben Okafor <ben.okafor@mail.test>"
    message["Subject"] = "Your statement"
    message["Message-ID"] = "<statement-1@example.com>"
    message.set_content(STATEMENT_HTML, subtype="html")
    message.add_attachment(
        documents.pdf([list(STATEMENT_LINES)]),
        maintype="application",
        subtype="pdf",
        filename="statement.pdf",
    )
    return message.as_bytes()
