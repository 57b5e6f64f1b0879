"""Upstream delivery: a smart host (AUTH, TLS policy) or MX per recipient domain, per route."""
