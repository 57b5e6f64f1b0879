"""The milter's decision on one message: check it, record it, answer the MTA.

allow and warn continue (the MTA delivers); a hold is committed to the
encrypted quarantine first and then discarded (the client sees the MTA's
250, the MTA never delivers) or refused with ``550 5.7.1 <reason>
(quarantine <id>)`` when ``milter.hold_action = "reject"``; reject answers
``550 5.7.1`` with the rule's public reason. The milter cannot rewrite a
message, so ``redact`` is held (fail closed). Any error or timeout answers
``451 4.7.0`` with an incident id: the MTA keeps the message with the client,
which retries.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Executor
from functools import partial

from crossguard.gateway.checker import Checker
from crossguard.gateway.handler import incident_reply
from crossguard.gateway.metrics import MailMetrics
from crossguard.gateway.milter import protocol as p
from crossguard.gateway.milter.session import Transaction
from crossguard.gateway.reasons import deciding_rules, sender_reason
from crossguard.gateway.settings import MilterSettings
from crossguard.policy.verdict import Verdict
from crossguard.store.store import Store

log = logging.getLogger("crossguard.milter")

#: The verdict actions the milter acts on, and what each becomes.
ACTIONS = {"allow": "allow", "warn": "allow", "redact": "quarantine",
           "quarantine": "quarantine", "reject": "reject"}


class MilterDecider:
    """Checks a finished transaction and returns the end-of-message reply packet."""

    def __init__(self, checker: Checker, store: Store, settings: MilterSettings,
                 check_pool: Executor, metrics: MailMetrics) -> None:
        self.metrics = metrics
        self.checker = checker
        self.store = store
        self.settings = settings
        self._check_pool = check_pool
        self.actor = f"milter:{store.instance}"

    async def __call__(self, message: Transaction) -> bytes:
        queue_id = message.macros.get("i", "-")
        if message.size > self.settings.max_message_bytes:
            log.info("milter %s: refused, %d bytes over the check limit", queue_id,
                     message.size)
            return p.reply_code("552 5.3.4 message too big to be checked")
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        raw = message.raw()
        try:
            verdict = await self._check(raw, message)
            action = ACTIONS[verdict.action]
            quarantine_id = await loop.run_in_executor(None, partial(
                self.store.record, verdict, raw, mail_from=message.mail_from,
                rcpts=message.rcpts, actor=self.actor, event=f"message.{action}",
                action=action))
        except Exception as error:  # fail closed: the MTA answers 451, the client retries
            self.metrics.decided("error")
            return p.reply_code(incident_reply("milter end-of-message", error))
        rules = deciding_rules(verdict) if action != "allow" else []
        self.metrics.decided(verdict.action, rules if action == "quarantine" else ())
        log.info("milter %s: %s%s%s (%.0f ms)", queue_id, action,
                 f" rules={','.join(rules)}" if rules else "",
                 f" quarantine={quarantine_id}" if quarantine_id else "",
                 (time.perf_counter() - started) * 1000)
        if action == "allow":
            return p.encode(p.CONTINUE)
        reason = sender_reason(verdict)
        if action == "reject":
            return p.reply_code(f"550 5.7.1 message refused by policy: {reason}")
        if self.settings.hold_action == "reject":
            return p.reply_code(f"550 5.7.1 {reason} (quarantine {quarantine_id})")
        return p.encode(p.DISCARD)

    async def _check(self, raw: bytes, message: Transaction) -> Verdict:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._check_pool, lambda: self.checker.check(
            raw, mail_from=message.mail_from, rcpts=message.rcpts))
        started = time.perf_counter()
        verdict = await asyncio.wait_for(future, self.settings.check_timeout_seconds)
        self.metrics.checked(time.perf_counter() - started)
        return verdict
