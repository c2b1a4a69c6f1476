"""axe-core in the browser tests: inject the pinned build, run the WCAG 2.1 A/AA rules, report.

The script is tests/browser/vendor/axe.min.js, copied there by `frontend/build.mjs` from the
exact axe-core version in frontend/package.json; the app never serves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .flows import REPO_ROOT

AXE_SCRIPT = REPO_ROOT / "tests" / "browser" / "vendor" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21aa")

# Evaluated rather than added as a <script> tag: the pages' Content-Security-Policy only allows
# the app's own scripts, and a DevTools evaluation is not subject to it.
_RUN = """async tags => {
    const result = await axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return result.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map(n => ({
            target: n.target.join(" "),
            message: (n.failureSummary || "").replace(/\\s+/g, " ").trim(),
        })),
    }));
}"""


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    target: str
    message: str

    def line(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}) at `{self.target}`: {self.help}. {self.message}"


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text()


def run_axe(page: Any, label: str) -> list[Violation]:
    """Every WCAG 2.0/2.1 A and AA violation on the page as it is now, one per element."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    found = page.evaluate(_RUN, list(WCAG_TAGS))
    return [
        Violation(label, rule["id"], rule["impact"] or "", rule["help"], node["target"], node["message"])
        for rule in found
        for node in rule["nodes"]
    ]


def report(violations: list[Violation]) -> str:
    """One line per violation, then a count per rule, for a readable test failure."""
    counts: dict[str, int] = {}
    for violation in violations:
        counts[violation.rule] = counts.get(violation.rule, 0) + 1
    summary = ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items()))
    lines = [v.line() for v in violations]
    return f"{len(violations)} accessibility violations ({summary}):\n" + "\n".join(lines)
