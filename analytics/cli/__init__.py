"""The command line (`python -m heartland`): solve, sweep. See main.py."""
from analytics.cli.main import main  # noqa: F401
