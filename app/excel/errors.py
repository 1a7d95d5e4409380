"""Errors of the Excel exchange, with Chinese messages that say what to do."""

from __future__ import annotations


class FileRefused(Exception):
    """The whole file cannot be imported; nothing was written.  ``str(exc)`` is the message."""


class Cancelled(Exception):
    """The user cancelled a long import; the transaction was rolled back."""
