"""What a saved record implies elsewhere, offered to the user rather than done silently.

组织关系转出 of a member on the roll: offer to set the member's 状态 to 转出 (dated, with the
receiving organisation as the reason).  组织关系转入: offer to put the member on the roll of the
receiving organisation — updating an existing member record, or opening the 党员 form filled
in for a new one.  Every write goes through the record services (one transaction each).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from ..registry import get as get_register
from ..services import records
from .record_dialog import RecordDialog, actor_name


def after_save(parent: QWidget, db, key: str, row: dict, created: bool) -> tuple[str, ...]:
    """Offer the follow-ups of a saved row; returns the other registers that were written."""
    if key == "party_transfers" and created and row.get("deleted_at") is None:
        return transfer_out(parent, db, row) if row["direction"] == "转出" \
            else transfer_in(parent, db, row)
    return ()


def _ask(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


def transfer_out(parent: QWidget, db, row: dict) -> tuple[str, ...]:
    members = records.list_rows(db, "party_members",
                                filters={"person_id": row["person_id"], "status": "在册"})
    if not members:
        return ()
    member = members[0]
    name = row.get("person_name") or member.get("person_name") or ""
    letter = f"，介绍信 {row['letter_no']}" if row.get("letter_no") else ""
    if not _ask(parent, "组织关系转出",
                f"{name} 的组织关系已于 {row['transfer_date']:%Y-%m-%d} 转出至“{row['other_org']}”。"
                f"\n是否同时把党员名册中 {name} 的状态改为“转出”？"):
        return ()
    try:
        records.update(db, "party_members", member["id"], {
            "status": "转出", "status_date": row["transfer_date"],
            "status_reason": f"组织关系转出至{row['other_org']}{letter}"}, actor_name())
    except records.ValidationError as exc:
        QMessageBox.warning(parent, "组织关系转出", f"党员状态未修改：{exc}")
        return ()
    return ("party_members",)


def transfer_in(parent: QWidget, db, row: dict) -> tuple[str, ...]:
    members = records.list_rows(db, "party_members", filters={"person_id": row["person_id"]})
    name = row.get("person_name") or ""
    org = row.get("org_id__title") or ""
    if members:
        member = members[0]
        if member["org_id"] == row["org_id"] and member["status"] == "在册":
            return ()
        if not _ask(parent, "组织关系转入",
                    f"{name} 已在党员名册中（{member.get('org_id__title')}，{member['status']}）。"
                    f"\n是否改为“{org}”的在册党员？"):
            return ()
        try:
            records.update(db, "party_members", member["id"], {
                "org_id": row["org_id"], "status": "在册", "status_date": row["transfer_date"],
                "status_reason": f"组织关系由{row['other_org']}转入"}, actor_name())
        except records.ValidationError as exc:
            QMessageBox.warning(parent, "组织关系转入", f"党员记录未修改：{exc}")
            return ()
        return ("party_members",)
    if not _ask(parent, "组织关系转入",
                f"{name} 还不在党员名册中。\n是否现在为其建立党员记录（所在党组织：{org}）？"):
        return ()
    form = RecordDialog(parent, db, get_register("party_members"),
                        initial={"person_id": row["person_id"], "org_id": row["org_id"]})
    if form.exec() == QDialog.DialogCode.Accepted and form.saved:
        return ("party_members",)
    return ()
