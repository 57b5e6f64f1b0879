"""What bulk_send counts: one-to-one replies, and a message's template fingerprint.

A mail merge changes names, numbers and dates between copies; the wording
stays. The template fingerprint keeps the wording: the sender's own text
(quoted lines and the quoted-reply tail dropped) and the subject (``Re:`` and
``Fwd:`` dropped), with every word holding a digit folded to ``#`` and every
capitalised word to ``^`` (names, streets, the greeting's addressee), hashed.
"""

from __future__ import annotations

import re
from hashlib import blake2b

from crossguard.core.locales.text import WordSplitter
from crossguard.message.model import Message

_WORD = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*")
_words = WordSplitter(_WORD, "'.-")
_PREFIX = re.compile(r"^(?:\s*(?:re|fwd?|aw|wg|sv|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
#: Lines that start the quoted copy of the message being answered.
_QUOTE_HEAD = re.compile(
    r"^(?:On .{0,200} wrote:|-{2,} ?Original Message ?-{2,}|From: .+)$", re.IGNORECASE
)
#: The characters a quote head can start with (a cheap test before the pattern).
_QUOTE_HEAD_FIRST = frozenset("OoFf-")
#: Characters of own text fingerprinted (a template is recognisable by its start).
MAX_CHARS = 4000


def is_one_to_one_reply(message: Message, external_recipients: int) -> bool:
    """A reply within a conversation (In-Reply-To or References) to one external recipient."""
    return external_recipients == 1 and (
        message.in_reply_to is not None or bool(message.references)
    )


def own_text(text: str) -> str:
    """``text`` without quoted lines and without the quoted copy below a reply."""
    kept: list[str] = []
    size = 0
    for line in text.splitlines():
        stripped = line.strip()
        if stripped[:1] in _QUOTE_HEAD_FIRST and _QUOTE_HEAD.match(stripped):
            break
        if stripped.startswith(">"):
            continue
        kept.append(stripped)
        size += len(stripped)
        if size >= MAX_CHARS:
            break
    return "\n".join(kept)


def _fold(text: str) -> str:
    words = []
    for word in _words(text):
        if not word.isalpha() and any(map(str.isdigit, word)):
            words.append("#")
        elif word[0].isupper() and not word.isupper():
            words.append("^")
        else:
            words.append(word.lower())
    return " ".join(words)


def template_key(message: Message) -> str:
    """A fingerprint shared by the copies of one template, whoever they are addressed to."""
    body = next(
        (part.text for part in message.parts if not part.is_attachment and part.text), ""
    )
    subject = _PREFIX.sub("", message.subject or "")
    attachments = sorted(part.content_type for part in message.parts if part.is_attachment)
    folded = f"{_fold(subject)}\n{_fold(own_text(body))}\n{' '.join(attachments)}"
    # Lone surrogates (raw bytes the parser escaped, in a Content-Type say) are hashed too.
    return blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def recipient_token(address: str) -> str:
    """How a recipient is kept in the bulk-send counter: a hash, never the address."""
    return blake2b(address.lower().encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
