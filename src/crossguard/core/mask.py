"""Masked renderings of identifiers: enough to recognise, never enough to reuse."""

from __future__ import annotations


def mask_middle(value: str, keep_start: int = 0, keep_end: int = 4, fill: str = "*") -> str:
    """Keep the first ``keep_start`` and last ``keep_end`` alphanumerics, mask the rest.

    Separators (spaces, dashes, dots) stay in place so the shape is readable.
    Short values are masked more aggressively so that at least half is hidden.
    """
    alnum = [i for i, ch in enumerate(value) if ch.isalnum()]
    total = len(alnum)
    while keep_start + keep_end > total // 2 and (keep_start or keep_end):
        if keep_start >= keep_end and keep_start:
            keep_start -= 1
        else:
            keep_end -= 1
    visible = set(alnum[:keep_start]) | set(alnum[total - keep_end :] if keep_end else [])
    return "".join(ch if (i in visible or not ch.isalnum()) else fill for i, ch in enumerate(value))


def mask_email(address: str) -> str:
    """``john.doe@example.com`` -> ``j***@example.com``."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_middle(address, 1, 0)


def mask_card(digits: str) -> str:
    """``4111111111111111`` -> ``4111 **** **** 1111``."""
    middle = len(digits) - 8
    groups = [digits[:4], *(["****"] * max(1, (middle + 3) // 4)), digits[-4:]]
    return " ".join(groups)


def mask_name(name: str) -> str:
    """``Jane Smith`` -> ``J*** S****``."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in name.split())
