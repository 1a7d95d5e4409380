"""A version on every record (issue 14: several PCs on one server): each write adds one, and
an update or step advance made from an older version is refused instead of overwriting what
another PC saved in the meantime.  Existing rows start at 1.

Revision ID: 0008_record_version
Revises: 0006
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_record_version"
down_revision = "0006"
branch_labels = None
depends_on = None

#: The register tables at this revision (frozen: a later register gets its column when its
#: table is created).
TABLES = (
    "buildings", "cadre_assignments", "committee_members", "communities", "compounds",
    "consultations", "conventions", "culture_events", "honours", "households",
    "legal_activities", "legal_resources", "legal_volunteers", "mediation_cases",
    "meeting_attendance", "needs", "party_development", "party_meetings", "party_members",
    "party_orgs", "party_transfers", "people", "petitions", "projects", "resident_roles",
    "resources", "service_catalog", "service_records", "social_orgs", "streets", "trainings",
    "units", "venue_usage", "venues",
)


def upgrade() -> None:
    for name in TABLES:
        # A plain ADD COLUMN with a constant default: SQLite and PostgreSQL both do it in
        # place, without copying the table.
        op.add_column(name, sa.Column("version", sa.Integer(), nullable=False,
                                      server_default="1"))


def downgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column("version")
