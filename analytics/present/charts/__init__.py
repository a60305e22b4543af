"""Altair charts, each a function of a DataFrame: the explorer's (core), the catalogue's and world
supply's (catalogue), trade-offs and risk (insight), and comparisons (compare)."""
from analytics.present.charts.core import *  # noqa: F401,F403
from analytics.present.charts.core import DESTINATION_COLOURS, ORIGIN_COLOURS  # noqa: F401
