"""Applying playback steps the way app/static/js/playback.js does: splices on UTF-16 code units."""

from __future__ import annotations

from typing import Any


def apply_frame(text: str, frame: list[Any]) -> str:
    """One step: `[t, role, position, deleted, inserted, ...]`, splices applied in order."""
    units = text.encode("utf-16-le", errors="surrogatepass")
    for i in range(2, len(frame), 3):
        position, deleted, inserted = frame[i], frame[i + 1], frame[i + 2]
        assert position >= 0 and position + deleted <= len(units) // 2, (frame, len(units))
        start, end = 2 * position, 2 * (position + deleted)
        units = units[:start] + inserted.encode("utf-16-le", errors="surrogatepass") + units[end:]
    return units.decode("utf-16-le", errors="surrogatepass")


def replay(data: dict[str, Any]) -> list[str]:
    """The text after each step, starting with the initial text."""
    texts = [data["initial"]]
    for frame in data["frames"]:
        texts.append(apply_frame(texts[-1], frame))
    return texts
