"""The take-home parts of the interviewer's pages: the new-session form's window, state badges.

The form's window comes as two `datetime-local` fields (no time zone) and, when the page's
script ran, the same moments as UTC ISO strings (`opens_at_utc`, `closes_at_utc`) worked out by
the browser in the interviewer's time zone; without the script the fields are read as UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.core.errors import Invalid
from app.core.settings import Settings
from app.interviews import takehome

from .templating import templates

templates.env.globals["take_home_state"] = takehome.state
templates.env.globals["TAKE_HOME_LABELS"] = takehome.STATE_LABELS


def _moment(utc_text: str, local_text: str, label: str) -> datetime:
    text = utc_text or local_text
    if not text:
        raise Invalid(f"give the time the window {label}")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Invalid(f"the time the window {label} is not a date and time: {text[:40]!r}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass
class TakeHomeForm:
    take_home: bool
    opens_at: str
    closes_at: str
    opens_at_utc: str
    closes_at_utc: str

    @classmethod
    def parse(cls, data: Any) -> TakeHomeForm:
        return cls(
            take_home=str(data.get("take_home", "")) == "1",
            opens_at=str(data.get("opens_at", ""))[:40],
            closes_at=str(data.get("closes_at", ""))[:40],
            opens_at_utc=str(data.get("opens_at_utc", ""))[:40],
            closes_at_utc=str(data.get("closes_at_utc", ""))[:40],
        )

    def window(self, settings: Settings, duration_min: int) -> takehome.Window | None:
        """The checked window of a take-home; None for a live session."""
        if not self.take_home:
            return None
        opens = _moment(self.opens_at_utc, self.opens_at, "opens")
        closes = _moment(self.closes_at_utc, self.closes_at, "closes")
        return takehome.check_window(settings, opens, closes, duration_min)

    def as_form(self) -> dict[str, Any]:
        """What the form shows again after an error (the interviewer's own local times)."""
        return {"take_home": self.take_home, "opens_at": self.opens_at, "closes_at": self.closes_at}
