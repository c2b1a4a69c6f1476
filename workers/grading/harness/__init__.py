"""The runner side of grading. Runs inside the sandbox next to untrusted code.

Nothing here is trusted by the judge: it only turns inputs into framework values, calls the
candidate's (or reference's) entry point, and sends outputs and advisory timings back.
"""
