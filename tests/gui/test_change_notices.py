"""Views follow what a write changed, hooks included, without a manual refresh: the services
return every register and id a write touched and the window refreshes exactly those views."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt

from app.services import records
from app.ui.record_dialog import RecordDialog

from .conftest import open_register
from app.services.access import system


def _sole_member_home(db) -> tuple[dict, int]:
    """A 在册 member who is the only one on the roll in a household, and that household."""
    members = records.list_rows(db, "party_members", filters={"status": "在册"})
    people = {p["id"]: p for p in records.list_rows(db, "people")}
    homes = Counter(people[m["person_id"]]["household_id"] for m in members)
    for m in members:
        home = people[m["person_id"]]["household_id"]
        if home is not None and homes[home] == 1:
            return m, home
    raise AssertionError("the demo has no household with exactly one member on the roll")


def _shown(view, record_id: int, key: str) -> str:
    """The text the table shows for ``record_id`` in column ``key`` (display role)."""
    col = [c.key for c in view.reg.columns].index(key)
    idx = view.model.index(view.model.position_of(record_id), col)
    return view.model.data(idx, Qt.ItemDataRole.DisplayRole)


def test_member_status_updates_open_household_view(window, dialogs, qtbot):
    member, home = _sole_member_home(window.db)
    homes = open_register(window, "households")
    assert _shown(homes, home, "is_party_household") == "是"

    members = open_register(window, "party_members")
    assert members.select_record(member["id"])

    def leave(d: RecordDialog):
        d.editors["status"].set_value("去世")
        d.editors["status_date"].set_value("2026-11-01")
        d.save_button.click()
    dialogs.on(RecordDialog, leave)
    with qtbot.waitSignal(window.data_changed) as sig:
        qtbot.keyClick(members.table, Qt.Key.Key_Return)
    # The write said which household flipped, not only that a member changed.
    assert home in sig.args[0].ids.get("households", set())
    assert records.get(window.db, "households", home)["is_party_household"] is False

    # No refresh asked for: the 户 view shows the new 党员户 as soon as it is seen again.
    again = open_register(window, "households")
    assert again is homes
    qtbot.waitUntil(lambda: not homes.loading and not homes.stale)
    assert _shown(homes, home, "is_party_household") == "否"


def test_moving_a_member_to_another_person_clears_the_old_home(demo_db):
    """Hooks report the household a member record left, not only the one it joined."""
    member, home = _sole_member_home(demo_db)
    plain = {h["id"] for h in records.list_rows(demo_db, "households")
             if not h["is_party_household"]}
    other = next(p for p in records.list_rows(demo_db, "people")
                 if p["household_id"] in plain and not records.list_rows(
                     demo_db, "party_members", filters={"person_id": p["id"]}))
    written = records.update(demo_db, "party_members", member["id"],
                             {"person_id": other["id"]}, system("t"))
    assert {home, other["household_id"]} <= written.changes.ids["households"]
    assert records.get(demo_db, "households", home)["is_party_household"] is False
    assert records.get(demo_db, "households", other["household_id"])["is_party_household"]
