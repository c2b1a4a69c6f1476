"""The rubric that ships with the app: "ML framework interview" (id "default").

Defined here rather than as a row so that no one can edit or delete it and every interviewer
always has it.
"""

from __future__ import annotations

from typing import Any

DEFAULT_ID = "default"
DEFAULT_NAME = "ML framework interview"

DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {
        "key": "correctness",
        "title": "Correctness & testing",
        "description": "Does the solution do the right thing, and how does the candidate convince themself?",
        "anchors": {
            "1": "Wrong on common inputs; runs the grader blindly and cannot say why a test fails.",
            "2": "Right on the happy path only; misses edge cases (empty batch, size-1 dims, masks) "
            "until the grader points them out.",
            "3": "Passes the tests; checks a few edge cases and compares against a naive version "
            "without being asked.",
            "4": "Correct first or second try; writes small targeted checks (shapes, reference "
            "comparison, gradcheck) and explains why the solution is right.",
        },
    },
    {
        "key": "shapes",
        "title": "Tensor & shape reasoning",
        "description": "Broadcasting, axes, reshapes and batching without trial and error.",
        "anchors": {
            "1": "Guesses at axes and reshapes; shape errors are fixed by trial and error.",
            "2": "Gets shapes right with print debugging; confuses broadcasting or keepdim now and then.",
            "3": "Tracks shapes deliberately (comments or asserts), uses broadcasting and batch "
            "dimensions correctly.",
            "4": "Reasons about shapes before typing, annotates them, and reaches for "
            "einsum/vmap/views where they make the code clearer and cheaper.",
        },
    },
    {
        "key": "framework",
        "title": "Framework fluency",
        "description": "Idiomatic PyTorch or JAX: autograd, jit, PRNG keys, pytrees, in-place rules.",
        "anchors": {
            "1": "Fights the framework: Python loops over elements, NumPy round trips, "
            "mutates arrays in JAX or breaks autograd in PyTorch.",
            "2": "Knows the basic API but not its model: misses detach/no_grad, reuses a PRNG key, "
            "or puts Python control flow on traced values.",
            "3": "Idiomatic code: autograd-safe ops, splits PRNG keys, jit-friendly control flow "
            "(lax.cond / masks), pytrees handled with tree utilities.",
            "4": "Explains the trade-offs between PyTorch and JAX idioms (eager vs traced, "
            "functional state, static arguments) and picks the right tool on purpose.",
        },
    },
    {
        "key": "numerics",
        "title": "Numerical stability & precision",
        "description": "Overflow, underflow, cancellation, dtypes and tolerances.",
        "anchors": {
            "1": "Unaware of numerical issues: exp overflows, divides by zero, compares floats exactly.",
            "2": "Fixes an instability once the test shows it, without naming the cause.",
            "3": "Uses stable formulations unprompted (max-subtraction, logsumexp, eps in norms) and "
            "sensible tolerances.",
            "4": "Reasons about precision per dtype (fp16/bf16/fp32 accumulation), error growth and "
            "where mixed precision is safe; tests the extremes.",
        },
    },
    {
        "key": "performance",
        "title": "Performance awareness",
        "description": "Vectorisation, memory traffic, compile and trace costs.",
        "anchors": {
            "1": "No sense of cost: Python loops over tensor elements, needless copies or host syncs.",
            "2": "Vectorises when nudged; unaware of memory use or of recompilation/retracing.",
            "3": "Vectorised from the start, avoids large temporaries and host-device syncs, "
            "knows when jit/torch.compile pays off.",
            "4": "Estimates cost (FLOPs, bytes moved), spots fusion and recompilation traps "
            "(shape-dependent tracing, graph breaks) and measures before optimising.",
        },
    },
    {
        "key": "communication",
        "title": "Communication",
        "description": "Explaining the plan, trade-offs and what went wrong.",
        "anchors": {
            "1": "Silent or unclear; cannot explain what the code does.",
            "2": "Explains when asked, but the reasoning is hard to follow or skips trade-offs.",
            "3": "Thinks aloud with a plan, states assumptions and answers follow-ups clearly.",
            "4": "Structures the discussion, weighs alternatives, takes hints well and would be easy "
            "to work with on a real codebase.",
        },
    },
]


def default_snapshot() -> dict[str, Any]:
    """The shipped rubric as a session stores it (a fresh copy each time)."""
    return {
        "id": DEFAULT_ID,
        "name": DEFAULT_NAME,
        "criteria": [{**c, "anchors": dict(c["anchors"])} for c in DEFAULT_CRITERIA],
    }
