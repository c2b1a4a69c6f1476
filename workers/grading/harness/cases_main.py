"""The case runner: a question's cases.py (make_inputs, check and the gold functions they
use), run in its own sandbox instead of the judge's process.

cases.py is written by whoever holds an admin token, and a question posted through the admin
API is checked before anyone reviews it, so its code gets the candidate's treatment: the same
bubblewrap profile, no network, no secrets, and the same wire format, whose replies the judge
reads as hostile. Requests: load {source, file} -> inputs {family, size, rng} | check {case,
output, expected, tolerance} | sync, until exit. A case's judge-only `context` (held-out
data, true parameters) stays here; the judge refers to a case by its number.
"""

from __future__ import annotations

import os
import sys
import types
from collections import OrderedDict
from typing import Any, BinaryIO

import numpy as np

from . import wire

KEPT_CASES = 64  # a grade checks each case right after making it


def run(requests: BinaryIO, responses: BinaryIO) -> None:
    engine = os.environ.get("DOJO_ENGINE_PATH")
    if engine:  # cases.py imports workers.grading.casekit / compare / spec
        sys.path.insert(0, engine)
    # Imported before "ready", so a pooled case runner has paid for them before its grade.
    import workers.grading.casekit
    import workers.grading.compare  # noqa: F401  (imported for its cost, not its names)

    cases = CaseRunner()
    wire.write_message(responses, {"ready": True, "seq": 0, "framework": "cases"})
    while True:
        try:
            request = wire.read_message(requests)
        except EOFError:
            break
        if request.get("op") == "exit":
            break
        reply = {**cases.handle(request), "seq": request.get("seq")}
        try:
            data = wire.encode(reply)
        except wire.WireError as exc:  # e.g. make_inputs returned a value the wire cannot carry
            data = wire.encode({**_error("encode", str(exc)), "seq": request.get("seq")})
        responses.write(data)
        responses.flush()


class CaseRunner:
    def __init__(self) -> None:
        self.make_inputs: Any = None
        self.check: Any = None
        self.cases: OrderedDict[int, Any] = OrderedDict()
        self.next_id = 0

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        handler = {"load": self.load, "inputs": self.inputs, "check": self.check_output}.get(str(op))
        if op == "sync":
            return {"ok": True}
        if handler is None:
            return _error("protocol", f"unknown op {op!r}")
        try:
            return handler(request)
        except BaseException as exc:  # the question's code may raise anything
            return _error(str(op), f"{type(exc).__name__}: {str(exc)[:2000]}")

    def load(self, request: dict[str, Any]) -> dict[str, Any]:
        # A load starts a grade, and a grade only checks the cases it made: a case runner kept
        # for the next grade (question checks) would otherwise hold up to KEPT_CASES earlier
        # cases, tens of MB each for large tests, until the question's memory limit killed it.
        self.cases.clear()
        module = types.ModuleType("dojo_cases")
        module.__file__ = str(request["file"])
        exec(compile(request["source"], module.__file__, "exec"), module.__dict__)
        if not callable(getattr(module, "make_inputs", None)):
            return _error("load", "make_inputs is not a function")
        self.make_inputs = module.make_inputs
        check = getattr(module, "check", None)
        self.check = check if callable(check) else None
        return {"ok": True, "check": self.check is not None}

    def inputs(self, request: dict[str, Any]) -> dict[str, Any]:
        from workers.grading.casekit import Case

        rng = np.random.Generator(np.random.PCG64())
        rng.bit_generator.state = request["rng"]
        made = self.make_inputs(request["family"], dict(request["size"]), rng)
        case = made if isinstance(made, Case) else Case(args=tuple(made))
        self.next_id += 1
        self.cases[self.next_id] = case
        while len(self.cases) > KEPT_CASES:
            self.cases.popitem(last=False)
        return {"ok": True, "case": self.next_id, "args": tuple(case.args), "rng": rng.bit_generator.state}

    def check_output(self, request: dict[str, Any]) -> dict[str, Any]:
        from workers.grading.spec import Tolerance

        case = self.cases[request["case"]]
        tolerance = Tolerance(**request["tolerance"])
        message = self.check(case, request["output"], request["expected"], tolerance)
        return {"ok": True, "message": None if message is None else str(message)[:4000]}


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"error": {"kind": kind, "type": "QuestionError", "message": message}}
