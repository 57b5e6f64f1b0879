"""What bulk_send counts: one-to-one replies, and a message's template fingerprint.

A mail merge changes names, numbers and dates between copies; the wording
stays. The template fingerprint keeps the wording: the sender's own text
(:func:`crossguard.policy.echo.own_text`: quotes dropped, any language) and the
subject (``Re:`` and ``Fwd:`` dropped), with every word holding a digit folded to
``#`` and every capitalised word to ``^`` (names, streets, the greeting's
addressee), hashed.
"""

from __future__ import annotations

import re
from hashlib import blake2b

from crossguard.core.locales.text import WordSplitter
from crossguard.message.model import Message
from crossguard.policy.echo import own_text

_WORD = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*")
_words = WordSplitter(_WORD, "'.-")
_PREFIX = re.compile(r"^(?:\s*(?:re|fwd?|aw|wg|sv|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
#: Characters of own text fingerprinted (a template is recognisable by its start).
MAX_CHARS = 4000


def is_one_to_one_reply(message: Message, external_recipients: int) -> bool:
    """A reply within a conversation (In-Reply-To or References) to one external recipient."""
    return external_recipients == 1 and (
        message.in_reply_to is not None or bool(message.references)
    )


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
    folded = f"{_fold(subject)}\n{_fold(own_text(body)[:MAX_CHARS])}\n{' '.join(attachments)}"
    # Lone surrogates (raw bytes the parser escaped, in a Content-Type say) are hashed too.
    return blake2b(folded.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def recipient_token(address: str) -> str:
    """How a recipient is kept in the bulk-send counter: a hash, never the address."""
    return blake2b(address.lower().encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()
