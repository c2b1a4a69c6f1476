"""Text diffs for playback: the splices that turn one version of a text into the next.

Pure functions over strings. A splice is (position, deleted length, inserted text). Splices are
listed last position first, and every position refers to the text before the change, so applying
them in the listed order is correct without shifting any of them.

The browser applies splices with JavaScript string slicing, which counts UTF-16 code units:
`utf16_splices` converts positions and lengths to those units (a character outside the Basic
Multilingual Plane, such as most emoji, is two of them).
"""

from __future__ import annotations

from difflib import SequenceMatcher

Splice = tuple[int, int, str]  # position, deleted length, inserted text

# A change touching no more characters than this is sent as one splice, even when it spans
# unchanged text (one keystroke, one paste): a line diff would not make it smaller.
ONE_SPLICE_CHARS = 256
_FIRST_CHUNK = 64  # characters compared at once when looking for the first difference


def common_prefix(a: str, b: str) -> int:
    """How many leading characters `a` and `b` share.

    Compares growing slices (C speed), then halves the slice that differs: a long text with
    one change near its end costs a few slice comparisons, not a Python loop per character."""
    limit = min(len(a), len(b))
    done, step = 0, _FIRST_CHUNK
    while done < limit:
        end = min(limit, done + step)
        if a[done:end] != b[done:end]:
            while end - done > 1:
                middle = (done + end) // 2
                if a[done:middle] == b[done:middle]:
                    done = middle
                else:
                    end = middle
            return done
        done, step = end, step * 2
    return limit


def common_suffix(a: str, b: str, limit: int) -> int:
    """How many trailing characters `a` and `b` share, at most `limit`."""
    la, lb = len(a), len(b)
    done, step = 0, _FIRST_CHUNK
    while done < limit:
        end = min(limit, done + step)
        if a[la - end : la - done] != b[lb - end : lb - done]:
            while end - done > 1:
                middle = (done + end) // 2
                if a[la - middle : la - done] == b[lb - middle : lb - done]:
                    done = middle
                else:
                    end = middle
            return done
        done, step = end, step * 2
    return limit


def _trimmed(position: int, old: str, new: str) -> Splice:
    """The splice replacing `old` (at `position`) by `new`, without their shared ends."""
    start = common_prefix(old, new)
    end = common_suffix(old, new, min(len(old), len(new)) - start)
    return position + start, len(old) - start - end, new[start : len(new) - end]


def _line_offsets(lines: list[str]) -> list[int]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


def splices(before: str, after: str) -> list[Splice]:
    """The splices that turn `before` into `after` (none when they are equal), last first.

    A change in one place is one splice. A change in several places (code saved every few
    seconds) is one splice per changed block of lines, so the unchanged code between them is not
    sent again. Lines keep their endings (CRLF included), so offsets are exact."""
    if before == after:
        return []
    position, deleted, inserted = _trimmed(0, before, after)
    if deleted + len(inserted) <= ONE_SPLICE_CHARS:
        return [(position, deleted, inserted)]
    old_lines = before[position : position + deleted].splitlines(keepends=True)
    new_lines = inserted.splitlines(keepends=True)
    old_at, new_at = _line_offsets(old_lines), _line_offsets(new_lines)
    out: list[Splice] = []
    opcodes = SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        old = before[position + old_at[i1] : position + old_at[i2]]
        out.append(_trimmed(position + old_at[i1], old, inserted[new_at[j1] : new_at[j2]]))
    return out[::-1]


def utf16_units(text: str) -> int:
    """The length of `text` in UTF-16 code units, as JavaScript counts it."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def utf16_splices(before: str, changes: list[Splice]) -> list[Splice]:
    """`changes` to `before` with positions and deleted lengths in UTF-16 code units."""
    if before.isascii():
        return changes
    return [
        (utf16_units(before[:position]), utf16_units(before[position : position + deleted]), inserted)
        for position, deleted, inserted in changes
    ]
