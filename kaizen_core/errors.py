"""Input errors that carry the request field and a Japanese message.

Every tool reports *all* bad fields of a request at once, so a form can show each message beside
its own input while the other inputs keep working.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: `field` is the request path, e.g. ``fees.plan``."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InputError(Exception):
    """Raised when a request cannot be answered; holds one or more field errors."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str) -> InputError:
        return cls([FieldError(field, message)])

    def as_dict(self) -> dict[str, list[dict[str, str]]]:
        return {"errors": [e.as_dict() for e in self.errors]}


class ErrorCollector:
    """Gathers field errors while a request is read, then raises them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def extend(self, error: InputError) -> None:
        self.errors.extend(error.errors)

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputError(list(self.errors))
