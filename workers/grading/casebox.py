"""The judge's side of the case runner: a question's cases.py, sandboxed.

`SandboxedCases.open` gives a `CasesModule` whose `make_inputs` and `check` are requests to
a case runner (harness/cases_main.py) in its own sandbox, so no question code runs in the
judge's process (a worker, or the API's pre-publish check). The random generator the judge
passes travels as its state and comes back advanced, so seeds mean what they meant in-process.
Replies are read like any runner's: capped, sequence-checked, decoded defensively.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .cache import ExpectedCache
from .casekit import Case, CasesModule, CheckFn
from .client import CONTROL_REPLY_BYTES, RunnerClient, RunnerFailure
from .spec import Question, QuestionFormatError, Tolerance

# Inputs are the largest replies (benchmark-sized arrays); a check's reply is a short message.
MAX_INPUTS_BYTES = 64 << 20  # the bank's largest inputs are 16 MiB (gradient-accumulation)
CASES_TIMEOUT_S = 60.0


class CheckError(Exception):
    """The question's check() failed on an output: the output could not be checked."""


@dataclass
class SandboxedCases:
    client: RunnerClient
    slug: str

    @classmethod
    def open(cls, client: RunnerClient, question: Question, startup_timeout_s: float) -> CasesModule:
        cases = cls(client, question.slug)
        has_check = cases._load(question, startup_timeout_s)
        return CasesModule(make_inputs=cases.make_inputs, check=cases.check if has_check else None)

    def _load(self, question: Question, startup_timeout_s: float) -> bool:
        request = {"op": "load", "source": question.cases_source, "file": f"questions/{question.slug}/cases.py"}
        try:
            if not self.client.info:
                self.client.wait_ready(startup_timeout_s)
            reply = self.client.ask(request, CASES_TIMEOUT_S, CONTROL_REPLY_BYTES)
        except RunnerFailure as failure:
            raise self._broken("cases.py", failure) from None
        return reply.get("check") is True

    def make_inputs(self, family: str, size: dict[str, Any], rng: np.random.Generator) -> Case:
        request = {"op": "inputs", "family": family, "size": dict(size), "rng": rng.bit_generator.state}
        try:
            reply = self.client.ask(request, CASES_TIMEOUT_S, MAX_INPUTS_BYTES)
            args, number, state = reply.get("args"), reply.get("case"), reply.get("rng")
            if not isinstance(args, tuple | list) or type(number) is not int or not isinstance(state, dict):
                raise RunnerFailure("tampered", "a malformed reply from make_inputs")
            rng.bit_generator.state = state
        except (RunnerFailure, TypeError, ValueError, KeyError) as exc:
            raise self._broken("make_inputs", exc) from None
        return Case(args=tuple(args), context={"case_number": number})

    def check(self, case: Case, output: Any, expected: Any, tolerance: Tolerance) -> str | None:
        request = {"op": "check", "case": case.context.get("case_number"), "output": output,
                   "expected": expected, "tolerance": {"rtol": tolerance.rtol, "atol": tolerance.atol}}
        try:
            reply = self.client.ask(request, CASES_TIMEOUT_S, CONTROL_REPLY_BYTES)
        except RunnerFailure as failure:
            raise CheckError(failure.detail) from None
        message = reply.get("message")
        if message is not None and not isinstance(message, str):
            raise CheckError("check() returned something other than a message")
        return message

    def _broken(self, where: str, cause: Exception) -> QuestionFormatError:
        detail = cause.detail if isinstance(cause, RunnerFailure) else f"{type(cause).__name__}: {cause}"
        return QuestionFormatError(self.slug, "cases.py", where, f"failed in its sandbox: {detail[:2000]}")


class QuestionCases:
    """cases.py for one grade, its case runner started only when something needs it.

    A visible example's inputs come from a fixed seed, so they are cached beside its expected
    output, and whether the question has a check() is cached per version: a warm `run` of a
    question without check() then needs no case runner at all, as it needed no reference.
    """

    def __init__(self, question: Question, start: Callable[[], RunnerClient], cache: ExpectedCache | None,
                 startup_timeout_s: float) -> None:
        self.question, self.cache = question, cache
        self.client: RunnerClient | None = None
        self._start, self._startup_timeout_s = start, startup_timeout_s
        self._module: CasesModule | None = None
        self._check_key = ("cases-check", question.slug, question.spec.version, question.cases_source)

    def start_early(self) -> None:
        """Take the case runner now, when it will surely be needed (hidden tests): a cold one
        then starts beside the other runners instead of after them."""
        if self.client is None:
            self.client = self._start()

    def _open(self) -> CasesModule:
        if self._module is None:
            self.start_early()
            assert self.client is not None
            self._module = SandboxedCases.open(self.client, self.question, self._startup_timeout_s)
            if self.cache is not None:
                self.cache.put(self._check_key, self._module.check is not None)
        return self._module

    def _has_check(self) -> bool:
        known = self.cache.get(self._check_key) if self.cache is not None else None
        return known if isinstance(known, bool) else self._open().check is not None

    @property
    def check(self) -> CheckFn | None:
        return self._open().check if self._has_check() else None

    def make_inputs(self, family: str, size: dict[str, Any], rng: np.random.Generator) -> Case:
        return self._open().make_inputs(family, size, rng)

    def fixed_inputs(self, key: tuple[Any, ...], family: str, size: dict[str, Any], seed: int) -> Case:
        """A visible example's inputs; cached unless a check() needs the case's context."""
        if self.cache is None or self._has_check():
            return self.make_inputs(family, size, np.random.default_rng(seed))
        args = self.cache.get(key)
        if isinstance(args, tuple):
            return Case(args=args)
        case = self.make_inputs(family, size, np.random.default_rng(seed))
        self.cache.put(key, case.args)
        return case
