"""The baseline for bench_api.py: a bare FastAPI endpoint with no database and no middleware."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/bare")
def bare() -> dict[str, bool]:
    return {"ok": True}
