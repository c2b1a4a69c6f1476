"""Publishing to the bus, from any process (API, grading worker, reaper), after a commit.

Two transports, one message shape (`{"c": channel, "e": payload}` as JSON):

- Redis pub/sub (`DOJO_EVENTS_URL`, or the broker when it is Redis): every API process, on any
  host, holds one pattern subscription on `dojo:*`.
- Local sockets (the embedded default, one machine): each API process binds one Unix datagram
  socket under `<data dir>/events/`; a publisher sends each message to every socket there. The
  grading worker is a separate process, so an in-process queue alone would never reach the API;
  a datagram socket per listening process costs nothing while idle, wakes the listener the moment
  a message arrives (no timer, unlike watching the SQLite file), and fans out to every process of
  `dojo serve --workers N`. The folder is private to the data dir's owner (0700).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import tempfile
import threading
from pathlib import Path
from typing import Any

from app.core.settings import Settings

log = logging.getLogger(__name__)
REDIS_PREFIX = "dojo:"
# Under the default socket buffer (208 KiB); a larger payload travels as a notice, and the
# stream reads that event from the database.
MAX_DATAGRAM = 180_000
# A listener's queue holds few datagrams (net.unix.max_dgram_qlen); its thread drains them at
# once, so a send waits only if that process is stuck, and then not for long.
SEND_TIMEOUT_S = 2.0
_SUN_PATH_MAX = 100


def bus_url(settings: Settings) -> str:
    """`redis://...` or `local:<socket folder>`."""
    if settings.events_url:
        return settings.events_url
    if settings.broker_url.startswith(("redis://", "rediss://")):
        return settings.broker_url
    return f"local:{socket_dir(settings.data_dir)}"


def socket_dir(data_dir: Path) -> Path:
    """The folder of listening sockets; a short one under /tmp when the data dir's path is too
    long for a Unix socket address."""
    folder = data_dir / "events"
    if len(str(folder)) + 12 > _SUN_PATH_MAX:
        digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
        folder = Path(tempfile.gettempdir()) / f"dojo-events-{digest}"
    return folder


def encode(channel: str, payload: dict[str, Any]) -> bytes:
    message = json.dumps({"c": channel, "e": payload}, separators=(",", ":"), default=str).encode()
    if len(message) > MAX_DATAGRAM:
        # Only what a stream needs to fetch the event itself.
        notice = {"id": payload.get("id"), "type": payload.get("type"), "refetch": True}
        message = json.dumps({"c": channel, "e": notice}).encode()
    return message


def decode(message: bytes) -> tuple[str, dict[str, Any]] | None:
    try:
        body = json.loads(message)
        channel, payload = body["c"], body["e"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(channel, str) or not isinstance(payload, dict):
        return None
    return channel, payload


class LocalPublisher:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sock.settimeout(SEND_TIMEOUT_S)
        self._lock = threading.Lock()

    def publish(self, channel: str, payload: dict[str, Any]) -> None:
        message = encode(channel, payload)
        try:
            targets = [p for p in self.folder.iterdir() if p.suffix == ".sock"]
        except FileNotFoundError:
            return  # no API process is listening yet: streams replay from the database on open
        with self._lock:
            for target in targets:
                self._send(target, message)

    def _send(self, target: Path, message: bytes) -> None:
        try:
            self._sock.sendto(message, str(target))
        except (ConnectionRefusedError, FileNotFoundError):
            target.unlink(missing_ok=True)  # its process is gone
        except OSError as exc:
            log.warning("event not delivered to %s: %s", target.name, exc)


class RedisPublisher:
    def __init__(self, url: str) -> None:
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def publish(self, channel: str, payload: dict[str, Any]) -> None:
        self._client.publish(REDIS_PREFIX + channel, encode(channel, payload))


_publishers: dict[tuple[int, str], LocalPublisher | RedisPublisher] = {}
_publishers_lock = threading.Lock()


def publisher_for(url: str) -> LocalPublisher | RedisPublisher:
    """One publisher per process and bus (a forked worker child makes its own)."""
    key = (os.getpid(), url)
    with _publishers_lock:
        if key not in _publishers:
            local = url.startswith("local:")
            _publishers[key] = LocalPublisher(Path(url.removeprefix("local:"))) if local else RedisPublisher(url)
        return _publishers[key]


def publish(settings: Settings, channel: str, payload: dict[str, Any]) -> None:
    """Send one committed event; a failure is logged, never raised (the data is stored, and a
    stream that reconnects replays it from the database)."""
    try:
        publisher_for(bus_url(settings)).publish(channel, payload)
    except Exception:
        log.exception("publishing to %s failed", channel)
