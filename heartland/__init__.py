"""Heartland's command line: `python -m heartland --help`. The code lives in analytics/cli."""
