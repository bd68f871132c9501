"""Fault injection rules for the Bot API stand-in."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FAULT_KINDS", "Fault", "FaultInjector"]

FAULT_KINDS = frozenset({"retry_after", "server_error", "forbidden", "bad_request", "delay"})
_STATUS_PHRASES = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class Fault:
    """One injection rule; ``times=None`` means unlimited, ``probability`` gates each match."""

    method: str = "*"
    kind: str = "server_error"
    chat_id: int | str | None = None
    times: int | None = 1
    probability: float = 1.0
    seed: int | None = None
    retry_after: int = 1
    status: int | None = None
    description: str | None = None
    seconds: float = 0.0
    fired: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Validate the rule and seed its private random generator."""
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        self._rng = random.Random(self.seed)

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        """Whether this rule applies to a call (ignores ``times`` and ``probability``)."""
        if self.method != "*" and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    @property
    def exhausted(self) -> bool:
        """True once the rule has fired ``times`` times."""
        return self.times is not None and self.fired >= self.times

    def http_status(self) -> int:
        """HTTP status code this fault answers with (0 for delay)."""
        defaults = {"retry_after": 429, "server_error": 502, "forbidden": 403, "bad_request": 400}
        return self.status or defaults.get(self.kind, 0)

    def error_description(self) -> str:
        """Telegram-style error description for this fault."""
        if self.description:
            return self.description
        if self.kind == "retry_after":
            return f"Too Many Requests: retry after {self.retry_after}"
        if self.kind == "forbidden":
            return "Forbidden: bot was blocked by the user"
        if self.kind == "bad_request":
            return "Bad Request: injected fault"
        return _STATUS_PHRASES.get(self.http_status(), "Internal Server Error")

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly view (for the HTTP control API)."""
        return {
            "method": self.method,
            "kind": self.kind,
            "chat_id": self.chat_id,
            "times": self.times,
            "probability": self.probability,
            "fired": self.fired,
        }


class FaultInjector:
    """Ordered list of fault rules; the first applicable rule fires."""

    def __init__(self) -> None:
        """Start with no rules."""
        self.rules: list[Fault] = []

    def add(self, method: str = "*", kind: str = "server_error", **options: Any) -> Fault:
        """Add a rule (see ``Fault`` for options) and return it."""
        fault = Fault(method=method, kind=kind, **options)
        self.rules.append(fault)
        return fault

    def clear(self) -> None:
        """Remove all rules."""
        self.rules.clear()

    def take(self, method: str, chat_id: int | str | None) -> Fault | None:
        """Return the fault to apply to this call, consuming one of its ``times``."""
        for fault in self.rules:
            if fault.exhausted or not fault.matches(method, chat_id):
                continue
            if fault.probability < 1.0 and fault._rng.random() >= fault.probability:
                continue
            fault.fired += 1
            return fault
        return None
