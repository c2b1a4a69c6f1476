"""The pure helpers: verdict shaping, tracebacks, histograms, Markdown."""

from __future__ import annotations

from app.pages.interview_views import FinalCode, final_code
from app.pages.markdown import render_markdown
from app.pages.templating import fmt_ms, strip_title
from app.pages.verdicts import histogram, speed_view, trim_traceback, verdict_view


def test_traceback_keeps_only_the_candidates_frames() -> None:
    text = (
        "Traceback (most recent call last):\n"
        '  File "/opt/dojo/harness/main.py", line 80, in call\n'
        "    result = fn(*args)\n"
        '  File "solution.py", line 4, in softmax\n'
        "    return x.foo()\n"
        "AttributeError: 'Tensor' object has no attribute 'foo'"
    )
    trimmed = trim_traceback(text)
    assert "harness" not in trimmed and "fn(*args)" not in trimmed
    assert 'File "solution.py", line 4' in trimmed and "AttributeError" in trimmed
    assert trim_traceback("plain text") == "plain text"


def test_verdict_view_picks_the_first_failure() -> None:
    view = verdict_view(
        {
            "status": "wrong_answer",
            "message": "m",
            "tests": [
                {"name": "a", "passed": True, "visible": True, "family": "random"},
                {"name": "b", "passed": False, "visible": False, "family": "huge"},
            ],
            "timing": {"submission_ms": 1.0},
        }
    )
    assert view.tone == "fail" and view.passed == 1 and view.total == 2
    assert view.first_failure is not None and view.first_failure["name"] == "b"
    assert view.speed is None  # speed only for accepted submissions


def test_speed_track_places_one_between_the_bounds() -> None:
    speed = speed_view(
        {
            "submission_ms": 2.0,
            "reference_ms": 3.0,
            "speedup": 1.5,
            "speedup_ci_low": 1.2,
            "speedup_ci_high": 1.9,
            "speed_verdict": "faster",
        }
    )
    assert speed is not None and speed.track is not None
    track = speed.track
    assert 0 < track["one"] < track["low"] < track["point"] < track["high"] < 100


def test_histogram_centres_the_extremes() -> None:
    hist = histogram([1.0, 10.0, 100.0])
    assert hist["x"][0] == 1.0 and hist["x"][-1] == 100.0
    assert sum(hist["y"]) == 3
    assert histogram([]) == {"x": [], "y": []}
    assert histogram([5.0, 5.0]) == {"x": [5.0], "y": [2.0]}


def test_markdown_escapes_html_and_keeps_math() -> None:
    html = render_markdown("Hi <script>alert(1)</script> and $x_i$\n\n$$\\sum_k e^{x_k}$$")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<span class="math">x_i</span>' in html
    assert '<div class="math math-display">\\sum_k e^{x_k}</div>' in html
    assert "$5 or $6" in render_markdown("costs $5 or $6")


def test_small_formatters() -> None:
    assert fmt_ms(0.0421) == "42.1 \u00b5s" and fmt_ms(12.34) == "12.3 ms" and fmt_ms(1234) == "1.23 s"
    assert strip_title("# Softmax\n\nBody", "softmax") == "Body"
    assert strip_title("Body", "Softmax") == "Body"


def test_final_code_prefers_an_edited_shared_document() -> None:
    assert final_code(None, None) is None
    assert final_code("typed\n", None) == FinalCode("typed\n", shared=False)
    assert final_code(None, "shared\n") == FinalCode("shared\n", shared=True)
    # A form posts CRLF; the document holds LF: the same code, so nothing is shown twice.
    assert final_code("same\r\ncode\r\n", "same\ncode\n") == FinalCode("same\ncode\n", shared=True)
    assert final_code("saved\n", "shared\n") == FinalCode("shared\n", shared=True, saved="saved\n")
