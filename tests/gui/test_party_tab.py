"""The 党建引领 tab: the organisation tree with member counts and members beside it, and the
reminders (branches behind schedule, 政治生日, …) that open the record they are about."""

from __future__ import annotations

from app.services import orgtree, records
from app.ui.area_tab import ORG_TREE
from app.ui.reminders_panel import TARGET_ROLE

from .conftest import TODAY


def _party(window):
    window.tabs.setCurrentIndex(1)  # after 总览
    tab = window.current_tab()
    assert tab.title == "党建引领"
    return tab


def test_org_tree_with_counts_and_members(window):
    tab = _party(window)
    panel = tab.open_register(ORG_TREE)
    roots = orgtree.build_tree(window.db)
    assert panel.tree.topLevelItemCount() == len(roots)
    top = panel.tree.topLevelItem(0)
    assert top.text(0) == roots[0].name and top.text(2) == str(roots[0].total)
    assert top.childCount() == len(roots[0].children)
    # Selecting a branch shows its members (and those of its 党小组).
    branch = next(n for n in roots[0].children if n.children)
    assert panel.select_org(branch.id)
    rows = panel.members.model.visible_rows()
    assert {r["org_id"] for r in rows} <= set(branch.subtree_ids())
    on_roll = [r for r in rows if r["status"] == "在册"]
    assert len(on_roll) == branch.total
    assert branch.name in panel.caption.text()
    # The record actions act on the member table.
    assert window.current_view() is panel.members


def test_reminders_show_branches_behind_and_birthdays(window):
    tab = _party(window)
    panel = tab.reminders
    heads = {panel.topLevelItem(i).text(0) for i in range(panel.topLevelItemCount())}
    assert any(h.startswith("11月政治生日（") for h in heads)
    behind = next(panel.topLevelItem(i) for i in range(panel.topLevelItemCount())
                  if panel.topLevelItem(i).text(0).startswith("三会一课未按期"))
    assert behind.childCount() > 0 and "缺" in behind.child(0).text(0)
    key, org_id = behind.child(0).data(0, TARGET_ROLE)
    assert key == "party_orgs"
    # Activating the line opens the tree on that organisation.
    panel.itemActivated.emit(behind.child(0), 0)
    assert tab.current_key() == ORG_TREE
    assert tab.pages[ORG_TREE].current_org_id() == org_id


def test_reminder_opens_the_member(window):
    tab = _party(window)
    panel = tab.reminders
    head = next(panel.topLevelItem(i) for i in range(panel.topLevelItemCount())
                if panel.topLevelItem(i).text(0).startswith("在职党员未报到"))
    item = head.child(0)
    _, member_id = item.data(0, TARGET_ROLE)
    panel.itemActivated.emit(item, 0)
    view = tab.current_view()
    assert tab.current_key() == "party_members"
    assert view.current_row()["id"] == member_id
    assert view.current_row()["reported_on"] is None


def test_overdue_mediation_in_law_tab(window):
    window.tabs.setCurrentIndex(3)  # 法治保障
    panel = window.current_tab().reminders
    head = panel.topLevelItem(0)
    assert head.text(0).startswith("调解超过 30 天未结")
    assert head.childCount() > 0 and "天" in head.child(0).text(0)


def test_reminders_follow_edits(window, dialogs):
    """Reporting a member elsewhere removes the 未报到 line."""
    tab = _party(window)
    panel = tab.reminders
    count = lambda: next(panel.topLevelItem(i) for i in range(panel.topLevelItemCount())  # noqa
                         if panel.topLevelItem(i).text(0).startswith("在职党员未报到")).childCount()
    before = count()
    head = next(panel.topLevelItem(i) for i in range(panel.topLevelItemCount())
                if panel.topLevelItem(i).text(0).startswith("在职党员未报到"))
    panel.itemActivated.emit(head.child(0), 0)
    from app.ui.record_dialog import RecordDialog

    def report(d: RecordDialog):
        d.editors["reported_on"].line.setText(TODAY.isoformat())
        d.save_button.click()
    dialogs.on(RecordDialog, report)
    window.act_edit.trigger()
    assert count() == before - 1
    assert records.count(window.db, "party_members") > 0
