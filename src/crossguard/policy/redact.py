"""The redact action: a copy of the MIME message with every finding masked.

Text parts keep their place with each matched value replaced by its masked
rendering; an attachment (or nested message) holding findings is replaced by
a short text notice. Parts are matched to the parser's by their IMAP-style
section number (``1``, ``1.2``...), the first segment of a part path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

from crossguard.core.finding import Finding
from crossguard.message.model import Message

NOTICE = (
    "crossguard removed the attachment {name!r}: it held personal data ({kinds}). "
    "Ask the sender to share it through the secure upload link.\n"
)


def _leaves(entity: EmailMessage, prefix: str = "") -> Iterator[tuple[str, EmailMessage]]:
    """(section, leaf) pairs in the parser's numbering; message/* parts count as leaves."""
    if not entity.is_multipart() or entity.get_content_maintype() == "message":
        yield prefix or "1", entity
        return
    for number, child in enumerate(entity.iter_parts(), start=1):
        section = f"{prefix}.{number}" if prefix else str(number)
        yield from _leaves(child, section)  # type: ignore[arg-type]


def redact_message(raw: bytes, message: Message, findings: list[Finding]) -> bytes:
    """The redacted MIME bytes for ``raw`` given its parsed ``message`` and ``findings``."""
    by_section: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_section[finding.part.split("/", 1)[0]].append(finding)
    texts = {part.path: part.text for part in message.parts}
    entity = message_from_bytes(raw, policy=default_policy)
    assert isinstance(entity, EmailMessage)
    for section, leaf in _leaves(entity):
        found = by_section.get(section)
        if not found:
            continue
        whole_part = all(finding.part == section for finding in found)
        if leaf.get_content_maintype() == "text" and not leaf.is_attachment() and whole_part:
            _mask_text(leaf, found, texts.get(section, ""))
        else:
            _replace_with_notice(leaf, found)
    return entity.as_bytes()


def _mask_text(leaf: EmailMessage, found: list[Finding], extracted: str) -> None:
    content = leaf.get_content()
    originals = {extracted[f.start : f.end]: f.masked for f in found if f.end > f.start}
    for original in sorted(originals, key=len, reverse=True):
        content = content.replace(original, originals[original])
    leaf.set_content(content, subtype=leaf.get_content_subtype())


def _replace_with_notice(leaf: EmailMessage, found: list[Finding]) -> None:
    name = leaf.get_filename() or leaf.get_content_type()
    kinds = ", ".join(sorted({finding.kind for finding in found}))
    leaf.set_content(NOTICE.format(name=name, kinds=kinds), disposition="attachment",
                     filename=f"{name}.removed.txt")
