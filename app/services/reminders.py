"""Reminders shown where the work happens: 政治生日 this month, branches behind their 三会一课
schedule, 预备党员 due for 转正, mediation cases open past the normal month or due for their
回访, petitions near or past their reply deadline, 主题沙龙 behind the quarterly goal, members
not yet 报到 or without a plaque, and workflow items still in progress.

Every function takes ``today`` so results are reproducible in tests; no Qt here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..registry import get as get_register
from ..registry.cadre import SALON_GOAL
from ..registry.law import MEDIATION_CLOSED, MEDIATION_DAYS, PETITION_REPLY_DAYS, REVISIT_DAYS
from ..registry.party import MEETING_SCHEDULE, PROBATION_YEARS
from ..storage import Database
from ..storage.schema import TABLES
from .records import reading as _reading

#: Which organisation types owe which meetings (党小组会 is the 党小组's, the rest the 支部's).
MEETINGS_BY_ORG_TYPE = {
    "党支部": ("支委会", "支部党员大会", "党课"),
    "党小组": ("党小组会",),
}
#: How far back a branch that never met is counted (periods), so the figure stays readable.
MAX_MISSED = 12


#: How far ahead a coming deadline is shown (转正, 回访, 信访答复).
LOOKAHEAD_DAYS = 30


@dataclass(frozen=True)
class Reminder:
    """One line of a reminder list; ``register``/``record_id`` say where to jump to, and
    ``ids`` the rows behind a line that stands for several (a quarter's 主题沙龙)."""

    register: str
    record_id: int | None
    text: str
    ids: tuple[int, ...] = ()

    @property
    def rows(self) -> tuple[int, ...]:
        """Every record this line is about."""
        return self.ids or ((self.record_id,) if self.record_id is not None else ())


@dataclass
class ReminderGroup:
    """Reminders of one kind (e.g. 本月政治生日) with a title for the panel."""

    kind: str
    title: str
    items: list[Reminder] = field(default_factory=list)

    @property
    def register(self) -> str | None:
        """The register the group's rows are in (None when they are in several or none)."""
        keys = {r.register for r in self.items}
        return keys.pop() if len(keys) == 1 else None

    @property
    def rows(self) -> tuple[int, ...]:
        """The rows behind the whole group, each once, in the order listed."""
        return tuple(dict.fromkeys(i for r in self.items for i in r.rows))


def _when(days: int) -> str:
    """还有 9 天 / 今天 / 已过 12 天 (no-break spaces keep a number with its unit)."""
    if days > 0:
        return f"还有\u00a0{days}\u00a0天"
    return "今天到期" if days == 0 else f"已过\u00a0{-days}\u00a0天"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _member_base(community_id: int | None):
    m, p, o = TABLES["party_members"], TABLES["people"], TABLES["party_orgs"]
    stmt = (sa.select(m.c.id, p.c.name, o.c.name.label("org"), m.c.joined_on)
            .select_from(m.join(p, p.c.id == m.c.person_id).join(o, o.c.id == m.c.org_id))
            .where(m.c.deleted_at.is_(None), m.c.status == "在册"))
    if community_id is not None:
        stmt = stmt.where(o.c.community_id == community_id)
    return stmt, m


def political_birthdays(target: Database | sa.Connection, today: dt.date,
                        community_id: int | None = None) -> list[Reminder]:
    """在册 members whose 入党日期 falls in this month of an earlier year, by day."""
    stmt, m = _member_base(community_id)
    stmt = stmt.where(m.c.joined_on.is_not(None))
    with _reading(target) as conn:
        rows = conn.execute(stmt).all()
    hits = [r for r in rows if r.joined_on.month == today.month and r.joined_on.year < today.year]
    hits.sort(key=lambda r: (r.joined_on.day, r.name))
    return [Reminder("party_members", r.id,
                     f"{r.joined_on.month}月{r.joined_on.day}日 {r.name}（{r.org}）"
                     f"入党 {today.year - r.joined_on.year} 周年")
            for r in hits]


def members_not_reported(target: Database | sa.Connection,
                         community_id: int | None = None) -> list[Reminder]:
    """在职党员 who have not yet 报到 at the community (no 报到日期)."""
    stmt, m = _member_base(community_id)
    stmt = stmt.where(m.c.identity == "在职党员到社区报到", m.c.reported_on.is_(None))
    with _reading(target) as conn:
        rows = conn.execute(stmt.order_by(m.c.org_id, m.c.id)).all()
    return [Reminder("party_members", r.id, f"{r.name}（{r.org}）未报到") for r in rows]


def members_without_plaque(target: Database | sa.Connection,
                           community_id: int | None = None) -> list[Reminder]:
    """社区党员 (living in the community) whose home has no 党员户 plaque yet."""
    stmt, m = _member_base(community_id)
    stmt = stmt.where(m.c.identity == "社区党员",
                      sa.or_(m.c.plaque_hung.is_(None), m.c.plaque_hung.is_(False)))
    with _reading(target) as conn:
        rows = conn.execute(stmt.order_by(m.c.org_id, m.c.id)).all()
    return [Reminder("party_members", r.id, f"{r.name}（{r.org}）未挂牌") for r in rows]


def _period(day: dt.date, months: int) -> int:
    """Index of the calendar period (month, quarter, …) that ``day`` falls in."""
    return (day.year * 12 + day.month - 1) // months


_UNIT = {1: "个月", 3: "个季度", 6: "个半年", 12: "年"}


def branches_behind(target: Database | sa.Connection, today: dt.date,
                    community_id: int | None = None) -> list[Reminder]:
    """Organisations with a past period (month or quarter, per ``MEETING_SCHEDULE``) in which a
    required meeting was not held.  The current period is still open, so it never counts; nor
    do periods before the organisation was founded."""
    o, mt = TABLES["party_orgs"], TABLES["party_meetings"]
    orgs_stmt = (sa.select(o.c.id, o.c.name, o.c.org_type, o.c.founded_on)
                 .where(o.c.deleted_at.is_(None),
                        o.c.org_type.in_(list(MEETINGS_BY_ORG_TYPE))))
    if community_id is not None:
        orgs_stmt = orgs_stmt.where(o.c.community_id == community_id)
    last_stmt = (sa.select(mt.c.org_id, mt.c.meeting_type, sa.func.max(mt.c.held_at))
                 .where(mt.c.deleted_at.is_(None), mt.c.held_at < dt.datetime.combine(
                     today + dt.timedelta(days=1), dt.time()))
                 .group_by(mt.c.org_id, mt.c.meeting_type))
    with _reading(target) as conn:
        orgs = conn.execute(orgs_stmt.order_by(o.c.community_id, o.c.name)).all()
        last = {(r[0], r[1]): r[2] for r in conn.execute(last_stmt)}
    out = []
    for org in orgs:
        parts = []
        for mtype in MEETINGS_BY_ORG_TYPE[org.org_type]:
            months = MEETING_SCHEDULE[mtype]
            current = _period(today, months)
            held = last.get((org.id, mtype))
            start = current - MAX_MISSED
            if org.founded_on:
                start = max(start, _period(org.founded_on, months))
            if held is not None:
                start = max(start, _period(held.date(), months) + 1)
            missed = current - start
            if missed > 0:
                since = f"上次 {held:%Y-%m-%d}" if held else "未有记录"
                parts.append(f"{mtype}缺 {missed} {_UNIT.get(months, '期')}（{since}）")
        if parts:
            out.append(Reminder("party_orgs", org.id, f"{org.name}：" + "；".join(parts)))
    return out


def overdue_mediation(target: Database | sa.Connection, today: dt.date,
                      community_id: int | None = None) -> list[Reminder]:
    """Open cases received more than ``MEDIATION_DAYS`` days ago, oldest first."""
    c, p = TABLES["mediation_cases"], TABLES["people"]
    limit = today - dt.timedelta(days=MEDIATION_DAYS)
    stmt = (sa.select(c.c.id, c.c.case_no, c.c.category, c.c.step, c.c.received_on,
                      p.c.name)
            .select_from(c.outerjoin(p, p.c.id == c.c.applicant_id))
            .where(c.c.deleted_at.is_(None), c.c.received_on < limit,
                   sa.or_(c.c.step.is_(None), c.c.step.not_in(MEDIATION_CLOSED)))
            .order_by(c.c.received_on, c.c.id))
    if community_id is not None:
        stmt = stmt.where(c.c.community_id == community_id)
    with _reading(target) as conn:
        rows = conn.execute(stmt).all()
    return [Reminder("mediation_cases", r.id,
                     f"{r.case_no or '未编号'} {r.category or ''}（{r.name or '—'}）"
                     # no-break spaces: a wrapped line never splits "已 217 天"
                     f"{r.step or ''}，已\u00a0{(today - r.received_on).days}\u00a0天")
            for r in rows]


def in_progress(target: Database | sa.Connection, key: str, limit: int = 200
                ) -> list[Reminder]:
    """Rows of a workflow register not yet at its last step, with their current step."""
    reg = get_register(key)
    t = TABLES[key]
    last = reg.workflow.steps[-1]
    title_field = reg.field(reg.title)
    stmt = sa.select(t.c.id, t.c.step, t.c.step_date).where(
        t.c.deleted_at.is_(None), sa.or_(t.c.step.is_(None), t.c.step.not_in(last)))
    if title_field.kind == "ref":
        p = TABLES[title_field.ref]
        title_reg = get_register(title_field.ref)
        stmt = stmt.add_columns(p.c[title_reg.title].label("title")).select_from(
            t.outerjoin(p, p.c.id == t.c[title_field.key]))
    else:
        stmt = stmt.add_columns(t.c[reg.title].label("title"))
    with _reading(target) as conn:
        rows = conn.execute(stmt.order_by(t.c.step_date, t.c.id).limit(limit)).all()
    return [Reminder(key, r.id, f"{r.title or '—'}：{r.step or '未开始'}"
                                + (f"（{r.step_date:%Y-%m-%d}）" if r.step_date else ""))
            for r in rows]


def probation_due(target: Database | sa.Connection, today: dt.date,
                  community_id: int | None = None) -> list[Reminder]:
    """在册 预备党员 not yet confirmed whose year of probation ends within
    ``LOOKAHEAD_DAYS`` or has ended: 转正 is due (the branch must discuss it in time)."""
    stmt, m = _member_base(community_id)
    stmt = stmt.where(m.c.category == "预备党员", m.c.confirmed_on.is_(None),
                      m.c.joined_on.is_not(None))
    with _reading(target) as conn:
        rows = conn.execute(stmt).all()
    due = sorted(((_add_years(r.joined_on, PROBATION_YEARS), r) for r in rows),
                 key=lambda p: (p[0], p[1].name))
    return [Reminder("party_members", r.id,
                     f"{r.name}（{r.org}）预备期 {end:%Y-%m-%d} 满，{_when((end - today).days)}")
            for end, r in due if (end - today).days <= LOOKAHEAD_DAYS]


def revisits_due(target: Database | sa.Connection, today: dt.date,
                 community_id: int | None = None) -> list[Reminder]:
    """Cases closed as 调解成功 in the last year with no 回访 yet, once the revisit is due
    within ``LOOKAHEAD_DAYS`` (``REVISIT_DAYS`` after closing) or past due."""
    c, p = TABLES["mediation_cases"], TABLES["people"]
    stmt = (sa.select(c.c.id, c.c.case_no, c.c.category, c.c.closed_on, p.c.name)
            .select_from(c.outerjoin(p, p.c.id == c.c.applicant_id))
            .where(c.c.deleted_at.is_(None), c.c.step == "调解成功",
                   c.c.revisit_on.is_(None), c.c.closed_on.is_not(None),
                   c.c.closed_on > today - dt.timedelta(days=365),
                   c.c.closed_on <= today + dt.timedelta(days=LOOKAHEAD_DAYS - REVISIT_DAYS))
            .order_by(c.c.closed_on, c.c.id))
    if community_id is not None:
        stmt = stmt.where(c.c.community_id == community_id)
    with _reading(target) as conn:
        rows = conn.execute(stmt).all()
    out = []
    for r in rows:
        due = r.closed_on + dt.timedelta(days=REVISIT_DAYS)
        out.append(Reminder("mediation_cases", r.id,
                            f"{r.case_no or '未编号'} {r.category or ''}（{r.name or '—'}）"
                            f"回访 {due:%Y-%m-%d} 到期，{_when((due - today).days)}"))
    return out


def petitions_due(target: Database | sa.Connection, today: dt.date,
                  community_id: int | None = None) -> list[Reminder]:
    """Petitions not yet answered (no 答复日期) whose ``PETITION_REPLY_DAYS`` deadline is
    within ``LOOKAHEAD_DAYS`` or past, the most urgent first."""
    t, p = TABLES["petitions"], TABLES["people"]
    stmt = (sa.select(t.c.id, t.c.received_on, t.c.form, p.c.name)
            .select_from(t.outerjoin(p, p.c.id == t.c.petitioner_id))
            .where(t.c.deleted_at.is_(None), t.c.replied_on.is_(None),
                   t.c.received_on <= today + dt.timedelta(
                       days=LOOKAHEAD_DAYS - PETITION_REPLY_DAYS))
            .order_by(t.c.received_on, t.c.id))
    if community_id is not None:
        stmt = stmt.where(t.c.community_id == community_id)
    with _reading(target) as conn:
        rows = conn.execute(stmt).all()
    out = []
    for r in rows:
        due = r.received_on + dt.timedelta(days=PETITION_REPLY_DAYS)
        out.append(Reminder("petitions", r.id,
                            f"{r.name or '—'}（{r.form or ''} {r.received_on:%Y-%m-%d}）"
                            f"答复期限 {due:%Y-%m-%d}，{_when((due - today).days)}"))
    return out


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def salons_behind(target: Database | sa.Connection, today: dt.date) -> list[Reminder]:
    """This quarter and the last: 主题沙龙 held against the goal of ``SALON_GOAL[0]`` (the
    current quarter is shown only once a month or less of it is left)."""
    t = TABLES["trainings"]
    this = _quarter_start(today)
    last = _quarter_start(this - dt.timedelta(days=1))
    nxt = _quarter_start(this + dt.timedelta(days=95))
    out = []
    for start, end, name in ((last, this, "上季度"), (this, nxt, "本季度")):
        if start == this and (nxt - today).days > 31:
            continue  # early in the quarter: nothing is behind yet
        with _reading(target) as conn:
            ids = conn.execute(sa.select(t.c.id).where(
                t.c.deleted_at.is_(None), t.c.training_type == "主题沙龙",
                t.c.held_on >= start, t.c.held_on < end).order_by(t.c.held_on)).scalars().all()
        if len(ids) < SALON_GOAL[0]:
            quarter = f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
            out.append(Reminder("trainings", None,
                                f"{name}（{quarter}）主题沙龙 {len(ids)} 次，"
                                f"目标每季度 {SALON_GOAL[0]}~{SALON_GOAL[1]} 次",
                                tuple(ids)))
    return out


def area_reminders(target: Database | sa.Connection, area: str, today: dt.date,
                   community_id: int | None = None) -> list[ReminderGroup]:
    """The reminder groups of one work area, in the order they are shown."""
    groups: list[ReminderGroup] = []
    if area == "party":
        groups += [
            ReminderGroup("birthdays", f"{today.month}月政治生日",
                          political_birthdays(target, today, community_id)),
            ReminderGroup("behind", "三会一课未按期",
                          branches_behind(target, today, community_id)),
            ReminderGroup("probation", "预备期满待转正",
                          probation_due(target, today, community_id)),
            ReminderGroup("not_reported", "在职党员未报到",
                          members_not_reported(target, community_id)),
            ReminderGroup("no_plaque", "党员未挂牌", members_without_plaque(target, community_id)),
            ReminderGroup("development", "发展党员在途", in_progress(target, "party_development")),
        ]
    elif area == "autonomy":
        groups.append(ReminderGroup("consultations", "协商议事进行中",
                                    in_progress(target, "consultations")))
    elif area == "law":
        groups += [
            ReminderGroup("overdue", f"调解超过 {MEDIATION_DAYS} 天未结",
                          overdue_mediation(target, today, community_id)),
            ReminderGroup("revisit", "调解待回访", revisits_due(target, today, community_id)),
            ReminderGroup("petition_due", "信访答复期限",
                          petitions_due(target, today, community_id)),
        ]
    elif area == "virtue":
        groups.append(ReminderGroup("honours", "典型选树未表彰", in_progress(target, "honours")))
    elif area == "service":
        groups.append(ReminderGroup("venues", "阵地未投入运营", in_progress(target, "venues")))
    elif area == "cadre":
        groups.append(ReminderGroup("salons", "主题沙龙未达季度目标",
                                    salons_behind(target, today)))
    return groups
