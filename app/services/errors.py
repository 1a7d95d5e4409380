"""Errors the services raise, with Chinese messages that name the field and the problem."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldIssue:
    """One problem with one field.  ``level`` is "error" (not saved) or "warning" (saved, but
    worth a look, e.g. a birth date that disagrees with the ID number)."""

    field: str
    label: str
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"「{self.label}」{self.message}"


class ValidationError(Exception):
    """Nothing was written; ``errors`` says why, field by field."""

    def __init__(self, errors: list[FieldIssue]) -> None:
        self.errors = list(errors)
        super().__init__("；".join(str(e) for e in self.errors))

    def by_field(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for e in self.errors:
            out.setdefault(e.field, []).append(e.message)
        return out


class NotFound(LookupError):
    def __init__(self, label: str, record_id: object) -> None:
        super().__init__(f"找不到{label}（编号 {record_id}）")


class WorkflowError(Exception):
    """A workflow step out of order; nothing was written."""
