"""One module per page; each has ``render()`` and nothing else public."""
