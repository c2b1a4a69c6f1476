"""Winnowing similarity: the same code scores 1, cosmetic edits keep it high, other code low."""

from __future__ import annotations

from pathlib import Path

from app.interviews.similarity import containment, fingerprints, jaccard, similarity, tokens

REFERENCE = Path("questions/softmax/torch/reference.py").read_text()
STARTER = Path("questions/softmax/torch/starter.py").read_text()
LAYER_NORM = Path("questions/layer-norm/torch/reference.py").read_text()

# The reference with other names, comments and spacing, and a docstring added.
DISGUISED = '''
import torch
def softmax(values:torch.Tensor)->torch.Tensor:
    """My own softmax."""
    # stable version
    centred=values - values.amax(dim = -1,keepdim = True)
    e = centred.exp()   # exponentials
    return e/e.sum(dim=-1,
                   keepdim=True)
'''

NAIVE = """
import torch

def softmax(x: torch.Tensor) -> torch.Tensor:
    total = 0
    out = []
    for row in x.tolist():
        s = sum(math.exp(v) for v in row)
        out.append([math.exp(v) / s for v in row])
    return torch.tensor(out)
"""


def test_identical_code_scores_one() -> None:
    assert similarity(REFERENCE, REFERENCE) == 1.0
    assert similarity(REFERENCE, REFERENCE, base=STARTER) == 1.0


def test_renamed_and_reformatted_code_scores_high() -> None:
    score = similarity(REFERENCE, DISGUISED)
    assert score >= 0.8, score
    assert similarity(REFERENCE, DISGUISED, base=STARTER) >= 0.8


def test_unrelated_code_scores_low() -> None:
    assert similarity(REFERENCE, LAYER_NORM) < 0.25
    assert similarity(REFERENCE, NAIVE, base=STARTER) < 0.25


def test_the_starter_alone_does_not_make_two_codes_alike() -> None:
    # Both keep the given signature; without it as a base they share its fingerprints.
    with_signature = STARTER.replace("raise NotImplementedError", "return torch.softmax(x, dim=-1)")
    assert similarity(with_signature, NAIVE) > similarity(with_signature, NAIVE, base=STARTER)
    assert similarity(with_signature, NAIVE, base=STARTER) == 0.0


def test_normalisation() -> None:
    assert tokens("a = b  # note\nprint('hi', 3.5)") == ["V", "=", "V", "print", "(", "S", ",", "N", ")"]
    assert tokens("x.exp()") == ["V", ".", "exp", "(", ")"]  # attribute names are what the code does
    assert tokens('s = """unterminated') == ["V", "=", "S"]  # code mid-edit still tokenises


def test_empty_and_short_code() -> None:
    assert fingerprints("") == set() and fingerprints("# only a comment\n") == set()
    assert similarity("", "") == 0.0 and similarity(REFERENCE, "") == 0.0
    assert len(fingerprints("x = 1")) == 1
    a, b = fingerprints(REFERENCE), fingerprints(REFERENCE + "\n\ndef extra(y):\n    return y * 2\n")
    assert containment(a, b) == 1.0 and jaccard(a, b) < 1.0
