"""Opening a room socket: authorise once, count it against the caps, or refuse it with a status.

Authorisation runs once, on a worker thread with its own short session, before the socket is
accepted; nothing touches the database while the socket stays open.
"""

from __future__ import annotations

from collections.abc import Callable

import anyio
from fastapi.responses import JSONResponse
from starlette.websockets import WebSocket

from app.core.database import Database
from app.core.errors import DojoError

from .limits import registry_for
from .room import POLICY_VIOLATION, same_origin, serve_room

Authorise = Callable[[Database], tuple[int, str]]  # -> (interview id, cap owner); raises DojoError


async def refuse(websocket: WebSocket, error: DojoError) -> None:
    """An HTTP answer to the handshake where the server can send one, else a policy close."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(JSONResponse(error.to_json(), status_code=error.status_code))
    else:
        await websocket.close(POLICY_VIOLATION)


async def open_room(websocket: WebSocket, role: str, authorise: Authorise) -> None:
    database: Database = websocket.app.state.database
    if not same_origin(websocket):
        await websocket.close(POLICY_VIOLATION)
        return
    try:
        interview_id, owner = await anyio.to_thread.run_sync(authorise, database)
        lease = registry_for(database.settings).acquire("socket", owner)
    except DojoError as error:
        await refuse(websocket, error)
        return
    await serve_room(websocket, database.settings, interview_id, role, lease)
