"""Liveness of the parts (database, broker, workers) and Prometheus metrics read from the rows."""
