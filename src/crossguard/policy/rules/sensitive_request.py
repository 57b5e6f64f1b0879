"""sensitive_request: outbound text asks recipients to email ID documents, cards or passwords.

Asking for these by email makes customers send them in the clear, and makes a
legitimate request look like phishing: use a secure upload link. English phrasing is
read by the patterns below; every language (English included) also by the request
words of the data files (:mod:`crossguard.core.locales.requests`). Only the sender's own
text is read: a reply that quotes the customer's question, or the thread's earlier
request, asks nothing.
"""

from __future__ import annotations

import re

from crossguard.core.locales.requests import requested
from crossguard.core.locales.text import WordFinder, fold_same_length
from crossguard.policy.context import Check, RuleContext, fired, passed
from crossguard.policy.echo import own_text

_ASK = r"(?:reply|respond|send|e-?mail|attach|provide|forward|include|share)"
_DOCUMENT = (
    r"(?:photo|picture|scan|copy|image)s?\s+of\s+(?:your\s+|a\s+)?(?:\w+\s+)?"
    r"(?:driver'?s?\s+licen[cs]e|passport|(?:photo\s+)?id\b|identity\s+card|id\s+card)"
)
_SECRET = (
    r"(?:your\s+)?(?:full\s+)?(?:credit\s+card|card\s+number|password|pin\b|"
    r"social\s+security\s+number|ssn\b|cvv|security\s+code)"
)
#: Cheap test before the patterns run: most mail mentions none of these words.
KEYWORDS = ("licen", "passport", " id", "identity", "card", "password", " pin",
            "social security", "ssn", "cvv", "security code")
#: An ask word; what follows it in the same sentence is matched against each of PATTERNS.
ASK = re.compile(rf"\b{_ASK}\b", re.IGNORECASE)
#: Where an ask word can start, found in one pass over the folded text (every character
#: that matches a letter of _ASK case-insensitively folds to it): each word's start, and
#: "mail" of "e-mail" two characters in.
_ASK_WORDS = WordFinder(("reply", "respond", "send", "email", "mail", "attach", "provide",
                         "forward", "include", "share"))
PATTERNS = {
    "ID documents": re.compile(rf"[^.?!\n]{{0,80}}?\b{_DOCUMENT}", re.IGNORECASE),
    "card numbers or passwords": re.compile(rf"[^.?!\n]{{0,60}}?\b{_SECRET}", re.IGNORECASE),
}


def check(ctx: RuleContext) -> Check:
    if not ctx.author_is_internal:
        return passed("not written inside the company")
    if not ctx.external_recipients:
        return passed("no external recipient")
    asked: set[str] = set()
    for part in ctx.message.parts:
        if part.is_attachment or not part.text:
            continue
        own = own_text(part.text)
        asked.update(requested(own))
        lowered = part.text.lower()
        if not any(keyword in lowered for keyword in KEYWORDS):
            continue
        text = " ".join(own.split())
        for word, starts in _ASK_WORDS.find(fold_same_length(text)).starts.items():
            for start in starts:
                ask = ASK.match(text, start - 2 if word == "mail" else start)
                if ask is not None:
                    asked.update(what for what, pattern in PATTERNS.items()
                                 if pattern.match(text, ask.end()))
    if not asked:
        return passed("no request for documents, cards or passwords by email")
    url = ctx.settings.rules.sensitive_request.verification_url
    instead = f"a secure upload link ({url})" if url else "a secure upload link"
    return fired(
        f"the message asks recipients to email {' and '.join(sorted(asked))}: "
        f"use {instead} instead (this also looks like phishing)"
    )
