"""customer_fanout: an address anyone outside can mail that redistributes to customers.

The incident's support alias needed no configuration to be dangerous: mail
from outside reached it and it expanded to customers. With a customer index
the audit counts the external recipients that are customers; without one, an
address redistributing to more than ``routing.max_external_members`` external
recipients is assumed to reach customers.
"""

from __future__ import annotations

from collections.abc import Callable

from crossguard.routing.directory import Directory
from crossguard.routing.model import Group

#: Is this address a customer's? (the index's email lookup)
CustomerCheck = Callable[[str], bool]

#: Who may post to a group such that mail from outside the company gets in: anyone,
#: or its members when some of them are external.
_OPEN_TO_OUTSIDE = ("anyone", "members")


def receives_external_mail(group: Group) -> bool:
    """An alias accepts mail from anyone; a group when anyone (or its external members) may post."""
    return group.kind == "alias" or group.who_can_post in _OPEN_TO_OUTSIDE


def customer_fanout(
    directory: Directory, group: Group, external: frozenset[str],
    is_customer: CustomerCheck | None, max_external: int,
) -> str | None:
    """Why ``group`` fans outside mail out to customers (a detail line), or None."""
    if not external or not receives_external_mail(group):
        return None
    if is_customer is not None:
        customers = sum(1 for address in external if is_customer(address))
        if not customers:
            return None
        return (f"mail from outside the company reaches {customers} customer(s) of the index "
                f"among its {len(external)} external recipients")
    if len(external) <= max_external:
        return None
    return (f"mail from outside the company reaches {len(external)} external recipients "
            f"(more than routing.max_external_members = {max_external}; give --index to "
            "match them against customers)")
