"""Server-rendered pages: Jinja2 templates over the domain services, with small ES modules.

`routes.router` holds every page; `templating` the Jinja environment; `deps` the signed-in user,
CSRF checks and HTML error pages; `verdicts` turns a verdict's JSON into what the panels show.
"""
