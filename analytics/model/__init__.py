"""The optimisation model: the Scenario and its link codec, presets, the solver, and
check -> build -> solve -> summarise."""
from analytics.model.core import *  # noqa: F401,F403
from analytics.model.core import (  # noqa: F401
                                  BASE_YEAR,
                                  DESTINATION_LABELS,
                                  DESTINATIONS,
                                  Built,
                                  ModelData,
                                  Prepared,
                                  Result,
                                  Status,
                                  binding_constraints,
                                  build,
                                  check,
                                  constraint_table,
                                  describe_row,
                                  diagnose,
                                  fingerprint,
                                  load_model_data,
                                  run,
                                  shadow_sentence,
                                  solve_built,
                                  summarise,
)
