"""Browser glue for the tool pages (the tools of kaizen_core.registry that have a page): form specs,
result views (calculators.views.ToolView), exports and the worker entry point.

Pure standard library (like kaizen_core), because the same code runs at build time in CPython and
in the visitor's browser in Pyodide. ``app.mjs`` is the JavaScript side.
"""
