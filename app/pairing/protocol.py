"""The y-protocols messages a browser may send on a document socket, parsed strictly.

A message is `varUint(type)` and a body (lib0 encoding: unsigned LEB128 integers, byte arrays
and strings prefixed by their length):

- SYNC (0): `varUint(step)` then one byte array: step 1 carries a state vector, step 2 and
  update carry a Yjs update;
- AWARENESS (1): one byte array holding `varUint(count)` entries of
  `varUint(client id) varUint(clock) varString(JSON state or "null")`.

Anything else (another type, a truncated field, bytes left over, an oversized or non-object
state) raises `BadMessage`; the socket closes on it. The Yjs update itself is checked when the
server's copy of the document applies it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pycrdt import write_var_uint

SYNC, AWARENESS = 0, 1
STEP1, STEP2, UPDATE = 0, 1, 2
MAX_AWARENESS_BYTES = 4096  # a cursor, a selection and a name; nothing else travels this way
MAX_AWARENESS_ENTRIES = 4
_MAX_UINT_BYTES = 8  # 56 bits: Yjs client ids and clocks stay under 2**53


class BadMessage(ValueError):
    pass


class Reader:
    """Reads lib0-encoded fields and refuses anything truncated or malformed."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def uint(self) -> int:
        value, shift = 0, 0
        for _ in range(_MAX_UINT_BYTES):
            if self.pos >= len(self.data):
                raise BadMessage("truncated number")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
        raise BadMessage("number too long")

    def blob(self) -> bytes:
        length = self.uint()
        if length > len(self.data) - self.pos:
            raise BadMessage("truncated byte array")
        start, self.pos = self.pos, self.pos + length
        return self.data[start : self.pos]

    def string(self) -> str:
        try:
            return self.blob().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadMessage("a string that is not UTF-8") from exc

    def done(self) -> None:
        if self.pos != len(self.data):
            raise BadMessage("bytes after the message")


def blob(data: bytes) -> bytes:
    return write_var_uint(len(data)) + data


@dataclass(frozen=True)
class SyncStep1:
    """The sender's state vector: answer with what it lacks."""

    state_vector: bytes


@dataclass(frozen=True)
class DocUpdate:
    """A Yjs update (a sync step 2 or a live update): changes to the document."""

    update: bytes


@dataclass(frozen=True)
class AwarenessEntry:
    client: int
    clock: int
    state: dict[str, Any] | None  # None: that client has left


@dataclass(frozen=True)
class AwarenessUpdate:
    entries: list[AwarenessEntry]


Message = SyncStep1 | DocUpdate | AwarenessUpdate


def parse(message: bytes, max_bytes: int) -> Message:
    """One browser message, or `BadMessage`."""
    if len(message) > max_bytes:
        raise BadMessage(f"a message over {max_bytes} bytes")
    reader = Reader(message)
    kind = reader.uint()
    parsed: Message
    if kind == SYNC:
        step = reader.uint()
        body = reader.blob()
        if step == STEP1:
            parsed = SyncStep1(body)
        elif step in (STEP2, UPDATE):
            parsed = DocUpdate(body)
        else:
            raise BadMessage(f"unknown sync step {step}")
    elif kind == AWARENESS:
        parsed = parse_awareness(reader.blob())
    else:
        raise BadMessage(f"unknown message type {kind}")
    reader.done()
    return parsed


def parse_awareness(body: bytes) -> AwarenessUpdate:
    if len(body) > MAX_AWARENESS_BYTES:
        raise BadMessage("an awareness update over its size limit")
    reader = Reader(body)
    count = reader.uint()
    if not 1 <= count <= MAX_AWARENESS_ENTRIES:
        raise BadMessage("an awareness update with too many entries")
    entries = []
    for _ in range(count):
        client, clock = reader.uint(), reader.uint()
        try:
            state = json.loads(reader.string())
        except ValueError as exc:
            raise BadMessage("an awareness state that is not JSON") from exc
        if state is not None and not isinstance(state, dict):
            raise BadMessage("an awareness state that is not an object")
        entries.append(AwarenessEntry(client, clock, state))
    reader.done()
    return AwarenessUpdate(entries)


def encode_awareness(entries: list[AwarenessEntry]) -> bytes:
    body = write_var_uint(len(entries))
    for entry in entries:
        state = json.dumps(entry.state, separators=(",", ":"))
        body += write_var_uint(entry.client) + write_var_uint(entry.clock) + blob(state.encode())
    return bytes([AWARENESS]) + blob(body)


def sync_message(step: int, body: bytes) -> bytes:
    return bytes([SYNC, step]) + blob(body)


def state_vector_clocks(state_vector: bytes) -> dict[int, int]:
    """{client id: number of its items} from an encoded Yjs state vector."""
    reader = Reader(state_vector)
    clocks = {}
    for _ in range(reader.uint()):
        client = reader.uint()
        clocks[client] = reader.uint()
    reader.done()
    return clocks


def covers(state_vector: bytes, other: bytes) -> bool:
    """Whether a document at `state_vector` holds every item a document at `other` holds."""
    mine = state_vector_clocks(state_vector)
    return all(mine.get(client, 0) >= clock for client, clock in state_vector_clocks(other).items())


def split_snapshot(snapshot: bytes) -> tuple[bytes, bytes]:
    """A Yjs snapshot (`Y.encodeSnapshot`: the delete set, then the state vector) as an update
    that makes only those deletions, and the state vector. A state vector counts inserted items
    only: a document that lacks a deletion has the same one, so the deletions travel apart."""
    reader = Reader(snapshot)
    for _ in range(reader.uint()):
        reader.uint()  # the client id
        for _ in range(reader.uint()):
            reader.uint()  # the first deleted clock
            reader.uint()  # how many
    deletions = write_var_uint(0) + snapshot[: reader.pos]  # an update with no new items
    state_vector = snapshot[reader.pos :]
    state_vector_clocks(state_vector)  # refuses a malformed one
    return deletions, state_vector
