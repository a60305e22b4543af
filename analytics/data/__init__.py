"""Reading and writing data: the reference database, sources, saved scenarios and uploads."""
