"""What both terminal interfaces share: reading a date typed by a person, and the one error for
a malformed argument or field."""

from __future__ import annotations

from datetime import date, datetime, time

from ..core.errors import RepseError
from ..core.inputs import momento
from ..core.plazos import MX


class UsageError(RepseError):
    """A malformed command-line argument or dialog field (message in Spanish)."""


def parse_instant(text: str, what: str) -> datetime:
    """ISO 8601 date or date-time; without an offset it is Mexico City time; a bare date is
    the start of that day."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), tzinfo=MX)
        at = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what}: fecha no válida «{text}» (AAAA-MM-DD o AAAA-MM-DDTHH:MM)"
                         ) from None
    try:
        return momento(at)  # the inputs' own rule: Mexico City, within the admitted range
    except RepseError as exc:
        raise UsageError(f"{what}: {exc}") from None


def now() -> datetime:
    """The real present in Mexico City (operation stores; the core never reads the clock)."""
    return datetime.now(MX)
