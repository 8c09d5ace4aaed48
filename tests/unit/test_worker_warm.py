"""The worker's head start for the next tool (worker.warm_next): once idle after a page's first
result, it answers every other page tool's example once, one tool per call, and then stops."""

from __future__ import annotations

from typing import Any

import pytest

from calculators import worker
from kaizen_core import registry


def test_each_other_tool_is_answered_once_then_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "_warmed", set())
    answered: list[str] = []
    real = worker.compute

    def counting(tool: str, request_json: str, shown_digest: str = "") -> str:
        answered.append(tool)
        reply = real(tool, request_json, shown_digest)
        assert '"status": 0' in reply, reply[:300]  # each example is a valid request
        return reply

    monkeypatch.setattr(worker, "compute", counting)
    tools = registry.page_names()
    shown = tools[0]
    left = [worker.warm_next(shown) for _ in range(len(tools) + 2)]
    assert answered == [name for name in tools if name != shown]
    assert left == [*range(len(tools) - 2, -1, -1), 0, 0, 0]


def test_the_page_names_the_tool_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tool shown later (opened in the same document) is not answered again as a head start."""
    monkeypatch.setattr(worker, "_warmed", set())
    answered: list[Any] = []
    monkeypatch.setattr(worker, "compute", lambda tool, *_: answered.append(tool) or "{}")
    tools = registry.page_names()
    worker.warm_next(tools[0])
    worker.warm_next(tools[2])
    assert answered == [tools[1], tools[3]]
