"""The Streamlit pages and their parts. Thin: gather input, call the core, show the result.

No scoring rules here: levels, points, visibility and advice all come from ``scoring``.
"""
