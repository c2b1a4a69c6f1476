"""The grading engine: a pure library (no database, no Celery).

The trusted judge (`judge`) makes inputs from secret seeds, asks a reference runner for expected
outputs, sends the same inputs to the candidate's runner and decides the verdict. Runners are
`harness` processes started by a `sandbox` launcher; they only ever see inputs, never references.
"""
