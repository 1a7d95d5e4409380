"""Value mappings remembered per (register, field, value) for district imports, and a
person's 住址 as text (linked to a 户 only when it matches one).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_value_mappings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("register", sa.String(40), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("register", "field", "value",
                            name="uq_import_value_mappings_register_field_value"),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=200), nullable=True))
    # Existing people keep their household; their address text is the household's.
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("address", sa.String),
                      sa.column("household_id", sa.Integer))
    homes = sa.table("households", sa.column("id", sa.Integer), sa.column("address", sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(people.c.id, homes.c.address).select_from(
        people.join(homes, homes.c.id == people.c.household_id))).all()
    if rows:
        conn.execute(people.update().where(people.c.id == sa.bindparam("pid"))
                     .values(address=sa.bindparam("addr")),
                     [{"pid": r[0], "addr": r[1]} for r in rows])


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("address")
    op.drop_table("import_value_mappings")
