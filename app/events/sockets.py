"""Opening a room or document socket: authorise once, count it against the caps, or refuse it
with a status.

Authorisation runs once, on a worker thread with its own short session, before the socket is
accepted. A room socket touches the database no more; a document socket (`app.pairing`) stores
the edits it accepts.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio
from fastapi.responses import JSONResponse
from starlette.websockets import WebSocket

from app.core.database import Database
from app.core.errors import DojoError

from .limits import Lease, registry_for
from .room import POLICY_VIOLATION, same_origin, serve_room

Authorise = Callable[[Database], tuple[int, str]]  # -> (interview id, cap owner); raises DojoError
Grant = TypeVar("Grant")


async def refuse(websocket: WebSocket, error: DojoError) -> None:
    """An HTTP answer to the handshake where the server can send one, else a policy close."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(JSONResponse(error.to_json(), status_code=error.status_code))
    else:
        await websocket.close(POLICY_VIOLATION)


async def open_socket(
    websocket: WebSocket,
    authorise: Callable[[Database], tuple[Grant, str]],
    serve: Callable[[Grant, Lease], Awaitable[None]],
) -> None:
    """Same origin, authorised (a grant and the cap owner), counted against the caps: served."""
    database: Database = websocket.app.state.database
    if not same_origin(websocket):
        await websocket.close(POLICY_VIOLATION)
        return
    try:
        grant, owner = await anyio.to_thread.run_sync(authorise, database)
        lease = registry_for(database.settings).acquire("socket", owner)
    except DojoError as error:
        await refuse(websocket, error)
        return
    await serve(grant, lease)


async def open_room(websocket: WebSocket, role: str, authorise: Authorise) -> None:
    settings = websocket.app.state.database.settings

    async def serve(interview_id: int, lease: Lease) -> None:
        await serve_room(websocket, settings, interview_id, role, lease)

    await open_socket(websocket, authorise, serve)
