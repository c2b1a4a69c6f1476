"""Benchmark inputs made between grades: each handed out once, made only while no grade times."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from tests.support import require_bwrap
from workers.grading.bank import DEFAULT_BANK_DIR, load_question
from workers.grading.judge import GradeConfig, grade
from workers.grading.pool import FreshRunners, case_runner_key
from workers.grading.runners import Hardware
from workers.grading.spec import Question
from workers.grading.stock import InputStock, stock_key

SOFTMAX_INPUT_BYTES = 2048 * 1024 * 4  # the benchmark size, float32


@pytest.fixture(scope="module")
def start_case_runner() -> Callable[[Question], object]:
    require_bwrap()
    from workers.grading.sandbox import BwrapLauncher

    runners = FreshRunners(BwrapLauncher(), Hardware())
    return lambda question: runners.get(case_runner_key(question), "cases")


@pytest.fixture
def timing() -> threading.Event:
    """Set while a (pretend) grade is timing its runners."""
    return threading.Event()


@pytest.fixture
def make_stock(
    start_case_runner: Callable[[Question], object], timing: threading.Event
) -> Iterator[Callable[..., InputStock]]:
    made: list[InputStock] = []

    def make(**kwargs: int) -> InputStock:
        stock = InputStock(start_case_runner, timing.is_set, **kwargs)  # type: ignore[arg-type]
        made.append(stock)
        return stock

    yield make
    for stock in made:
        stock.close()


def wait_for(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the stock did not fill in time"
        time.sleep(0.05)


def test_each_stocked_input_is_handed_out_once(softmax: Question, make_stock: Callable[..., InputStock],
                                               timing: threading.Event) -> None:
    stock = make_stock(per_question=4)
    key = stock_key(softmax)
    assert key is not None
    stock.want(softmax)
    wait_for(lambda: stock.ready(key) == 4)
    timing.set()  # holds the filler, so the shelf can be emptied
    taken = [stock.take(key) for _ in range(4)]
    assert stock.take(key) is None
    arrays = [case.args[0] for case in taken if case is not None]
    assert len(arrays) == 4 and all(a.shape == (2048, 1024) and a.dtype == np.float32 for a in arrays)
    assert len({a.tobytes()[:4096] for a in arrays}) == 4  # four different inputs
    timing.clear()
    stock.nudge()  # as the pool does when a grade stops timing
    wait_for(lambda: stock.ready(key) == 4)  # refilled with new ones
    again = stock.take(key)
    assert again is not None and all(not np.array_equal(again.args[0], a) for a in arrays)


def test_nothing_is_made_while_a_grade_is_timing(softmax: Question, make_stock: Callable[..., InputStock],
                                                 timing: threading.Event) -> None:
    timing.set()
    stock = make_stock(per_question=2)
    key = stock_key(softmax)
    assert key is not None
    stock.want(softmax)
    stock.nudge()  # woken while still timing: it must go on holding off
    time.sleep(1.0)
    assert stock.ready(key) == 0 and stock.made == 0
    timing.clear()
    stock.nudge()
    wait_for(lambda: stock.ready(key) == 2, timeout_s=30)


def test_the_byte_budget_bounds_the_stock(softmax: Question, make_stock: Callable[..., InputStock]) -> None:
    stock = make_stock(per_question=8, max_bytes=int(2.5 * SOFTMAX_INPUT_BYTES))
    key = stock_key(softmax)
    assert key is not None
    stock.want(softmax)
    wait_for(lambda: stock.ready(key) == 2)
    time.sleep(0.5)
    assert stock.ready(key) == 2 and stock.stats()["bytes"] <= 2.5 * SOFTMAX_INPUT_BYTES


def test_questions_whose_cases_check_outputs_are_not_stocked(make_stock: Callable[..., InputStock]) -> None:
    question = load_question(DEFAULT_BANK_DIR / "adamw-step")  # its cases.py has check()
    key = stock_key(question)
    assert key is not None
    stock = make_stock(per_question=2)
    stock.want(question)
    wait_for(lambda: stock.stats()["questions"] == 0)
    stock.want(question)  # remembered: no case runner is started for it again
    assert stock.stats()["questions"] == 0 and stock.ready(key) == 0 and stock.made == 0


# softmax's benchmark: at least 7 timed pairs, after 2 warm-up calls, so 9 inputs or more a grade.
MIN_PAIRS = 7

# Prints a fingerprint of every benchmark-sized input it is called with.
FINGERPRINTING_SOFTMAX = """
import hashlib, torch
def softmax(x):
    if x.shape == (2048, 1024):
        print("INPUT", hashlib.sha256(x.numpy().tobytes()).hexdigest()[:16])
    e = torch.exp(x - x.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)
"""


def sampled_by_count(question: Question, max_pairs: int) -> Question:
    """The question with its benchmark capped at `max_pairs` timed pairs. Graded with a time
    budget it never reaches, sampling then stops by the pair count alone: between the
    benchmark's min_samples and `max_pairs` pairs, plus the warm-up calls, however loaded the
    machine. (A small budget would end it after however many calls fit in the time.)"""
    bench = question.spec.benchmark
    assert bench is not None
    capped = bench.model_copy(update={"max_samples": max_pairs})
    return question.model_copy(update={"spec": question.spec.model_copy(update={"benchmark": capped})})


def test_no_runner_sees_an_input_twice_within_or_across_grades(
    softmax: Question, sandboxed_config: GradeConfig, make_stock: Callable[..., InputStock],
    timing: threading.Event,
) -> None:
    question = sampled_by_count(softmax, max_pairs=10)
    assert question.spec.benchmark is not None and question.spec.benchmark.min_samples == MIN_PAIRS
    stock = make_stock(per_question=6)
    key = stock_key(question)
    assert key is not None and key == stock_key(softmax)
    # Two runners times softmax's 2 s budget, times 30: a 120 s deadline no grade here reaches, loaded or not.
    config = dataclasses.replace(sandboxed_config, input_stock=stock, runners=None, speed_budget_scale=30.0)
    seen: list[list[str]] = []
    for _ in range(2):
        stock.want(question)
        wait_for(lambda: stock.ready(key) == 6)
        taken_before = stock.taken
        timing.set()  # holds the filler for the whole grade: exactly the six stocked inputs are taken
        result = grade(question, "torch", FINGERPRINTING_SOFTMAX, "submit", config=config)
        timing.clear()
        stock.nudge()
        assert result.accepted, result.message
        assert result.timing is not None and result.timing.samples is not None
        assert result.timing.samples >= MIN_PAIRS, result.timing  # stopped by the count, not the clock
        assert stock.taken - taken_before == 6  # the stock went first
        seen.append(re.findall(r"^INPUT (\w+)$", result.stdout, re.M))
    for fingerprints in seen:
        assert len(fingerprints) == len(set(fingerprints)) > 6
    assert not set(seen[0]) & set(seen[1])
