"""Page tests over the real app on SQLite (no worker: verdicts are written directly)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app
from tests.server.support import Stack, sqlite_stack

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    built = sqlite_stack(tmp_path_factory.mktemp("pages"))
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(stack: Stack) -> FastAPI:
    return create_app(stack.settings)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


class Browser:
    """A TestClient that fills forms like a browser: CSRF token from the page it came from."""

    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(app, follow_redirects=False)

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def submit(self, page_url: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
        token = csrf_of(self.client.get(page_url).text)
        return self.client.post(action, data={**data, "csrf_token": token}, **kw)

    def sign_up(self) -> str:
        email = f"page-{uuid.uuid4().hex[:8]}@example.com"
        form = {"email": email, "password": PASSWORD, "confirm": PASSWORD}
        response = self.submit("/signup", "/signup", form)
        assert response.status_code == 303, response.text
        return email


@pytest.fixture
def browser(app: FastAPI) -> Browser:
    return Browser(app)
