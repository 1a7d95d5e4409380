"""Widgets that rebuild themselves from the database only when someone can see them."""

from __future__ import annotations


class ReloadWhenShown:
    """Mixin for a widget with a ``reload()`` that sets ``stale = False``.

    ``mark_stale()`` (the data changed) reloads at once if the widget is visible and otherwise
    at its next show, so hidden tabs cost nothing after a write.  Put it before the Qt class
    in the bases so its ``showEvent`` runs first."""

    stale = True

    def mark_stale(self) -> None:
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event) -> None:  # Qt override: keeps Qt's camelCase name
        super().showEvent(event)
        if self.stale:
            self.reload()
