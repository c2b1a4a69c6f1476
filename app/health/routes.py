"""GET /api/health and GET /metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from app.core.deps import DatabaseDep

from . import metrics
from .service import health

router = APIRouter(tags=["health"])


@router.get("/api/health")
def get_health(database: DatabaseDep) -> JSONResponse:
    """Database, broker and the workers seen in the last minute; 503 if a part is down. `live`:
    this process's open streams and sockets and its event bus listener."""
    ok, body = health(database)
    return JSONResponse(_jsonable(body), status_code=200 if ok else 503)


@router.get("/metrics", include_in_schema=False)
def get_metrics(request: Request) -> Response:
    return Response(metrics.render(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)


def _jsonable(body: dict) -> dict:
    from fastapi.encoders import jsonable_encoder

    return dict(jsonable_encoder(body))
