"""The 签到表 (sign-in sheet) of one 组织生活 meeting.

Printed before the meeting: the organisation, time, place and topic at the top, then every
member expected to attend (应到: the 在册 members of the meeting's organisation and of every
organisation below it, so a 党委 or 党支部 meeting lists its 党小组 members too) with empty
签名 and 备注 columns, then lines for 列席 (people attending without being members).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..registry.party import PARTY_POSTS
from ..services.errors import NotFound
from ..storage.schema import TABLES
from .roster import RosterError, office_name
from .spec import Column, RosterSpec, Section, chinese_date

#: Posts in the order a sign-in sheet lists people (书记 first).
POST_RANK = {post: i for i, post in enumerate(PARTY_POSTS)}
#: Members who are expected at a meeting.
EXPECTED_STATUS = "在册"
MIN_OBSERVER_LINES = 4
SIGN_ROW_MM = 9.0

COLUMNS = [
    Column("姓名", 6),
    Column("所在党组织", 14),
    Column("党内职务", 5, "center"),
    Column("签名", 10, "center", min_width=10),
    Column("备注", 6, min_width=7),
]


def org_subtree(conn: sa.Connection, org_id: int) -> list[tuple[int, str]]:
    """(id, name) of the organisation and every organisation below it, parents first."""
    o = TABLES["party_orgs"]
    rows = conn.execute(sa.select(o.c.id, o.c.name, o.c.parent_id)
                        .where(o.c.deleted_at.is_(None)).order_by(o.c.id)).all()
    children: dict[int | None, list[tuple[int, str]]] = {}
    names = {}
    for oid, name, parent in rows:
        children.setdefault(parent, []).append((oid, name))
        names[oid] = name
    if org_id not in names:
        return []
    out, todo, seen = [], [(org_id, names[org_id])], set()
    while todo:  # breadth first; ``seen`` guards against a cycle in bad data
        node = todo.pop(0)
        if node[0] in seen:
            continue
        seen.add(node[0])
        out.append(node)
        todo.extend(children.get(node[0], []))
    return out


def expected_members(conn: sa.Connection, org_id: int) -> list[dict]:
    """在册 members of the organisation's subtree, ordered by organisation, post, 入党日期."""
    from ..services.query import list_rows
    orgs = org_subtree(conn, org_id)
    order = {oid: i for i, (oid, _) in enumerate(orgs)}
    rows = list_rows(conn, "party_members",
                     filters={"org_id": list(order), "status": EXPECTED_STATUS})
    far = dt.date.max
    rows.sort(key=lambda r: (order.get(r["org_id"], len(order)),
                             POST_RANK.get(r.get("party_post") or "党员", len(POST_RANK)),
                             r.get("joined_on") or far, r["id"]))
    return rows


def _observers(conn: sa.Connection, meeting_id: int) -> list[str]:
    """Names already recorded as 列席 for this meeting (when a sheet is reprinted)."""
    a, p = TABLES["meeting_attendance"], TABLES["people"]
    stmt = (sa.select(p.c.name).select_from(a.join(p, p.c.id == a.c.person_id))
            .where(a.c.meeting_id == meeting_id, a.c.attendance == "列席",
                   a.c.deleted_at.is_(None)).order_by(a.c.id))
    return [n for (n,) in conn.execute(stmt)]


def _when(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    text = chinese_date(value if isinstance(value, dt.date) else value.date())
    if isinstance(value, dt.datetime) and (value.hour or value.minute):
        text += f" {value:%H:%M}"
    return text


def signin_spec(target, meeting_id: int, *, office: str | None = None,
                printed_on: dt.date | None = None) -> RosterSpec:
    """The sign-in sheet of ``party_meetings`` row ``meeting_id``.

    ``target`` is a Database or a Connection.  ``office`` is accepted for symmetry with the
    roster; the sheet's title names the organisation, which is what a branch files it under.
    """
    from ..services.outputs import allow_print, check_print
    from ..services.records import get, reading
    check_print(target, full=False)
    with reading(target) as conn:
        try:
            m = get(conn, "party_meetings", meeting_id)
        except NotFound:
            raise RosterError(f"没有编号为 {meeting_id} 的组织生活记录；"
                              "请在“组织生活”台账中查看记录编号") from None
        if m.get("deleted_at"):
            raise RosterError(f"编号为 {meeting_id} 的组织生活记录已删除，不能打印签到表")
        members = expected_members(conn, m["org_id"])
        observers = _observers(conn, meeting_id)
        office = office or office_name(conn)
    rows = [[r.get("person_name") or "", r.get("org_id__title") or "",
             r.get("party_post") or "", "", ""] for r in members]
    allow_print(target, "party_meetings", full=False, rows=len(rows),
                what=f"签到表：{m.get('label') or meeting_id}")
    blank = max(MIN_OBSERVER_LINES, (m.get("observers") or 0) - len(observers))
    info = [("党组织", m.get("org_id__title") or ""), ("会议类型", m.get("meeting_type") or ""),
            ("时间", _when(m.get("held_at"))), ("地点", m.get("place") or ""),
            ("主题", m.get("topic") or "")]
    if m.get("first_topic"):
        info.append(("第一议题", m["first_topic"]))
    info += [("应到人数", f"{len(rows)} 人"), ("实到人数", "＿＿＿ 人"),
             ("请假人数", "＿＿＿ 人"), ("列席人数", "＿＿＿ 人")]
    org_name = m.get("org_id__title") or office
    return RosterSpec(
        title=f"{m.get('meeting_type') or '会议'}签到表", office=org_name,
        columns=list(COLUMNS),
        sections=[Section(rows, heading=f"应到人员（{len(rows)} 人）"),
                  Section([[name, "", "", "", "列席"] for name in observers],
                          heading="列席人员", new_page=False, blank_rows=blank)],
        info=info, orientation="portrait",
        footer=[("主持人", m.get("host") or ""), ("记录人", m.get("recorder") or "")],
        printed_on=printed_on or dt.date.today(), min_row_mm=SIGN_ROW_MM)
