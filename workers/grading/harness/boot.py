"""Entry script of a runner: `python -I boot.py`, inside the sandbox.

It makes the harness package and the bound site-packages importable, then hands over to
`main`. Kept tiny because it runs before anything else is set up.
"""

import importlib
import os
import site
import sys

_here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(_here))
for _dir in filter(None, os.environ.get("DOJO_SITE_PACKAGES", "").split(":")):
    site.addsitedir(_dir)

importlib.import_module(os.path.basename(_here) + ".main").run()
