"""How results are shown: charts, display names and formats, exports and the methodology text."""
