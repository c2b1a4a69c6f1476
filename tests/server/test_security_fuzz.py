"""API fuzzing: schemathesis generates requests from the app's own OpenAPI schema, valid and
invalid, for every operation; none may answer with a server error (5xx).

Covered: every operation in /openapi.json (accounts, questions and their admin API, submissions,
interviews and the candidate link API, health), called as the admin token (so role checks pass
and the handlers themselves run) with a bounded number of examples per operation. Left out: the
server-sent event streams, which stay open until a verdict that never comes without a worker.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error

from app.main import create_app

from .support import Stack, postgres_stack, sqlite_stack

ADMIN_TOKEN = "fuzz-admin-token-" + "z" * 32
EXAMPLES_PER_OPERATION = 25  # about a minute for the whole schema on one core


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def fuzz_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    # Rate limits on, as in production: a 429 is an answer, not a failure. Both databases:
    # their integer ranges differ (PostgreSQL ids are 32-bit).
    values = {"admin_token": SecretStr(ADMIN_TOKEN), "rate_limits": True}
    make = sqlite_stack if request.param == "sqlite" else postgres_stack
    built = make(tmp_path_factory.mktemp(f"fuzz-{request.param}"), **values)
    yield built
    built.close()


def _operations(app: object) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex=r"/events$")
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation: schemathesis.APIOperation) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,  # the same examples on every machine, no stored failures between runs
        derandomize=True,
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, checks=[not_a_server_error])

    run()


def test_no_operation_answers_with_a_server_error(fuzz_stack: Stack) -> None:
    operations = _operations(create_app(fuzz_stack.settings))
    assert len(operations) >= 20, "the whole API is in the schema"
    failures = []
    for operation in operations:
        try:
            _fuzz(operation)
        except Exception as exc:  # every operation is tried; all failures are reported together
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
