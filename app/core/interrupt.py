"""Ctrl+C on the command line: one Chinese line and exit status 130, never a traceback.

Every write is one transaction, rolled back as the interrupt unwinds it, so the data is as
it was before the command.
"""

from __future__ import annotations

import signal
import sys

#: 128 + SIGINT: what shells report for a process ended by Ctrl+C.
EXIT_INTERRUPTED = 130


def interrupted(message: str = "已中断（Ctrl+C）。未完成的修改已撤回，数据没有改动。") -> int:
    """Say ``message`` on stderr and return :data:`EXIT_INTERRUPTED`.  A second Ctrl+C while
    leaving is ignored (it would print a traceback from the interpreter's shutdown)."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread (a test calling main from a worker)
        pass
    try:
        print(message, file=sys.stderr)
    except (OSError, ValueError):
        pass
    return EXIT_INTERRUPTED
