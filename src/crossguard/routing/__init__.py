"""Routing directory readers and the routing audit.

The policy engine uses :class:`Directory` to expand groups, lists and aliases;
``crossguard routing audit`` reports configurations that fan mail out to
external recipients.
"""

from __future__ import annotations

from crossguard.routing.directory import Directory, Expansion
from crossguard.routing.model import Group, Problem

__all__ = ["Directory", "Expansion", "Group", "Problem"]
