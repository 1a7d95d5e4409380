"""The gate every export and printout passes: the role may produce it (full numbers need
their own right), and the audit log records who produced what."""

from __future__ import annotations

from . import access, audit


def allow_export(target, registers: list[str] | tuple[str, ...], *, full: bool, rows: int,
                 path: object) -> access.Actor:
    """Check and audit an Excel export of ``registers``; returns the account."""
    actor = access.viewer(target)
    access.require(actor, access.EXPORT)
    if full:
        access.require(actor, access.EXPORT_FULL)
    audit.record_detached(target, actor, audit.EXPORT,
                          register=registers[0] if len(registers) == 1 else "",
                          detail={"文件": str(path), "行数": rows, "完整号码": full,
                                  "台账": list(registers)[:40]})
    return actor


def check_export(target, *, full: bool) -> access.Actor:
    """The check alone, before any row is read (the audit comes with :func:`allow_export`)."""
    actor = access.viewer(target)
    access.require(actor, access.EXPORT)
    if full:
        access.require(actor, access.EXPORT_FULL)
    return actor


def check_print(target, *, full: bool) -> access.Actor:
    actor = access.viewer(target)
    access.require(actor, access.PRINT)
    if full:
        access.require(actor, access.PRINT_FULL)
    return actor


def allow_print(target, register: str, *, full: bool, rows: int, what: str = ""
                ) -> access.Actor:
    """Check and audit a printout (roster or sign-in sheet); returns the account."""
    actor = check_print(target, full=full)
    audit.record_detached(target, actor, audit.PRINT, register=register,
                          detail={"内容": what, "行数": rows, "完整号码": full})
    return actor
