"""Synthetic content generator and benchmark (issue 5): ``python -m bench --help``."""
