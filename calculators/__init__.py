"""Browser glue for the four tools: form specs, result views, exports and the worker entry point.

Pure standard library (like kaizen_core), because the same code runs at build time in CPython and
in the visitor's browser in Pyodide. ``app.mjs`` is the JavaScript side.
"""
