"""Pages for review, the consolidated dataset and releases. Thin: selectors read, services write."""
