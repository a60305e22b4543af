"""`python -m heartland ...`: the command line (analytics/cli/main.py)."""
from analytics.cli import main

if __name__ == "__main__":  # Dask's worker processes import this module again; only the command runs main
    raise SystemExit(main())
