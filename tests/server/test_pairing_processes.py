"""One shared document across two real API processes (the bus relays its updates), and after
one of them restarts (the stored log rebuilds it). On the embedded stack and on PostgreSQL +
Redis."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from .support import Stack
from .test_pairing import NEW, Editor
from .test_two_processes import ApiProcess, _interviewer

pytestmark = pytest.mark.slow


def test_one_document_spans_both_processes_and_outlives_a_restart(stack: Stack, tmp_path: Path) -> None:
    started: list[ApiProcess] = []

    def start(name: str) -> ApiProcess:
        started.append(ApiProcess(stack, tmp_path / f"{name}.log"))
        return started[-1].wait_ready()

    try:
        first, second = start("first"), start("second")
        starter, token = _edit_on_both(stack, first, second)
        first.stop()
        restarted = start("restarted")  # a new process: nothing in memory, only the stored log
        again_url = f"ws://127.0.0.1:{restarted.port}/api/interview/{token}/doc/softmax"
        with connect(again_url, open_timeout=10) as socket:
            assert Editor.over(socket).sync() == starter + "# from the first process\n# from the second\n"
    finally:
        for process in started:
            process.stop()


def _edit_on_both(stack: Stack, first: ApiProcess, second: ApiProcess) -> tuple[str, str]:
    """The candidate on one process and the interviewer on the other type in turn."""
    headers = _interviewer(stack, first.url)
    created = httpx.post(f"{first.url}/api/interviews", json=NEW, headers=headers).json()
    session_id, token = created["id"], created["candidate_token"]
    bearer = {"Authorization": headers["Authorization"]}
    candidate_url = f"ws://127.0.0.1:{first.port}/api/interview/{token}/doc/softmax"
    interviewer_url = f"ws://127.0.0.1:{second.port}/api/interviews/{session_id}/doc/softmax"
    with connect(candidate_url, open_timeout=10) as cws, connect(interviewer_url, additional_headers=bearer) as iws:
        ada, boss = Editor.over(cws), Editor.over(iws)
        starter = ada.sync()
        assert boss.sync() == starter
        ada.type("# from the first process\n")
        boss.wait_text(lambda text: text.endswith("# from the first process\n"))
        boss.type("# from the second\n")
        ada.wait_text(lambda text: text.endswith("# from the second\n"))
        ada.sync()  # stored before the process goes away
    return starter, str(token)
