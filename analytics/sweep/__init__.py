"""Sweeps: many scenarios at once, and which inputs drive dependence (global sensitivity).

    design.py   which inputs vary and over what ranges (read from Scenario.FIELDS), and the sample:
                a Sobol' (Saltelli) design or a Latin hypercube, through SALib
    solve.py    the one per-scenario call (today model.run; the warm-started engine replaces it there),
                in process with a work budget, and on Dask (a LocalCluster or any scheduler address)
    indices.py  Sobol' first-order and total indices of the dependence index, with confidence intervals
    files.py    one Parquet file per sweep (inputs, headline results, status; the design in its metadata),
                written and read back with size limits

>>> from analytics.sweep import design
>>> d = design.sample(design.ranges(["trw", "offt"]), n=8, method="sobol", seed=1)
>>> len(d.table), d.block_size
(8, 4)
"""
