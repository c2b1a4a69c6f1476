"""Playback diffs: every snapshot is rebuilt exactly from the first text and the steps, applied
the way the browser applies them (UTF-16 slicing), for any text; coalescing keeps the code at
every run and stays within the limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.interviews.playback import CodeSnapshot, build_playback, playback_json, select_snapshots
from app.interviews.playback_diff import common_prefix, common_suffix, splices

from .replay import replay

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def history_of(texts: list[str], role: str = "candidate") -> list[CodeSnapshot]:
    return [CodeSnapshot(T0 + timedelta(seconds=i), role, text) for i, text in enumerate(texts)]


def distinct(texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        if not out or out[-1] != text:
            out.append(text)
    return out


# Text from every corner that trips position arithmetic: CRLF and lone CR, emoji (two UTF-16
# units), combining marks, a lone surrogate, other line separators, NUL.
SPECIAL = ["\r\n", "\r", "\u00e9", "e\u0301", "\U0001f600", "\U0001d518", "\u4e2d", "\u2028", "\x00", "\ud800"]
ALPHABET = st.sampled_from([*"ab \n\t(x)=", *SPECIAL])
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


@st.composite
def edit_sequences(draw: Any) -> list[str]:
    """A first text, then edits of it: insertions, deletions and replacements anywhere."""
    text = draw(TEXTS)
    texts = [text]
    for _ in range(draw(st.integers(0, 12))):
        chars = list(text)
        start = draw(st.integers(0, len(chars)))
        end = draw(st.integers(start, len(chars)))
        inserted = draw(st.lists(ALPHABET, max_size=8))
        text = "".join(chars[:start] + inserted + chars[end:])
        texts.append(text)
    return texts


@settings(max_examples=300, deadline=None)
@given(edit_sequences())
def test_every_snapshot_is_rebuilt_from_the_steps(texts: list[str]) -> None:
    data = build_playback(history_of(texts), [], T0)
    assert replay(data) == distinct(texts)
    assert data["coalesced"] is None


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_any_two_texts(before: str, after: str) -> None:
    data = build_playback(history_of([before, after]), [], T0)
    assert replay(data)[-1] == after


LINES = ["a = 1\r\n", "b = 2\n", "\u00e9\U0001f600 = 3\n", "pass\n", "return x\r\n"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=40, max_size=80), st.data())
def test_edits_in_several_places_of_long_code(lines: list[str], data: Any) -> None:
    """Long code changed in scattered lines goes the line-diff way; still exact."""
    after = list(lines)
    for _ in range(data.draw(st.integers(2, 6))):
        replacement = data.draw(st.sampled_from(["c = 3\n", "", "x\U0001f600\r\n", "zz\n\n"]))
        after[data.draw(st.integers(0, len(after) - 1))] = replacement
    before_text, after_text = "".join(lines), "".join(after)
    steps = build_playback(history_of([before_text, after_text]), [], T0)
    assert replay(steps)[-1] == after_text


def test_one_keystroke_is_one_small_splice() -> None:
    code = "def softmax(x):\n    return x\n" * 50
    typed = code[:400] + "y" + code[400:]
    assert splices(code, typed) == [(400, 0, "y")]
    assert splices(typed, code) == [(400, 1, "")]
    assert splices(code, code) == []


def test_changes_in_two_places_send_only_those_lines() -> None:
    lines = [f"line_{i} = {i}\r\n" for i in range(100)]
    changed = list(lines)
    changed[3], changed[90] = "line_3 = 'three'\r\n", "line_90 = 90.0\r\n"
    found = splices("".join(lines), "".join(changed))
    assert len(found) == 2 and found[0][0] > found[1][0]  # last position first
    assert sum(len(inserted) for _, _, inserted in found) < 20  # not the 87 lines between
    data = build_playback(history_of(["".join(lines), "".join(changed)]), [], T0)
    assert replay(data)[-1] == "".join(changed)


def test_positions_count_utf16_units_as_javascript_does() -> None:
    before = "😀😀 = 1\n"
    [frame] = build_playback(history_of([before, before + "x"]), [], T0)["frames"]
    assert frame[2:] == [9, 0, "x"]  # two emoji are four units, then five for " = 1\n"
    [frame] = build_playback(history_of(["é😀b", "é😀"]), [], T0)["frames"]
    assert frame[2:] == [3, 1, ""]


def test_common_ends_of_long_texts() -> None:
    long = "x" * 10_000
    assert common_prefix(long, long + "y") == 10_000
    assert common_prefix(long[:5000] + "a" + long, long[:5000] + "b" + long) == 5000
    assert common_suffix("a" + long, "b" + long, 10_000) == 10_000
    assert common_suffix(long, long, 3) == 3


def test_steps_carry_time_and_role() -> None:
    history = [
        CodeSnapshot(T0, "starter", "def f():\n    pass\n"),
        CodeSnapshot(T0 + timedelta(seconds=2.5), "candidate", "def f():\n    return 1\n"),
        CodeSnapshot(T0 + timedelta(seconds=2.6), "candidate", "def f():\n    return 1\n"),  # saved again
        CodeSnapshot(T0 + timedelta(seconds=4), "interviewer", "def f():\n    return 2\n"),
    ]
    data = build_playback(history, [], T0)
    assert data["initial"] == "def f():\n    pass\n"
    assert [(f[0], data["roles"][f[1]]) for f in data["frames"]] == [(2500, "candidate"), (4000, "interviewer")]


def _run(at_s: float, number: int) -> dict[str, Any]:
    return {"number": number, "kind": "run", "at": T0 + timedelta(seconds=at_s), "status": "wrong_answer"}


def test_markers_point_at_the_code_of_their_run() -> None:
    texts = ["", "a", "ab", "abc", "abcd"]
    data = build_playback(history_of(texts), [_run(2, 1), _run(3.5, 2)], T0)
    steps = replay(data)
    first, second = data["markers"]
    assert steps[first["step"]] == "ab" and first["t"] == 2000 and "at" not in first
    assert steps[second["step"]] == "abc" and second["number"] == 2


def test_a_long_history_is_coalesced_keeping_every_run() -> None:
    texts = ["x" * i for i in range(1000)]
    runs = [_run(s, n) for n, s in enumerate((10, 333, 334, 777), start=1)]
    data = build_playback(history_of(texts), runs, T0, max_frames=50)
    steps = replay(data)
    assert len(data["frames"]) <= 50 and steps[-1] == texts[-1] and steps[0] == ""
    assert data["coalesced"] == {"snapshots": 999, "steps": len(data["frames"])}
    assert [steps[m["step"]] for m in data["markers"]] == ["x" * 10, "x" * 333, "x" * 334, "x" * 777]
    times = [f[0] for f in data["frames"]]
    assert times == sorted(times) and times[-1] == 999_000


def test_the_response_size_is_bounded() -> None:
    # Every save rewrites all of the code: 400 snapshots of 8 KiB each.
    texts = [f"{i}\n" * 4000 for i in range(400)]
    data = build_playback(history_of(texts), [_run(200, 1)], T0, max_bytes=256 * 1024)
    size = sum(len(json.dumps(f)) for f in data["frames"])
    assert size <= 256 * 1024 and data["coalesced"] is not None
    steps = replay(data)
    assert steps[-1] == texts[-1] and steps[data["markers"][0]["step"]] == texts[200]


def test_select_snapshots_keeps_ends_and_pinned() -> None:
    assert select_snapshots(history_of(["a", "b"]), set(), 5) == [0, 1]
    chosen = select_snapshots(history_of([str(i) for i in range(100)]), {17, 42}, 6)
    assert len(chosen) == 6 and {0, 17, 42, 99} <= set(chosen)
    # More runs than fit: they are thinned evenly, the ends stay.
    chosen = select_snapshots(history_of([str(i) for i in range(100)]), set(range(1, 99)), 4)
    assert len(chosen) == 4 and chosen[0] == 0 and chosen[-1] == 99


def test_empty_history() -> None:
    data = build_playback([], [_run(1, 1)], T0)
    assert data["initial"] == "" and data["frames"] == [] and data["markers"][0]["step"] == 0


def test_the_body_survives_a_lone_surrogate() -> None:
    """JSON (and the browser) take a lone surrogate that a draft may hold; UTF-8 cannot."""
    data = build_playback(history_of(["x = '\ud800'\n", "x = '\ud800!'\n"]), [], T0)
    body = playback_json(data)
    assert json.loads(body) == data and body.isascii()
    assert playback_json({"initial": "\u00e9t\u00e9"}) == '{"initial":"\u00e9t\u00e9"}'.encode()
