"""The question format: a folder of files, validated into a `Question`.

A question is held as a mapping of relative path -> text, so the same parser serves the
folders under questions/ and the copies an admin stores in the database:

    question.toml            the spec (schema below)
    prompt.md                the statement shown to candidates
    cases.py                 trusted test generator and checker (numpy only; coding questions)
    <framework>/starter.py   what the editor starts with
    <framework>/reference.py the reference solution (never sent to a candidate)
    solutions/*.py           solutions with an expected verdict, listed in question.toml

A coding question may name follow-ups, other bank questions an interviewer pushes during a live
session once this one is done (each graded as the question it is):

    [[followups]]
    question = "causal-attention"
    ask = "Now make it causal: position i may attend only to positions <= i."

A follow-up that does not exist, lacks a framework of its parent, is not a coding question or
leads back to its parent is refused when the bank is loaded (`workers.grading.followups`).

A broken file gets a `QuestionFormatError` that names the file and the field.
"""

from __future__ import annotations

import tomllib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from .verdict import Status

Framework = Literal["torch", "jax"]
FRAMEWORKS: tuple[str, ...] = ("torch", "jax")
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Size = dict[str, int | float | str]
API_PATH = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\.\*)?$"  # `torch.optim.*` = `torch.optim`


class QuestionFormatError(ValueError):
    """A question folder that cannot be used; `file` and `field` say where."""

    def __init__(self, slug: str, file: str, field: str, problem: str) -> None:
        self.slug, self.file, self.field, self.problem = slug, file, field, problem
        where = f"{file}: {field}" if field else file
        super().__init__(f"question '{slug}': {where}: {problem}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntryPoint(_Strict):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    signature: str  # shown to candidates, e.g. "def softmax(x: torch.Tensor) -> torch.Tensor"


class Limits(_Strict):
    time_limit_s: float = Field(10.0, gt=0, le=300)  # per call of the entry point
    memory_limit_mb: int = Field(2048, ge=64, le=65536)
    output_limit_kb: int = Field(16, ge=1, le=1024)  # candidate stdout kept and shown


class Runtime(_Strict):
    # Simulated devices for distributed questions: XLA host devices for JAX, and the
    # world size a torch question may start with the gloo backend.
    host_devices: int = Field(1, ge=1, le=8)


class Tolerance(_Strict):
    rtol: float = Field(1e-5, ge=0)
    atol: float = Field(1e-6, ge=0)


class Rules(_Strict):
    # Framework op names that must not run (recorded from the ops that actually ran).
    forbidden_ops: dict[Framework, list[str]] = Field(default_factory=dict)
    # Python APIs that must not be called, by dotted path: a module forbids itself and every
    # submodule (`torch.optim`, `optax`), anything else names one callable
    # (`torch.nn.functional.softmax`). The runner wraps them before the candidate's imports.
    forbidden_apis: dict[Framework, list[Annotated[str, Field(pattern=API_PATH)]]] = Field(default_factory=dict)
    # Python APIs of which the code must call at least one during the grade (a collective in a
    # distributed question: a right answer computed on one device is not the exercise), and how
    # the verdict names them. Recorded like forbidden_apis, in every thread.
    required_apis: dict[Framework, list[Annotated[str, Field(pattern=API_PATH)]]] = Field(default_factory=dict)
    required_apis_label: str = Field("", max_length=200)
    allow_tf32: bool = False


class TestCase(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    family: str  # passed to cases.make_inputs
    size: Size = Field(default_factory=dict)
    seed: int | None = None  # visible examples are fixed; hidden tests draw secret seeds
    explanation: str = ""  # shown when this test fails


class Benchmark(_Strict):
    family: str = "random"
    size: Size
    budget_s: float = Field(3.0, gt=0, le=60)  # total timing budget per runner
    target_rse: float = Field(0.01, gt=0, le=0.5)  # stop when the median is this precise
    min_samples: int = Field(7, ge=3)
    max_samples: int = Field(200, ge=3)


class ExpectedSolution(_Strict):
    file: str
    framework: Framework
    expect: Status
    why: str


class ConceptOption(_Strict):
    text: str
    correct: bool = False
    explanation: str


class Concept(_Strict):
    # multiple_choice: exactly one option is right; multiple_select: "choose all that apply",
    # graded as the set of picks against the set of correct options.
    format: Literal["multiple_choice", "multiple_select", "short_answer", "predict_output"]
    topic: str
    options: list[ConceptOption] = Field(default_factory=list)
    model_answer: str
    # predict_output: a snippet whose printed output is the answer, checked by running it.
    snippet: str | None = None
    snippet_framework: Framework | None = None
    expected_output: str | None = None

    @model_validator(mode="after")
    def _format_fields(self) -> Concept:
        if self.format == "multiple_choice" and (len(self.options) < 2 or not any(o.correct for o in self.options)):
            raise ValueError("multiple_choice needs at least two options and one correct")
        if self.format == "multiple_choice" and sum(o.correct for o in self.options) > 1:
            raise ValueError("multiple_choice has one correct option; use multiple_select for several")
        if self.format == "multiple_select" and (len(self.options) < 3 or not any(o.correct for o in self.options)):
            raise ValueError("multiple_select needs at least three options and one correct")
        if self.format == "predict_output" and not (
            self.snippet and self.snippet_framework and self.expected_output is not None
        ):
            raise ValueError("predict_output needs snippet, snippet_framework, expected_output")
        return self


class FollowUp(_Strict):
    question: Slug  # the follow-up's own folder in the bank
    ask: str = Field(min_length=10, max_length=300)  # what the interviewer says; the candidate's banner


class Spec(_Strict):
    slug: Slug
    version: int = Field(1, ge=1)
    title: str = Field(min_length=3, max_length=120)
    kind: Literal["coding", "concept"]
    difficulty: Literal["easy", "medium", "hard"]
    tags: list[str] = Field(default_factory=list)
    frameworks: list[Framework] = Field(default_factory=list)
    entry: dict[Framework, EntryPoint] = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)
    runtime: Runtime = Field(default_factory=Runtime)
    tolerance: Tolerance = Field(default_factory=Tolerance)
    rules: Rules = Field(default_factory=Rules)
    examples: list[TestCase] = Field(default_factory=list)
    tests: list[TestCase] = Field(default_factory=list)
    benchmark: Benchmark | None = None
    solutions: list[ExpectedSolution] = Field(default_factory=list)
    concept: Concept | None = None
    followups: list[FollowUp] = Field(default_factory=list, max_length=8)

    @model_validator(mode="after")
    def _kind_fields(self) -> Spec:
        if self.kind == "coding":
            if not self.frameworks:
                raise ValueError("a coding question needs frameworks")
            missing = [f for f in self.frameworks if f not in self.entry]
            if missing:
                raise ValueError(f"entry is missing for {', '.join(missing)}")
            if not self.examples:
                raise ValueError("a coding question needs at least one visible example")
        elif self.concept is None:
            raise ValueError("a concept question needs a [concept] table")
        return self

    @field_validator("followups")
    @classmethod
    def _followup_links(cls, followups: list[FollowUp], info: ValidationInfo) -> list[FollowUp]:
        # Links to other questions are checked with the whole bank (workers.grading.followups).
        targets = [f.question for f in followups]
        if targets and info.data.get("kind") != "coding":
            raise ValueError("only a coding question has follow-ups")
        if info.data.get("slug") in targets:
            raise ValueError(f"'{info.data['slug']}' cannot be a follow-up of itself")
        repeated = sorted({t for t in targets if targets.count(t) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} is listed more than once")
        return followups


class Question(BaseModel):
    """A validated question with its files. `files` holds every text file of the folder."""

    model_config = ConfigDict(frozen=True)

    spec: Spec
    files: dict[str, str]

    @property
    def slug(self) -> str:
        return self.spec.slug

    @property
    def prompt(self) -> str:
        return self.files["prompt.md"]

    def starter(self, framework: str) -> str:
        return self.files.get(f"{framework}/starter.py", "")

    def reference(self, framework: str) -> str:
        return self.files[f"{framework}/reference.py"]

    @property
    def cases_source(self) -> str:
        return self.files["cases.py"]

    def public_view(self) -> dict[str, Any]:
        """What a candidate may see: no references, hidden tests, seeds, cases or solutions."""
        spec = self.spec
        view: dict[str, Any] = {
            "slug": spec.slug,
            "version": spec.version,
            "title": spec.title,
            "kind": spec.kind,
            "difficulty": spec.difficulty,
            "tags": list(spec.tags),
            "frameworks": list(spec.frameworks),
            "prompt": self.prompt,
        }
        if spec.kind == "coding":
            view["entry"] = {f: e.model_dump() for f, e in spec.entry.items()}
            view["starter"] = {f: self.starter(f) for f in spec.frameworks}
            view["limits"] = spec.limits.model_dump()
            view["examples"] = [e.name for e in spec.examples]
            view["hidden_test_count"] = len(spec.tests)
            view["forbidden_ops"] = {f: ops for f, ops in spec.rules.forbidden_ops.items()}
        elif spec.concept is not None:
            concept = spec.concept
            view["concept"] = {
                "format": concept.format,
                "topic": concept.topic,
                "options": [o.text for o in concept.options],
                "snippet": concept.snippet,
                "snippet_framework": concept.snippet_framework,
            }
        return view


def parse_question(slug: str, files: dict[str, str]) -> Question:
    """Validate a question's files; raise QuestionFormatError naming the file and field."""
    if "question.toml" not in files:
        raise QuestionFormatError(slug, "question.toml", "", "file is missing")
    try:
        raw = tomllib.loads(files["question.toml"])
    except tomllib.TOMLDecodeError as exc:
        raise QuestionFormatError(slug, "question.toml", "", f"invalid TOML: {exc}") from exc
    try:
        spec = Spec.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise QuestionFormatError(slug, "question.toml", field, first["msg"]) from exc
    if spec.slug != slug:
        raise QuestionFormatError(
            slug, "question.toml", "slug", f"'{spec.slug}' does not match the folder name"
        )
    _check_files_present(spec, files)
    return Question(spec=spec, files=dict(files))


def _check_files_present(spec: Spec, files: dict[str, str]) -> None:
    required = ["prompt.md"]
    if spec.kind == "coding":
        required.append("cases.py")
        for framework in spec.frameworks:
            required += [f"{framework}/starter.py", f"{framework}/reference.py"]
    for index, solution in enumerate(spec.solutions):
        if solution.file not in files:
            raise QuestionFormatError(
                spec.slug, "question.toml", f"solutions.{index}.file", f"{solution.file} missing"
            )
    for name in required:
        if name not in files:
            raise QuestionFormatError(spec.slug, name, "", "file is missing")
    if spec.kind == "coding":
        _check_cases_module(spec.slug, files["cases.py"])


def _check_cases_module(slug: str, source: str) -> None:
    try:
        compile(source, "cases.py", "exec")
    except SyntaxError as exc:
        raise QuestionFormatError(slug, "cases.py", f"line {exc.lineno}", exc.msg) from exc
    if "def make_inputs" not in source:
        raise QuestionFormatError(slug, "cases.py", "make_inputs", "function is missing")
