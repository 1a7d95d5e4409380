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


class StaleRecord(Exception):
    """Someone saved the record after it was read here (its version moved on): nothing was
    written, so neither change is lost.  ``current`` is the row as stored now (who and when in
    ``updated_by`` / ``updated_at``); ``changed`` the fields whose values differ from the row
    as read, when the caller gave it (``{field: (as read, now)}``)."""

    def __init__(self, label: str, record_id: int, expected: int, current: dict,
                 changed: dict | None = None) -> None:
        self.label, self.record_id, self.expected = label, record_id, expected
        self.current = current
        self.changed = changed or {}
        when = current.get("updated_at")
        when = f"{when:%Y-%m-%d %H:%M:%S}" if when else "刚才"
        who = current.get("updated_by") or "另一位用户"
        what = "、".join(self.changed) if self.changed else ""
        super().__init__(
            f"{label}（编号 {record_id}）在您打开之后已被 {who} 于 {when} 修改"
            + (f"（改动了：{what}）" if what else "")
            + "。为免覆盖对方的修改，这次没有保存。请重新载入后再改，或对比两边的内容。")

    @property
    def version(self) -> int:
        return self.current.get("version")
