"""What a tool's page module provides, and the one place that loads it.

A tool with a page names its view module in its registry file (``view = "calculators.subsidy"``,
:mod:`kaizen_core.registry`). The module provides :class:`ToolView`; it ends with a check that
mypy reads::

    if TYPE_CHECKING:
        import calculators.subsidy as _self
        from calculators.views import ToolView

        _view: ToolView = _self

so that mypy checks every view against the protocol in the view's own file. A view may also offer
its own downloads besides CSV and xlsx, ``FILES`` (kind → :data:`FileMaker`, read by :func:`files`);
its check then adds ``_files: Mapping[str, FileMaker] = FILES``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from kaizen_core import registry

if TYPE_CHECKING:
    from calculators.forms import ToolForm

# One table of a download: its title, its header row and its rows (calculators.export).
ExportTable = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
# A view's own download besides CSV and xlsx: its MIME type and what makes its bytes from the
# request and the response (e.g. the subsidy tool's calendar of deadlines).
FileMaker = tuple[str, Callable[[dict[str, Any], dict[str, Any]], bytes]]


class ToolView(Protocol):
    """A tool page's form and the views of its response."""

    @property
    def FORM(self) -> ToolForm:
        """The form (calculators.forms): rendered at build time, read back by the worker."""

    def render(self, response: dict[str, Any], request: dict[str, Any]) -> str:
        """The result as HTML (built with calculators.html, every text escaped)."""

    def summary(self, response: dict[str, Any]) -> str:
        """One sentence for the status line, read out by screen readers after each change."""

    def export_tables(self, response: dict[str, Any]) -> Sequence[ExportTable]:
        """The result's tables for the CSV and xlsx downloads."""


def view(tool: str) -> ToolView:
    """The view module of a tool with a page; KeyError for any other name."""
    entry = registry.tool(tool)
    if entry.view is None:
        raise KeyError(tool)
    return cast("ToolView", import_module(entry.view))


def files(tool: str) -> Mapping[str, FileMaker]:
    """A view's own downloads, by kind (the file's extension): its optional ``FILES``; none if it
    has no such constant."""
    found: Mapping[str, FileMaker] = getattr(view(tool), "FILES", {})
    return found


def example_path(tool: str) -> Path:
    """The default request of a tool with a page: ``example`` in its registry file, relative to
    the folder of its view module (found without importing it)."""
    entry = registry.tool(tool)
    if entry.view is None or entry.example is None:
        raise KeyError(tool)
    spec = importlib.util.find_spec(entry.view)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(entry.view)
    return Path(spec.origin).parent / entry.example
