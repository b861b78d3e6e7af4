"""Reads, one module per area: querysets annotated so a page costs a fixed number of queries."""
