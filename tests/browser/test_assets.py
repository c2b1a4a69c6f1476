"""The committed browser assets: pinned, bundled from the npm registry, never from a CDN."""

from __future__ import annotations

import json
import re

from .flows import REPO_ROOT

FRONTEND = REPO_ROOT / "frontend"
VENDOR = REPO_ROOT / "app" / "static" / "vendor"
TEMPLATES = REPO_ROOT / "app" / "templates"
TEST_VENDOR = REPO_ROOT / "tests" / "browser" / "vendor"
BUNDLES = ("codemirror.min.js", "collab.min.js", "uplot.min.js", "uplot.min.css", "math.min.js", "temml.css")


def test_npm_versions_are_exact_and_locked() -> None:
    package = json.loads((FRONTEND / "package.json").read_text())
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    for name, version in package["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_bundles_are_committed_and_match_the_pins() -> None:
    package = json.loads((FRONTEND / "package.json").read_text())
    built = json.loads((VENDOR / "VERSIONS.json").read_text())
    test_only = json.loads((TEST_VENDOR / "VERSIONS.json").read_text())
    assert {**built, **test_only} == package["devDependencies"], "rebuild: cd frontend && npm ci && npm run build"
    for name in BUNDLES:
        assert (VENDOR / name).stat().st_size > 1000, name


def test_axe_is_for_the_tests_only() -> None:
    # axe-core is injected by the browser tests; the app must never serve it.
    assert (TEST_VENDOR / "axe.min.js").stat().st_size > 100_000
    assert "axe-core" not in json.loads((VENDOR / "VERSIONS.json").read_text())
    served = [path.name for path in (REPO_ROOT / "app").rglob("*") if "axe" in path.name.lower()]
    assert not served, served


def test_pages_load_nothing_from_other_hosts() -> None:
    remote = re.compile(r"""(src|href)=["'](https?:)?//""")
    for template in TEMPLATES.rglob("*.html"):
        assert not remote.search(template.read_text()), f"{template.name} loads a remote asset"
    for asset in (REPO_ROOT / "app" / "static").rglob("*.js"):
        text = asset.read_text(errors="replace")
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text, asset.name
