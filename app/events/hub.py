"""One listener per API process and bus; it wakes every open stream that follows a channel.

The listener runs on its own thread (a blocking receive on the local socket, or a redis.asyncio
pattern subscription on a private event loop) and hands each message to the subscribers' own
event loops with `call_soon_threadsafe`: a wake-up costs one loop callback, never a database
read or a thread-pool hop, and nothing runs on a timer while a stream waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .bus import REDIS_PREFIX, decode, encode

log = logging.getLogger(__name__)
READY_TIMEOUT_S = 5.0
RECONNECT_S = 1.0  # Redis down: try again this often (one task per process, not per stream)
REFETCH = {"refetch": True}  # told to every stream after a gap: read the database once


class Inbox:
    """What one stream or socket receives, on the event loop that opened it."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    def deliver(self, payload: dict[str, Any]) -> None:
        with contextlib.suppress(RuntimeError):  # that loop has closed: the stream is gone
            self.loop.call_soon_threadsafe(self.queue.put_nowait, payload)

    async def get(self, timeout_s: float) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(self.queue.get(), timeout_s)
        except TimeoutError:
            return None


class Hub:
    def __init__(self, url: str) -> None:
        self.url = url
        self.kind = "local" if url.startswith("local:") else "redis"
        self._subs: dict[str, set[Inbox]] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._started = False
        self._stopping = False
        self.connected = False
        self.received = 0
        self.delivered = 0
        self.last_error: str | None = None
        self._sock: socket.socket | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._publisher: Any = None  # a redis.asyncio client on the listener's loop
        self._path: Path | None = None

    # -- subscribers -------------------------------------------------------------------------

    async def ready(self) -> bool:
        """Start the listener (once per process) and wait until it receives."""
        self.start()
        if not self._ready.is_set():
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self._ready.wait, READY_TIMEOUT_S)
        return self._ready.is_set()

    @contextlib.contextmanager
    def subscribe(self, channel: str) -> Iterator[Inbox]:
        inbox = Inbox(channel)
        with self._lock:
            self._subs.setdefault(channel, set()).add(inbox)
        try:
            yield inbox
        finally:
            with self._lock:
                inboxes = self._subs.get(channel)
                if inboxes is not None:
                    inboxes.discard(inbox)
                    if not inboxes:
                        del self._subs[channel]

    def dispatch(self, channel: str, payload: dict[str, Any]) -> None:
        self.received += 1
        with self._lock:
            inboxes = list(self._subs.get(channel, ()))
        for inbox in inboxes:
            inbox.deliver(payload)
        self.delivered += len(inboxes)

    async def publish_async(self, channel: str, payload: dict[str, Any]) -> None:
        """Publish from a stream or socket without blocking its event loop: on the listener's
        own Redis loop, or one datagram per listening process (never blocks for long)."""
        if self.kind == "local" or self._loop is None or self._publisher is None:
            from .bus import publisher_for

            publisher_for(self.url).publish(channel, payload)
            return
        message = encode(channel, payload)
        future = asyncio.run_coroutine_threadsafe(self._publisher.publish(REDIS_PREFIX + channel, message), self._loop)
        await asyncio.wrap_future(future)

    def _refetch_all(self) -> None:
        with self._lock:
            inboxes = [i for group in self._subs.values() for i in group]
        for inbox in inboxes:
            inbox.deliver(dict(REFETCH))

    def state(self) -> dict[str, Any]:
        with self._lock:
            channels = len(self._subs)
            subscribers = sum(len(group) for group in self._subs.values())
        return {
            "kind": self.kind,
            "listening": self._started,
            "connected": self.connected,
            "channels": channels,
            "subscribers": subscribers,
            "received": self.received,
            "delivered": self.delivered,
            "error": self.last_error,
        }

    # -- the listener ------------------------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        target = self._listen_local if self.kind == "local" else self._listen_redis
        threading.Thread(target=target, name=f"event-bus-{self.kind}", daemon=True).start()

    def stop(self) -> None:
        self._stopping = True
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
        if self._path is not None:
            self._path.unlink(missing_ok=True)

    def _bind_local(self) -> socket.socket:
        folder = Path(self.url.removeprefix("local:"))
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._path = folder / f"{os.getpid()}.sock"
        self._path.unlink(missing_ok=True)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(str(self._path))
        self._path.chmod(0o600)
        return sock

    def _listen_local(self) -> None:
        try:
            self._sock = self._bind_local()
        except OSError as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.error("the local event socket cannot be bound: %s", exc)
            return
        self.connected = True
        self._ready.set()
        while not self._stopping:
            try:
                message = self._sock.recv(1 << 18)
            except OSError:
                break
            decoded = decode(message)
            if decoded is not None:
                self.dispatch(*decoded)
        self.connected = False

    def _listen_redis(self) -> None:
        asyncio.run(self._redis_loop())

    async def _redis_loop(self) -> None:
        import redis.asyncio as aioredis

        gap = False
        self._loop = asyncio.get_running_loop()
        self._publisher = aioredis.Redis.from_url(self.url)
        while not self._stopping:
            client = aioredis.Redis.from_url(self.url)
            try:
                pubsub = client.pubsub()
                await pubsub.psubscribe(REDIS_PREFIX + "*")
                self.connected, self.last_error = True, None
                self._ready.set()
                if gap:
                    self._refetch_all()  # messages sent while disconnected are in the database
                async for message in pubsub.listen():
                    if message.get("type") == "pmessage":
                        decoded = decode(message["data"])
                        if decoded is not None:
                            self.dispatch(*decoded)
            except Exception as exc:
                self.connected, gap = False, True
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("event bus connection lost (%s); reconnecting", self.last_error)
                await asyncio.sleep(RECONNECT_S)
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()


_hubs: dict[tuple[int, str], Hub] = {}
_hubs_lock = threading.Lock()


def hub_for(url: str) -> Hub:
    key = (os.getpid(), url)
    with _hubs_lock:
        if key not in _hubs:
            _hubs[key] = Hub(url)
        return _hubs[key]


def stop_all() -> None:
    """At process exit: close the listeners and remove this process's sockets."""
    with _hubs_lock:
        keys = [key for key in _hubs if key[0] == os.getpid()]
        hubs = [_hubs.pop(key) for key in keys]  # a later app in this process starts afresh
    for hub in hubs:
        hub.stop()

