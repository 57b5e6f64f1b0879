"""unreadable_content: part of the message could not be checked, so it is not let out unchecked."""

from __future__ import annotations

from crossguard.policy.context import Check, RuleContext, fired, passed


def check(ctx: RuleContext) -> Check:
    if not ctx.external_recipients:
        return passed("no external recipient")
    kinds = set(ctx.settings.rules.unreadable_content.note_kinds)
    notes = [note for note in ctx.message.notes if note.kind in kinds]
    if not notes:
        return passed("every part was read")
    where = ", ".join(sorted({f"{note.kind} at {note.part or 'message'}" for note in notes})[:5])
    return fired(f"content could not be fully checked: {where}")
