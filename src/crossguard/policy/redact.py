"""The redact action: a copy of the MIME message with every finding masked.

Text parts keep their place with each matched value replaced by its masked
rendering, in an HTML part also where its markup carries it (a link's address, an
``alt`` text, a comment, a data attribute); an attachment (or nested message)
holding findings is replaced by a short text notice. Parts are matched to the
parser's by their IMAP-style section number (``1``, ``1.2``...), the first segment
of a part path. A free-text header field (``Subject``, ``X-Customer-Note``,
``Received``) is masked the same way in its place; a structured one (addresses,
message ids, dates, MIME fields) is left as it is, so the copy's re-check finds it
and the message is held.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from email import message_from_bytes
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from crossguard.core.finding import Finding
from crossguard.message.fields import ID_HEADERS
from crossguard.message.headers import decode_words, unfold
from crossguard.message.model import Message

_REGISTRY = HeaderRegistry()
#: Fields of a text part read from its own content (an HTML part's markup): masked in it.
_CONTENT_FIELDS = ("/links", "/unseen")
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
    texts = {part.path: part.text for part in [*message.parts, *message.fields]}
    entity = message_from_bytes(raw, policy=default_policy)
    assert isinstance(entity, EmailMessage)
    for section, leaf in _leaves(entity):
        found = by_section.get(section)
        if not found:
            continue
        in_content = {section, *(section + name for name in _CONTENT_FIELDS)}
        whole_part = all(finding.part in in_content for finding in found)
        if leaf.get_content_maintype() == "text" and not leaf.is_attachment() and whole_part:
            _mask_text(leaf, found, texts)
        else:
            _replace_with_notice(leaf, found)
    _mask_fields(entity, message, findings)
    return entity.as_bytes()


def _mask_fields(entity: EmailMessage, message: Message, findings: list[Finding]) -> None:
    """Mask the findings of the free-text header fields in place (each field keeps its
    position; a field holding none keeps its source form)."""
    by_field: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.part in message.field_positions:
            by_field[finding.part].append(finding)
    fields: list[tuple[str, Any]] = list(entity.raw_items())
    texts = {part.path: part.text for part in message.fields}
    changed = False
    for path, found in by_field.items():
        position = message.field_positions[path]
        if position >= len(fields):
            continue
        name, value = fields[position]
        if not _free_text(name):
            continue
        whole = decode_words(unfold(value, len(str(value))))
        masked = _masked(whole, found, texts)
        if masked != whole:
            fields[position] = (name, default_policy.header_factory(name, masked))
            changed = True
    if changed:
        for name in {name for name, _ in fields}:
            del entity[name]
        for name, value in fields:
            entity.set_raw(name, value)


def _free_text(name: str) -> bool:
    """A field whose value is plain text to the header registry, and no message id."""
    lower = name.lower()
    return (issubclass(_REGISTRY.registry.get(lower, _REGISTRY.default_class), UnstructuredHeader)
            and lower not in ID_HEADERS)


def _masked(content: str, found: list[Finding], texts: dict[str, str]) -> str:
    """``content`` with every value the findings matched masked (each finding's span is of
    the text ``texts`` holds for its part)."""
    originals = {texts.get(f.part, "")[f.start : f.end]: f.masked for f in found}
    originals.pop("", None)
    for original in sorted(originals, key=len, reverse=True):
        content = content.replace(original, originals[original])
    return content


def _mask_text(leaf: EmailMessage, found: list[Finding], texts: dict[str, str]) -> None:
    content = _masked(leaf.get_content(), found, texts)
    leaf.set_content(content, subtype=leaf.get_content_subtype())


def _replace_with_notice(leaf: EmailMessage, found: list[Finding]) -> None:
    name = leaf.get_filename() or leaf.get_content_type()
    kinds = ", ".join(sorted({finding.kind for finding in found}))
    leaf.set_content(NOTICE.format(name=name, kinds=kinds), disposition="attachment",
                     filename=f"{name}.removed.txt")
