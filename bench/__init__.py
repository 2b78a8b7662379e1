"""`make bench`: the load benchmark (see run.py)."""
