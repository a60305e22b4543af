"""Heartland's analytics: everything that computes, never imports streamlit.

    data/      reading and writing data: the reference database, sources, saved scenarios, uploads
    model/     the optimisation model: the Scenario, presets, the solver, check -> build -> solve -> summarise
    analyses/  what is computed from the model and the data: trade-offs, timeline, risk, comparisons,
               the project catalogue and world supply
    present/   how results are shown: charts, display names and formats, exports, methodology text
    sweep/     many scenarios at once: designs, solving in process or on Dask, Sobol' indices, sweep files
    cli/       the command line (`python -m heartland`)
"""

APP_VERSION = "0.1.0"  # written into saved scenarios, bundles and sweep files
