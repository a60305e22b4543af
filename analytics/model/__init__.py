"""The optimisation model: the Scenario and its link codec, presets, the data it reads, the
formulation, the warm-started HiGHS engine, and check -> build -> solve -> summarise.

>>> from analytics import model
>>> from analytics.model.scenario import Scenario
>>> result = model.run(model.load_model_data(), Scenario())   # doctest: +SKIP
"""
from analytics.model.data import BASE_YEAR, ModelData, fingerprint, load_model_data
from analytics.model.exposure import DESTINATION_LABELS, DESTINATIONS, route_exposure
from analytics.model.levers import waterfall, what_binds
from analytics.model.results import Result
from analytics.model.run import dependence_with, formulation, run
from analytics.model.solve import Status

__all__ = ["BASE_YEAR", "DESTINATIONS", "DESTINATION_LABELS", "ModelData", "Result", "Status", "dependence_with",
           "fingerprint", "formulation", "load_model_data", "route_exposure", "run", "waterfall", "what_binds"]
