"""docs/benchmarks.md section for bench/care_day.py: a care desk's day, before and after."""

from __future__ import annotations

from typing import Any

from common import markdown_table

MODE_TITLES = {"campaign": "campaign (default)", "sender": "sender (before issue 16)"}


def render_care_day(result: dict[str, Any]) -> list[str]:
    """The outcome per bulk_send mode, and the false holds by rule."""
    sizes = result["sizes"]
    modes = result["modes"]
    rows = [[MODE_TITLES.get(mode, mode), r["replies"], r["false_holds"],
             f"{r['false_hold_rate_pct']:.3f}%", f"{r['leaks_held']}/{r['leaks']}",
             f"{r['campaign_held']}/{r['campaign']}", r["campaign_delivered_before_first_hold"],
             r["messages_per_s"], r["p50_ms"], r["p99_ms"]] for mode, r in modes.items()]
    rule_rows = [[MODE_TITLES.get(mode, mode), rule, count]
                 for mode, r in modes.items()
                 for rule, count in (r["false_holds_by_rule"].items() or [("(none)", 0)])]
    checks = ", ".join(f"{name}: {'pass' if ok else 'FAIL'}"
                       for name, ok in result["acceptance"].items())
    return [
        f"{result['agents']} agents answer {result['distinct_customers_answered']:,} distinct "
        f"customers with {sizes['replies']:,} one-to-one replies over {result['hours']} "
        f"simulated hours (clock injected), {result['shared_address_share']:.0%} of them from "
        "one shared care address, each quoting the customer's own order ids, a marketplace "
        "order number, IMEI and serial number, UPS/USPS/FedEx tracking numbers, address, "
        "phone and card last four, with the customer's message quoted. Among them: "
        f"{sizes['leaks']} real leaks (another customer's phone and address, order id and "
        "IMEI, card number, licence number, or a forwarded message) and one ID-request "
        f"campaign, a mail merge from the shared address to {sizes['campaign']:,} customers. "
        f"Index of {sizes['customers']:,} customers; default configuration; the same day "
        "checked with `bulk_send` in each mode (in-process counter). "
        "\"Campaign sent before hold\" is how many copies went out before the first was "
        "held (each with a `sensitive_request` warning).",
        "",
        markdown_table(["bulk_send", "replies", "false holds", "rate", "leaks held",
                        "campaign held", "campaign sent before hold", "msg/s", "p50 ms",
                        "p99 ms"], rows),
        "",
        "False holds of ordinary replies, by rule:",
        "",
        markdown_table(["bulk_send", "rule", "replies held"], rule_rows),
        "",
        f"Acceptance (campaign mode): {checks}.",
    ]
