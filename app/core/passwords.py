"""Argon2 off the event loop, a bounded number at a time.

Each hash or verification takes about 64 MiB and tens of milliseconds of CPU. The request
handlers await them on a small dedicated pool: the event loop keeps serving other requests,
and a flood of logins queues here instead of holding one 64 MiB buffer per server thread.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from .security import hash_password, verify_password


class PasswordPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")

    async def hash(self, password: str) -> str:
        return await asyncio.wrap_future(self._executor.submit(hash_password, password))

    async def verify(self, password: str, password_hash: str | None) -> bool:
        return await asyncio.wrap_future(self._executor.submit(verify_password, password, password_hash))
