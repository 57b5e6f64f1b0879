"""``HOST:PORT`` as one settings type: parsed once, validated with the field's name.

A bracketed IPv6 host (``[::1]:25``) loses its brackets; an empty host
(``:8025``) means 127.0.0.1. The port is required (0 asks the OS for a free one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError


@dataclass(frozen=True, slots=True)
class HostPort:
    """A listen or connect address."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> HostPort:
        """``"host:port"`` as a HostPort; ValueError naming the expectation otherwise."""
        host, sep, port = text.strip().rpartition(":")
        if not sep or not port.isascii() or not port.isdigit() or int(port) > 65535:
            raise ValueError(f"expected HOST:PORT, got {text!r}")
        host = host.strip("[]")
        if any(char.isspace() for char in host):
            raise ValueError(f"expected HOST:PORT, got {text!r}")
        return cls(host or "127.0.0.1", int(port))

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _validate(value: Any) -> HostPort:
    if isinstance(value, HostPort):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("host_port", "expected HOST:PORT as a string")
    try:
        return HostPort.parse(value)
    except ValueError as error:
        raise PydanticCustomError("host_port", str(error)) from None


#: The settings field type: a TOML string ``"HOST:PORT"`` in, a :class:`HostPort` out.
HostPortField = Annotated[
    HostPort,
    PlainValidator(_validate),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^.*:\d{1,5}$"}),
]
