"""How alike two pieces of Python code are, by winnowing (Schleimer, Wilkerson and Aiken, 2003).

The code is reduced to tokens that survive cosmetic edits: comments and whitespace go, string
and number literals become one token each, and local names become one placeholder, so renamed
variables and reformatting change nothing. Keywords, operators, builtins, the usual framework
module names and attribute names (`.softmax`, `.sum`) are kept, since they are what the code
does. Every run of `k` tokens is hashed; of each window of `w` consecutive hashes the minimum
is kept (the rightmost on a tie). Two codes are compared by their sets of kept hashes.

Pure functions, no I/O: the report calls them on code it already has.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
from collections.abc import Iterable

K = 5  # tokens per k-gram: shorter runs than this are too common to mean anything
W = 4  # window: any match of K + W - 1 tokens or more is guaranteed to be found

_TOKEN = re.compile(
    r'(?P<str>[rRbBuUfF]{0,2}(?:"""[\s\S]*?(?:"""|$)|\'\'\'[\s\S]*?(?:\'\'\'|$)'
    r'|"(?:\\.|[^"\\\n])*"?|\'(?:\\.|[^\'\\\n])*\'?))'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<num>(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)"
    r"|(?P<op>\*\*=?|//=?|->|:=|<<=?|>>=?|[-+*/%@&|^=<>!]=|[^\s\w])"
)
_KEPT_NAMES = (
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | {name for name in dir(builtins) if not name.startswith("_")}
    | {"torch", "nn", "F", "functional", "jax", "jnp", "lax", "np", "numpy", "math", "optax", "flax", "vmap", "jit"}
)
PLACEHOLDER = "V"


def tokens(code: str) -> list[str]:
    """The normalised token stream of `code` (also for code that does not parse yet)."""
    out: list[str] = []
    previous = ""
    for match in _TOKEN.finditer(code):
        kind = match.lastgroup
        text = match.group()
        if kind == "comment":
            continue
        if kind == "str":
            token = "S"
        elif kind == "num":
            token = "N"
        elif kind == "name":
            token = text if text in _KEPT_NAMES or previous == "." else PLACEHOLDER
        else:
            token = text
        out.append(token)
        previous = token
    return out


def _hash(gram: Iterable[str]) -> int:
    digest = hashlib.blake2b("\x1f".join(gram).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def fingerprints(code: str, k: int = K, w: int = W) -> set[int]:
    """The winnowed fingerprints of `code`: an empty set for code without tokens."""
    stream = tokens(code)
    if not stream:
        return set()
    if len(stream) < k:
        return {_hash(stream)}
    hashes = [_hash(stream[i : i + k]) for i in range(len(stream) - k + 1)]
    if len(hashes) <= w:
        return {min(hashes)}
    kept: set[int] = set()
    for start in range(len(hashes) - w + 1):
        # The paper keeps the rightmost minimum with its position; only the set of hashes is
        # compared here, so the minimum's value is all that is kept.
        kept.add(min(hashes[start : start + w]))
    return kept


def jaccard(a: set[int], b: set[int]) -> float:
    """Shared over all (|A & B| / |A | B|): 1.0 for the same fingerprints, 0.0 when either side is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: set[int], b: set[int]) -> float:
    """|A & B| / |A|: how much of `a` is found in `b`."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def similarity(code_a: str, code_b: str, *, base: str = "") -> float:
    """Jaccard similarity of the two codes' fingerprints, leaving out those of `base` (the
    starter code every candidate is given), rounded to three places."""
    common = fingerprints(base) if base else set()
    return round(jaccard(fingerprints(code_a) - common, fingerprints(code_b) - common), 3)
