"""社区 户数/常住人口 and 小区 楼栋数/户数 are counted from the registers (issue 12: they
stayed empty although the households and people were there).  The services keep them in
step from now on; this fills them once for an existing database.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TOTALS = (("communities", "households_total", "households", "community_id"),
          ("communities", "residents_total", "people", "community_id"),
          ("compounds", "buildings_total", "buildings", "compound_id"),
          ("compounds", "households_total", "households", "compound_id"))


def upgrade() -> None:
    conn = op.get_bind()
    for owner, total, counted, ref in TOTALS:
        o = sa.table(owner, sa.column("id", sa.Integer), sa.column(total, sa.Integer))
        t = sa.table(counted, sa.column(ref, sa.Integer), sa.column("deleted_at", sa.DateTime))
        count = (sa.select(sa.func.count()).select_from(t)
                 .where(t.c[ref] == o.c.id, t.c.deleted_at.is_(None)).scalar_subquery())
        conn.execute(o.update().values({total: count}))


def downgrade() -> None:
    pass  # the counts are still right under the older version (there typed by hand)
