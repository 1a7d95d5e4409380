"""Logging for the installed program: a rotating file in the user data folder (a gui-script
has no console), with 身份证号 and 手机号 masked in every record.

    from app import logsetup
    logsetup.configure()                      # once, at start (app.cli does it)
    log = logging.getLogger(__name__)         # everywhere else

The file is ``<data folder>/logs/taizhang.log`` (``TAIZHANG_HOME`` or platformdirs, see
:mod:`app.paths`), at most ``MAX_BYTES`` per file with ``BACKUPS`` older files kept.  Masking
happens in a filter on our handlers, before any text is written: an 18-digit ID keeps its
first 6 and last 4 characters (``110105********002X``, as printing does), a mobile number its
first 3 and last 4 (``138****5678``) — in the message, its arguments, the traceback and the
stack.  No Qt here: the GUI's message box for uncaught errors is ``app/ui/crash.py``.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import re
import sys
import threading
from pathlib import Path
from typing import Callable

LOG_NAME = "taizhang.log"
CRASH_NAME = "native-crash.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"

# A run of 15–19 digits (an 18-digit ID, an old 15-digit one, or one typed with a digit too
# many or too few), optionally ending in X: keep the region (6) and the last 4.
_ID_RUN = re.compile(r"(?<!\d)(\d{6})(\d{5,9})(\d{3}[\dXx]|\d{4})(?!\d)")
# A mainland mobile number, 11 digits from 13…19, optionally after +86 / 86: keep 3 + 4.
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)(\d{4})(\d{4})(?!\d)")

_handlers: list[logging.Handler] = []
_state: dict[str, object] = {}


def mask_sensitive(text: str) -> str:
    """``text`` with every ID number and mobile number masked."""
    if not text or not any(c.isdigit() for c in text):
        return text
    text = _ID_RUN.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    return _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class MaskingFilter(logging.Filter):
    """Rewrites a record so that its message, traceback and stack carry no full ID or mobile
    number.  Attached to handlers, so it sees records from every logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = mask_sensitive(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_sensitive(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_sensitive(record.stack_info)
        return True


class MaskingFormatter(logging.Formatter):
    """Masks the finished line too (extra fields, a handler without the filter)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_sensitive(super().format(record))


def log_dir(data_dir: Path | None = None) -> Path:
    if data_dir is None:
        from .paths import data_dir as default_data_dir
        data_dir = default_data_dir()
    return Path(data_dir) / "logs"


def log_path() -> Path | None:
    """The log file in use, or None before :func:`configure` (or if it could not be made)."""
    return _state.get("path")  # type: ignore[return-value]


def reset() -> None:
    """Remove what :func:`configure` installed (tests)."""
    root = logging.getLogger()
    for h in _handlers:
        root.removeHandler(h)
        h.close()
    _handlers.clear()
    crash_file = _state.pop("crash_file", None)
    if crash_file is not None:
        faulthandler.disable()
        crash_file.close()  # type: ignore[attr-defined]
    _state.clear()


def configure(data_dir: Path | None = None, *, level: int | str | None = None) -> Path | None:
    """Send ``logging`` to the rotating, masked log file; returns its path (None when the
    folder cannot be written: then records go to stderr only, still masked).

    Idempotent: calling it again replaces the handlers it installed before (another data
    folder, a test).  ``TAIZHANG_LOG_LEVEL`` (e.g. ``DEBUG``) overrides the INFO default.
    """
    root = logging.getLogger()
    for h in _handlers:
        root.removeHandler(h)
        h.close()
    _handlers.clear()
    _state.pop("path", None)
    level = level or os.environ.get("TAIZHANG_LOG_LEVEL", "").upper() or logging.INFO
    formatter = MaskingFormatter(FORMAT)
    path: Path | None = log_dir(data_dir) / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        path = None
        handler = logging.StreamHandler(sys.stderr) if sys.stderr else logging.NullHandler()
        handler.setLevel(logging.WARNING)
    handler.addFilter(MaskingFilter())
    handler.setFormatter(formatter)
    root.addHandler(handler)
    _handlers.append(handler)
    root.setLevel(level)
    # Alembic lists every plugin it sets up on each database open: noise at INFO.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    _state["path"] = path
    if path is not None:
        _enable_faulthandler(path.parent / CRASH_NAME)
    return path


def _enable_faulthandler(path: Path) -> None:
    """A crash inside Qt's C++ (no Python traceback) still leaves the Python stack in a file;
    stack frames hold no personal data."""
    try:
        old = _state.pop("crash_file", None)
        stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 - must stay open
        faulthandler.enable(stream)
        _state["crash_file"] = stream
        if old is not None:
            old.close()  # type: ignore[attr-defined]
    except (OSError, RuntimeError, ValueError):
        pass


Shower = Callable[[str, "Path | None"], None]


def install_excepthook(show: Shower | None = None) -> None:
    """Log every uncaught exception (main thread and other threads) before anything else
    happens; then ``show(summary, log_path)`` (the GUI's message box) or, without ``show``,
    the usual traceback on stderr (a masked one)."""
    log = logging.getLogger("taizhang.crash")

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("未处理的错误", exc_info=(exc_type, exc, tb))
        summary = mask_sensitive(f"{exc_type.__name__}: {exc}")
        if show is not None:
            try:
                show(summary, log_path())
                return
            except Exception:  # noqa: BLE001 - the box itself failed: fall back to stderr
                log.exception("无法显示错误提示")
        if sys.stderr is not None:
            import traceback
            sys.stderr.write(mask_sensitive("".join(
                traceback.format_exception(exc_type, exc, tb))))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
