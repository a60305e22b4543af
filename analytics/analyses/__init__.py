"""What is computed from the model and the reference data: trade-offs, timeline, risk, comparisons, the project catalogue and world supply."""
