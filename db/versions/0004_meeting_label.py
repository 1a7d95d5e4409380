"""A meeting's label (date + type + topic), so that 参会记录 and workbooks name the meeting
rather than repeating its topic.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('party_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label', sa.String(length=200), nullable=True))
    # Backfill in Python (portable: no SQL string functions), same rule as the services.
    meetings = sa.table('party_meetings', sa.column('id', sa.Integer),
                        sa.column('held_at', sa.DateTime), sa.column('meeting_type', sa.String),
                        sa.column('topic', sa.String), sa.column('label', sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(meetings.c.id, meetings.c.held_at, meetings.c.meeting_type,
                                  meetings.c.topic)).all()
    updates = [{"mid": r.id, "lbl": " ".join(x for x in (
        f"{r.held_at:%Y-%m-%d}" if r.held_at else "", r.meeting_type or "", r.topic or "") if x)}
        for r in rows]
    if updates:
        conn.execute(meetings.update().where(meetings.c.id == sa.bindparam("mid"))
                     .values(label=sa.bindparam("lbl")), updates)


def downgrade() -> None:
    with op.batch_alter_table('party_meetings', schema=None) as batch_op:
        batch_op.drop_column('label')
