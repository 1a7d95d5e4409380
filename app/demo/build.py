"""Build a believable 街道 of demo data, the same for the same seed and day.

Rows go in through the services' batch operations (one transaction, one call per register
and step), so the street-scale demo (about 100,000 people) builds in seconds and gets the same
defaults, derived values, workflow history and audit rows as any other write.  The generators
only produce values the services would accept (valid ID numbers, choices, dates in order), and
a test checks every register's rows against ``records.validate``.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid as uuidlib
from dataclasses import dataclass

import sqlalchemy as sa

from ..core.validators import id_check_digit
from ..registry import WORKFLOWS
from ..storage import Database
from ..services import access, accounts, batch, hooks, settings
from ..storage.schema import TABLES
from . import names as N

ACTOR = access.system("演示数据")
#: The administrator of a demo database (it is demo data: the README and the CLI say so).
DEMO_USER, DEMO_PASSWORD = "admin", "demo"
DEMO_FLAG = accounts.DEMO_FLAG


@dataclass(frozen=True)
class Scale:
    communities: int
    compounds: int
    people: int
    members: int


SCALES = {
    "community": Scale(communities=2, compounds=10, people=2_400, members=160),
    "street": Scale(communities=20, compounds=200, people=100_000, members=5_000),
}


class _Builder:
    def __init__(self, conn: sa.Connection, scale: Scale, seed: int, today: dt.date) -> None:
        self.conn, self.s, self.today = conn, scale, today
        self.rng = random.Random(seed)
        self.now = dt.datetime.combine(today, dt.time(8, 0))
        self.ids: dict[str, int] = {}
        self.used_ids: set[str] = set()
        self.used_names: set[str] = set()
        self.lookups = hooks.Lookups(conn)

    # -- plumbing ----------------------------------------------------------------------------
    def insert(self, key: str, rows: list[dict],
               paths: list[list[tuple[str, dt.date]]] | None = None) -> list[int]:
        """Create ``rows`` through the services' batch path (defaults, derived values, audit
        rows, 党员户 as for any other write); returns the new ids in order and sets each
        row's ``id``.  ``paths``: for a workflow register, the steps each row went through
        with their dates — it starts at the first and is advanced through the others."""
        if not rows:
            return []
        items = [dict(r) for r in rows]
        if paths is not None:
            for item, path in zip(items, paths):
                item.pop("step", None)
                item["step_date"] = path[0][1]
        uuids = [str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4)) for _ in rows]
        w = batch.create_many(self.conn, key, items, ACTOR, uuids=uuids, now=self.now,
                              today=self.today, ctx=self.lookups)
        for r, rid in zip(rows, w.ids):
            r["id"] = rid
        if paths is not None:
            steps = [(rid, step, day, "") for rid, path in zip(w.ids, paths)
                     for step, day in path[1:]]
            batch.advance_many(self.conn, key, steps, ACTOR, now=self.now)
        self.ids[key] = self.ids.get(key, 0) + len(w.ids)
        return w.ids

    def update(self, key: str, items: list[tuple[int, dict]]) -> None:
        """Change rows written before (e.g. a branch's secretary once the members exist)."""
        batch.update_many(self.conn, key, items, ACTOR, now=self.now, ctx=self.lookups)

    def days_ago(self, lo: int, hi: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(lo, hi))

    def pick(self, seq, weights=None):
        return self.rng.choices(seq, weights)[0] if weights else self.rng.choice(seq)

    def name(self, gender: str | None = None, birth: dt.date | None = None) -> str:
        """A name that fits the person: given names by gender and by the generation of
        ``birth`` (any adult when not given), so 陈建国 is never a young woman."""
        gender = gender or self.pick(("男", "女"))
        era = N.generation(birth.year) if birth else self.pick((0, 1, 1, 2))
        # Namesakes exist, but a small demo full of them reads as made up (and makes the
        # import's "which 吴强?" question the rule): a few tries for a name not used yet.
        for _ in range(8):
            name = self.pick(N.SURNAMES[:30] if self.rng.random() < 0.8 else N.SURNAMES) + \
                self.pick(N.GIVEN_NAMES[(gender, era)])
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def id_number(self, region: str, birth: dt.date, male: bool) -> str:
        while True:
            seq = self.rng.randint(0, 499) * 2 + (1 if male else 0)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            idn = first17 + id_check_digit(first17)
            if idn not in self.used_ids:
                self.used_ids.add(idn)
                return idn

    def mobile(self) -> str:
        return self.pick(("13", "15", "18", "17", "19")) + f"{self.rng.randint(0, 999999999):09d}"

    def path(self, wf_key: str, upto: int, start: dt.date, gap: tuple[int, int],
             branch: str | None = None) -> list[tuple[str, dt.date]]:
        """Steps 0..upto of a workflow with increasing dates from ``start``."""
        wf = next(w for w in WORKFLOWS if w.key == wf_key)
        out, day = [], start
        for i in range(upto + 1):
            alts = wf.steps[i]
            step = branch if branch in alts else alts[0]
            out.append((step, min(day, self.today)))
            day += dt.timedelta(days=self.rng.randint(*gap))
        return out


def build_demo(db: Database, scale: str = "community", seed: int = 1,
               today: dt.date | None = None) -> dict[str, int]:
    """Fill an empty database with demo data; returns rows per register.

    Refuses a database that already has people in it (demo data never mixes with real data)."""
    from . import places, areas
    if scale not in SCALES:
        raise ValueError(f"未知规模 {scale!r}，可选：{', '.join(SCALES)}")
    today = today or dt.date.today()
    with db.begin() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(TABLES["people"])).scalar():
            raise RuntimeError("数据库里已有人员数据，演示数据只能装入空数据库。")
        b = _Builder(conn, SCALES[scale], seed, today)
        settings.set_value(conn, "office_name", N.STREET_NAME)
        world = places.build(b)
        areas.build(b, world)
        if not accounts.has_accounts(conn):
            # Demo data: a known administrator, announced by the CLI and the login dialog.
            accounts.create_first_admin(conn, DEMO_USER, DEMO_PASSWORD, demo=True)
            settings.set_value(conn, DEMO_FLAG, f"{DEMO_USER}/{DEMO_PASSWORD}")
    return dict(b.ids)
