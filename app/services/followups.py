"""What saving a record implies elsewhere, declared on the register (``Register.followups``)
and offered to the user before it is done, never done silently.

组织关系转出 of a member on the roll: set the member's 状态 to 转出 (dated, with the receiving
organisation as the reason).  组织关系转入: put the member on the roll of the receiving
organisation — updating an existing member record, or, when the person has none yet, opening
the 党员 form filled in.  A follow-up the user accepts is written in the same transaction as
the record itself (:func:`app.services.records.create` with ``followups=True``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..registry import get as get_register
from . import batch, query
from .access import Actor
from .changes import Changes
from .records import reading

MEMBERS = "party_members"


@dataclass
class Offer:
    """A follow-up to put to the user: ``question`` (yes/no).  With ``form`` set, the answer
    "yes" opens that register's form filled in with ``initial`` (a new record is the user's
    own action) instead of writing anything."""

    title: str
    question: str
    form: str | None = None
    initial: dict = field(default_factory=dict)


def _members(conn: sa.Connection, person_id: int, **filters) -> list[dict]:
    return query.list_rows(conn, MEMBERS, filters={"person_id": person_id, **filters})


def _transfer_change(conn: sa.Connection, row: dict) -> tuple[dict, dict] | None:
    """(member row, values to write) that a transfer implies, or None."""
    if row.get("person_id") is None or row.get("deleted_at") is not None:
        return None
    if row.get("direction") == "转出":
        members = _members(conn, row["person_id"], status="在册")
        if not members:
            return None
        letter = f"，介绍信 {row['letter_no']}" if row.get("letter_no") else ""
        return members[0], {"status": "转出", "status_date": row["transfer_date"],
                            "status_reason": f"组织关系转出至{row['other_org']}{letter}"}
    members = _members(conn, row["person_id"])
    if not members:
        return None
    member = members[0]
    if member["org_id"] == row["org_id"] and member["status"] == "在册":
        return None
    return member, {"org_id": row["org_id"], "status": "在册",
                    "status_date": row["transfer_date"],
                    "status_reason": f"组织关系由{row['other_org']}转入"}


def _transfer_offer(conn: sa.Connection, row: dict) -> Offer | None:
    person = get_register("people")
    name = query.title_of(conn, person, row["person_id"]) if row.get("person_id") else ""
    found = _transfer_change(conn, row)
    if row.get("direction") == "转出":
        if found is None:
            return None
        return Offer("组织关系转出",
                     f"{name} 的组织关系于 {row['transfer_date']:%Y-%m-%d} 转出至“{row['other_org']}”。"
                     f"\n是否同时把党员名册中 {name} 的状态改为“转出”？")
    org = query.title_of(conn, get_register("party_orgs"), row["org_id"]) \
        if row.get("org_id") else ""
    if found is not None:
        member = found[0]
        return Offer("组织关系转入",
                     f"{name} 已在党员名册中（{member.get('org_id__title')}，{member['status']}）。"
                     f"\n是否改为“{org}”的在册党员？")
    if _members(conn, row["person_id"]) if row.get("person_id") else True:
        return None  # already on the roll of that organisation, or no person
    return Offer("组织关系转入",
                 f"{name} 还不在党员名册中。\n是否现在为其建立党员记录（所在党组织：{org}）？",
                 form=MEMBERS, initial={"person_id": row["person_id"], "org_id": row["org_id"]})


def _transfer_apply(conn: sa.Connection, row: dict, actor: Actor) -> Changes:
    found = _transfer_change(conn, row)
    if found is None:
        return Changes()
    member, values = found
    return batch.update_many(conn, MEMBERS, [(member["id"], values)], actor).changes


#: Follow-up name (as declared on a register) → (what to offer, what to write).
FOLLOWUPS = {"transfer_roll": (_transfer_offer, _transfer_apply)}


def offer(target, key: str, row: dict) -> Offer | None:
    """What saving ``row`` (values of a new record of ``key``) would imply, as a question."""
    for name in get_register(key).followups:
        with reading(target) as conn:
            found = FOLLOWUPS[name][0](conn, row)
        if found is not None:
            return found
    return None


def apply(conn: sa.Connection, key: str, row: dict, actor: Actor) -> Changes:
    """Write the follow-ups of a new record ``row`` (in the caller's transaction)."""
    changes = Changes()
    for name in get_register(key).followups:
        changes.merge(FOLLOWUPS[name][1](conn, row, actor))
    return changes
