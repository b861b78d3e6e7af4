"""Pages, one module per area; each view is thin over selectors and services."""
