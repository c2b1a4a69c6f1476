"""A kept runner loads new code: what the previous load held must go with it, even though
calls run with the garbage collector paused."""

from __future__ import annotations

import gc
import sys
import types
from collections.abc import Iterator

import pytest

from workers.grading.harness.main import Runner

HOLDS_A_RESOURCE = """
import sys, weakref

class Resource:  # a stand-in for a process group: a cycle keeps it alive until collected
    pass

resource = Resource()
resource.self = resource
weakref.finalize(resource, sys.modules["_reload_probe"].released.append, "first load")

def entry():
    return resource
"""


class NoGuards:
    """The runner's framework adapter, as far as loading code needs one."""

    def install_guards(self, forbidden_ops: list[str]) -> None:
        assert forbidden_ops == []


class Probe(types.ModuleType):
    """Where the loaded code reports that its resource was released."""

    def __init__(self) -> None:
        super().__init__("_reload_probe")
        self.released: list[str] = []


@pytest.fixture
def probe() -> Iterator[Probe]:
    sys.modules["_reload_probe"] = probe = Probe()
    gc.collect()
    gc.disable()  # as during a call: only the runner's own collection may release anything
    try:
        yield probe
    finally:
        gc.enable()
        del sys.modules["_reload_probe"]


def test_loading_again_releases_what_the_previous_load_held(probe: Probe) -> None:
    runner = Runner(NoGuards())  # type: ignore[arg-type]
    assert runner.load({"code": HOLDS_A_RESOURCE, "entry": "entry"}) == {"ok": True}
    assert probe.released == []
    assert runner.load({"code": "def entry():\n    return 1\n", "entry": "entry"}) == {"ok": True}
    assert probe.released == ["first load"]
    assert runner.entry is not None and runner.entry() == 1
