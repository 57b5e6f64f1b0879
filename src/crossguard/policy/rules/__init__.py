"""The built-in rules, one module each; every rule is ``check(ctx) -> Check``."""

from __future__ import annotations

from collections.abc import Callable

from crossguard.policy.context import Check, RuleContext
from crossguard.policy.rules import (
    bulk_send,
    cross_customer,
    external_fanout,
    large_audience,
    reply_path,
    sensitive_request,
    unattributed_sensitive,
    unreadable_content,
    visible_recipients,
)

RuleFn = Callable[[RuleContext], Check]

#: Rule name -> check function, in the order they are explained.
RULES: dict[str, RuleFn] = {
    "cross_customer": cross_customer.check,
    "external_fanout": external_fanout.check,
    "reply_path": reply_path.check,
    "visible_recipients": visible_recipients.check,
    "large_audience": large_audience.check,
    "unattributed_sensitive": unattributed_sensitive.check,
    "unreadable_content": unreadable_content.check,
    "sensitive_request": sensitive_request.check,
    "bulk_send": bulk_send.check,
}
