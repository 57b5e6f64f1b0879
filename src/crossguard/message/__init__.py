"""bytes -> Message: MIME walk, parties, attachment text extractors."""

from __future__ import annotations

from crossguard.message.model import Message, ParseNote, Part
from crossguard.message.parse import parse_message, parse_outlook_msg
from crossguard.message.settings import ImageSettings, ParseLimits

__all__ = [
    "ImageSettings",
    "Message",
    "ParseLimits",
    "ParseNote",
    "Part",
    "parse_message",
    "parse_outlook_msg",
]
