"""Changes made elsewhere — another PC on the same server, or another window on the same
file — found by reading the audit log on from the last entry seen.

Every write of the services leaves one ``audit_log`` row per record (register, id), so the
log is already the change counter: a window asks every few seconds for the entries after the
last one it has seen and refreshes the views of those registers through the same
:class:`~app.services.changes.Changes` its own writes produce.  One indexed query per poll
(``id > n``), the same on SQLite and PostgreSQL; nothing is written.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..storage.schema import audit_log
from .changes import Changes
from .records import reading

#: Registers whose rows a write to the key changes without an audit row of their own (the
#: 党员户 flag follows people and party members; see hooks.after_write).
FOLLOWERS = {"people": ("households",), "party_members": ("households",)}

#: Entries read per poll at most; more (a big import elsewhere) means "these registers,
#: whole" rather than a list of ids.
LIMIT = 5000


def last_seen(target) -> int:
    """The newest audit entry now: where watching starts."""
    with reading(target) as conn:
        return conn.execute(sa.select(sa.func.coalesce(sa.func.max(audit_log.c.id), 0))
                            ).scalar_one()


def changes_since(target, after: int, exclude: Changes | None = None
                  ) -> tuple[int, Changes, set[str]]:
    """What was written after audit entry ``after``: (the newest entry, the Changes, who
    wrote them).  ``exclude``: records the caller wrote itself (and has shown already)."""
    a = audit_log
    with reading(target) as conn:
        rows = conn.execute(sa.select(a.c.id, a.c.register, a.c.record_id, a.c.actor)
                            .where(a.c.id > after).order_by(a.c.id).limit(LIMIT + 1)).all()
        if len(rows) > LIMIT:  # too many to list: the registers, whole
            newest = conn.execute(sa.select(sa.func.max(a.c.id))).scalar_one()
            keys = {r[1] for r in conn.execute(sa.select(a.c.register).distinct()
                                               .where(a.c.id > after))}
            out = Changes.of_registers(keys)
            for key in keys:
                for follower in FOLLOWERS.get(key, ()):
                    out.ids.setdefault(follower, set())
            return newest, out, {r[3] for r in rows}
    out, actors = Changes(), set()
    mine = exclude.ids if exclude else {}
    for _id, register, record_id, actor in rows:
        if record_id not in mine.get(register, ()):
            out.add(register, [record_id])
            actors.add(actor)
    for key in list(out.ids):
        for follower in FOLLOWERS.get(key, ()):
            out.ids.setdefault(follower, set())
    return (rows[-1][0] if rows else after), out, actors
