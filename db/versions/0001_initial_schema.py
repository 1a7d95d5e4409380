"""Initial schema: places, people and every register of the six areas, with the audit log.

Generated once from the register declarations and then frozen: later schema changes are new
revisions, never edits here.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('register', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('changes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_record', ['register', 'record_id'], unique=False)

    op.create_table('service_catalog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('department', sa.String(length=200), nullable=True),
    sa.Column('online', sa.Boolean(), nullable=True),
    sa.Column('time_limit_days', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_catalog')),
    sa.UniqueConstraint('name', name=op.f('uq_service_catalog_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_service_catalog_uuid'))
    )
    op.create_table('streets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('district', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_streets')),
    sa.UniqueConstraint('name', name=op.f('uq_streets_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_streets_uuid'))
    )
    op.create_table('trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=True),
    sa.Column('training_type', sa.String(length=40), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('problem', sa.String(length=200), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('organiser', sa.String(length=200), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings')),
    sa.UniqueConstraint('uuid', name=op.f('uq_trainings_uuid'))
    )
    op.create_table('communities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('street_id', sa.Integer(), nullable=True),
    sa.Column('community_type', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('households_total', sa.Integer(), nullable=True),
    sa.Column('residents_total', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['street_id'], ['streets.id'], name=op.f('fk_communities_street_id_streets'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communities')),
    sa.UniqueConstraint('name', name=op.f('uq_communities_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_communities_uuid'))
    )
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_communities_street_id'), ['street_id'], unique=False)

    op.create_table('compounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('has_property', sa.Boolean(), nullable=True),
    sa.Column('property_company', sa.String(length=200), nullable=True),
    sa.Column('has_owners_committee', sa.Boolean(), nullable=True),
    sa.Column('has_supervisor', sa.Boolean(), nullable=True),
    sa.Column('supervisor', sa.String(length=200), nullable=True),
    sa.Column('buildings_total', sa.Integer(), nullable=True),
    sa.Column('households_total', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_compounds_community_id_communities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_compounds')),
    sa.UniqueConstraint('uuid', name=op.f('uq_compounds_uuid'))
    )
    with op.batch_alter_table('compounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_compounds_community_id'), ['community_id'], unique=False)

    op.create_table('culture_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('event_type', sa.String(length=40), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('organiser', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_culture_events_community_id_communities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_culture_events')),
    sa.UniqueConstraint('uuid', name=op.f('uq_culture_events_uuid'))
    )
    with op.batch_alter_table('culture_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_culture_events_community_id'), ['community_id'], unique=False)

    op.create_table('legal_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('activity_type', sa.String(length=40), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('speaker', sa.String(length=200), nullable=True),
    sa.Column('audience_count', sa.Integer(), nullable=True),
    sa.Column('target_groups', sa.String(length=400), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_legal_activities_community_id_communities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_activities')),
    sa.UniqueConstraint('uuid', name=op.f('uq_legal_activities_uuid'))
    )
    with op.batch_alter_table('legal_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_activities_community_id'), ['community_id'], unique=False)

    op.create_table('legal_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('lawyer', sa.String(length=200), nullable=True),
    sa.Column('law_firm', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('in_service', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_legal_resources_community_id_communities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_resources')),
    sa.UniqueConstraint('uuid', name=op.f('uq_legal_resources_uuid'))
    )
    with op.batch_alter_table('legal_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_resources_community_id'), ['community_id'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('budget', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_projects_community_id_communities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('uuid', name=op.f('uq_projects_uuid'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_community_id'), ['community_id'], unique=False)

    op.create_table('resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('provider', sa.String(length=200), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('available', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_resources_community_id_communities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resources')),
    sa.UniqueConstraint('uuid', name=op.f('uq_resources_uuid'))
    )
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resources_community_id'), ['community_id'], unique=False)

    op.create_table('social_orgs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('org_type', sa.String(length=40), nullable=True),
    sa.Column('origin', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('members_count', sa.Integer(), nullable=True),
    sa.Column('leader', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('services', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_social_orgs_community_id_communities'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_orgs')),
    sa.UniqueConstraint('name', name=op.f('uq_social_orgs_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_social_orgs_uuid'))
    )
    with op.batch_alter_table('social_orgs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_orgs_community_id'), ['community_id'], unique=False)

    op.create_table('buildings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('compound_id', sa.Integer(), nullable=True),
    sa.Column('floors', sa.Integer(), nullable=True),
    sa.Column('units_total', sa.Integer(), nullable=True),
    sa.Column('building_head', sa.String(length=200), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['compound_id'], ['compounds.id'], name=op.f('fk_buildings_compound_id_compounds'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buildings')),
    sa.UniqueConstraint('uuid', name=op.f('uq_buildings_uuid'))
    )
    with op.batch_alter_table('buildings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buildings_compound_id'), ['compound_id'], unique=False)

    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('compound_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('proposer', sa.String(length=200), nullable=True),
    sa.Column('raised_on', sa.Date(), nullable=True),
    sa.Column('step', sa.String(length=40), nullable=True),
    sa.Column('step_date', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_consultations_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['compound_id'], ['compounds.id'], name=op.f('fk_consultations_compound_id_compounds'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations')),
    sa.UniqueConstraint('uuid', name=op.f('uq_consultations_uuid'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_compound_id'), ['compound_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_step'), ['step'], unique=False)

    op.create_table('conventions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('scope', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('compound_id', sa.Integer(), nullable=True),
    sa.Column('adopted_on', sa.Date(), nullable=True),
    sa.Column('revised_on', sa.Date(), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('file_path', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_conventions_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['compound_id'], ['compounds.id'], name=op.f('fk_conventions_compound_id_compounds'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conventions')),
    sa.UniqueConstraint('uuid', name=op.f('uq_conventions_uuid'))
    )
    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conventions_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conventions_compound_id'), ['compound_id'], unique=False)

    op.create_table('venues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('compound_id', sa.Integer(), nullable=True),
    sa.Column('area_m2', sa.Float(), nullable=True),
    sa.Column('functions', sa.String(length=200), nullable=True),
    sa.Column('planned_year', sa.Integer(), nullable=True),
    sa.Column('step', sa.String(length=40), nullable=True),
    sa.Column('step_date', sa.Date(), nullable=True),
    sa.Column('open_hours', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_venues_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['compound_id'], ['compounds.id'], name=op.f('fk_venues_compound_id_compounds'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venues')),
    sa.UniqueConstraint('uuid', name=op.f('uq_venues_uuid'))
    )
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_venues_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_venues_compound_id'), ['compound_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_venues_step'), ['step'], unique=False)

    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_units_building_id_buildings'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('uuid', name=op.f('uq_units_uuid'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_building_id'), ['building_id'], unique=False)

    op.create_table('venue_usage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('used_on', sa.Date(), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('organiser', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_venue_usage_venue_id_venues'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venue_usage')),
    sa.UniqueConstraint('uuid', name=op.f('uq_venue_usage_uuid'))
    )
    with op.batch_alter_table('venue_usage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_venue_usage_venue_id'), ['venue_id'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('room', sa.String(length=200), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('compound_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('head_name', sa.String(length=200), nullable=True),
    sa.Column('is_party_household', sa.Boolean(), nullable=True),
    sa.Column('plaque_hung', sa.Boolean(), nullable=True),
    sa.Column('plaque_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_households_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['compound_id'], ['compounds.id'], name=op.f('fk_households_compound_id_compounds'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_households_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('uuid', name=op.f('uq_households_uuid'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_compound_id'), ['compound_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_unit_id'), ['unit_id'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=True),
    sa.Column('gender', sa.String(length=40), nullable=True),
    sa.Column('ethnicity', sa.String(length=40), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('education', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('tags', sa.String(length=400), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_people_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_people_household_id_households'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('id_number', name=op.f('uq_people_id_number')),
    sa.UniqueConstraint('uuid', name=op.f('uq_people_uuid'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_household_id'), ['household_id'], unique=False)

    op.create_table('cadre_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('post', sa.String(length=200), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_cadre_assignments_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_cadre_assignments_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadre_assignments')),
    sa.UniqueConstraint('uuid', name=op.f('uq_cadre_assignments_uuid'))
    )
    with op.batch_alter_table('cadre_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cadre_assignments_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadre_assignments_person_id'), ['person_id'], unique=False)

    op.create_table('committee_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('post', sa.String(length=40), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('term_start', sa.Date(), nullable=True),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('experience', sa.Text(), nullable=True),
    sa.Column('review_result', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_committee_members_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_committee_members_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_members')),
    sa.UniqueConstraint('uuid', name=op.f('uq_committee_members_uuid'))
    )
    with op.batch_alter_table('committee_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_members_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_committee_members_person_id'), ['person_id'], unique=False)

    op.create_table('honours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('nominee', sa.String(length=200), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('nominee_kind', sa.String(length=40), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('occasion', sa.String(length=40), nullable=True),
    sa.Column('step', sa.String(length=40), nullable=True),
    sa.Column('step_date', sa.Date(), nullable=True),
    sa.Column('deeds', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_honours_building_id_buildings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_honours_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_honours_household_id_households'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_honours_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honours')),
    sa.UniqueConstraint('uuid', name=op.f('uq_honours_uuid'))
    )
    with op.batch_alter_table('honours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_honours_building_id'), ['building_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honours_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honours_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honours_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_honours_step'), ['step'], unique=False)

    op.create_table('legal_volunteers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('specialty', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_legal_volunteers_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_legal_volunteers_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_volunteers')),
    sa.UniqueConstraint('uuid', name=op.f('uq_legal_volunteers_uuid'))
    )
    with op.batch_alter_table('legal_volunteers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_volunteers_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_volunteers_person_id'), ['person_id'], unique=False)

    op.create_table('mediation_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('case_no', sa.String(length=200), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('applicant_id', sa.Integer(), nullable=True),
    sa.Column('respondent_id', sa.Integer(), nullable=True),
    sa.Column('other_parties', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('judge', sa.String(length=200), nullable=True),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('volunteers', sa.String(length=200), nullable=True),
    sa.Column('step', sa.String(length=40), nullable=True),
    sa.Column('step_date', sa.Date(), nullable=True),
    sa.Column('agreement_type', sa.String(length=40), nullable=True),
    sa.Column('agreement_no', sa.String(length=200), nullable=True),
    sa.Column('performance', sa.String(length=40), nullable=True),
    sa.Column('revisit_on', sa.Date(), nullable=True),
    sa.Column('revisit_by', sa.String(length=200), nullable=True),
    sa.Column('revisit_result', sa.String(length=200), nullable=True),
    sa.Column('judicial_confirmed', sa.Boolean(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['people.id'], name=op.f('fk_mediation_cases_applicant_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_mediation_cases_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mediator_id'], ['people.id'], name=op.f('fk_mediation_cases_mediator_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['respondent_id'], ['people.id'], name=op.f('fk_mediation_cases_respondent_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_cases')),
    sa.UniqueConstraint('case_no', name=op.f('uq_mediation_cases_case_no')),
    sa.UniqueConstraint('uuid', name=op.f('uq_mediation_cases_uuid'))
    )
    with op.batch_alter_table('mediation_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_cases_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_cases_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_cases_mediator_id'), ['mediator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_cases_respondent_id'), ['respondent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_cases_step'), ['step'], unique=False)

    op.create_table('needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('content', sa.String(length=200), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('found_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_needs_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_needs_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_needs_project_id_projects'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_needs_resource_id_resources'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs')),
    sa.UniqueConstraint('uuid', name=op.f('uq_needs_uuid'))
    )
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_needs_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_needs_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_needs_resource_id'), ['resource_id'], unique=False)

    op.create_table('party_orgs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('org_type', sa.String(length=40), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('compound_id', sa.Integer(), nullable=True),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('secretary_id', sa.Integer(), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_party_orgs_building_id_buildings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_party_orgs_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['compound_id'], ['compounds.id'], name=op.f('fk_party_orgs_compound_id_compounds'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['parent_id'], ['party_orgs.id'], name=op.f('fk_party_orgs_parent_id_party_orgs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['secretary_id'], ['people.id'], name=op.f('fk_party_orgs_secretary_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_orgs')),
    sa.UniqueConstraint('name', name=op.f('uq_party_orgs_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_party_orgs_uuid'))
    )
    with op.batch_alter_table('party_orgs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_orgs_building_id'), ['building_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_orgs_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_orgs_compound_id'), ['compound_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_orgs_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_orgs_secretary_id'), ['secretary_id'], unique=False)

    op.create_table('petitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('petitioner_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('form', sa.String(length=40), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('matter', sa.Text(), nullable=True),
    sa.Column('assigned_unit', sa.String(length=200), nullable=True),
    sa.Column('result', sa.String(length=200), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('settled', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_petitions_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['petitioner_id'], ['people.id'], name=op.f('fk_petitions_petitioner_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions')),
    sa.UniqueConstraint('uuid', name=op.f('uq_petitions_uuid'))
    )
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petitions_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_petitioner_id'), ['petitioner_id'], unique=False)

    op.create_table('resident_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('compound_id', sa.Integer(), nullable=True),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_resident_roles_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['compound_id'], ['compounds.id'], name=op.f('fk_resident_roles_compound_id_compounds'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_resident_roles_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_roles')),
    sa.UniqueConstraint('uuid', name=op.f('uq_resident_roles_uuid'))
    )
    with op.batch_alter_table('resident_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_roles_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_roles_compound_id'), ['compound_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_roles_person_id'), ['person_id'], unique=False)

    op.create_table('service_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('handled_on', sa.Date(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('applicant_id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('handler', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['people.id'], name=op.f('fk_service_records_applicant_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_service_records_community_id_communities'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['item_id'], ['service_catalog.id'], name=op.f('fk_service_records_item_id_service_catalog'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_records')),
    sa.UniqueConstraint('uuid', name=op.f('uq_service_records_uuid'))
    )
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_records_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_records_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_records_item_id'), ['item_id'], unique=False)

    op.create_table('party_development',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('step', sa.String(length=40), nullable=True),
    sa.Column('step_date', sa.Date(), nullable=True),
    sa.Column('contact_persons', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['party_orgs.id'], name=op.f('fk_party_development_org_id_party_orgs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_party_development_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_development')),
    sa.UniqueConstraint('uuid', name=op.f('uq_party_development_uuid'))
    )
    with op.batch_alter_table('party_development', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_development_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_development_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_development_step'), ['step'], unique=False)

    op.create_table('party_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('meeting_type', sa.String(length=40), nullable=True),
    sa.Column('held_at', sa.DateTime(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('topic', sa.String(length=200), nullable=True),
    sa.Column('first_topic', sa.String(length=200), nullable=True),
    sa.Column('study_form', sa.String(length=40), nullable=True),
    sa.Column('host', sa.String(length=200), nullable=True),
    sa.Column('recorder', sa.String(length=200), nullable=True),
    sa.Column('lecturer', sa.String(length=200), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('expected', sa.Integer(), nullable=True),
    sa.Column('attended', sa.Integer(), nullable=True),
    sa.Column('on_leave', sa.Integer(), nullable=True),
    sa.Column('observers', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['party_orgs.id'], name=op.f('fk_party_meetings_org_id_party_orgs'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_meetings')),
    sa.UniqueConstraint('uuid', name=op.f('uq_party_meetings_uuid'))
    )
    with op.batch_alter_table('party_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_meetings_org_id'), ['org_id'], unique=False)

    op.create_table('party_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('identity', sa.String(length=40), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('work_unit', sa.String(length=200), nullable=True),
    sa.Column('party_post', sa.String(length=40), nullable=True),
    sa.Column('is_center_household', sa.Boolean(), nullable=True),
    sa.Column('plaque_hung', sa.Boolean(), nullable=True),
    sa.Column('plaque_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('status_reason', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['party_orgs.id'], name=op.f('fk_party_members_org_id_party_orgs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_party_members_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_members')),
    sa.UniqueConstraint('uuid', name=op.f('uq_party_members_uuid'))
    )
    with op.batch_alter_table('party_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_members_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_members_person_id'), ['person_id'], unique=False)

    op.create_table('party_transfers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=40), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('other_org', sa.String(length=200), nullable=True),
    sa.Column('transfer_date', sa.Date(), nullable=True),
    sa.Column('letter_no', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['party_orgs.id'], name=op.f('fk_party_transfers_org_id_party_orgs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_party_transfers_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_transfers')),
    sa.UniqueConstraint('uuid', name=op.f('uq_party_transfers_uuid'))
    )
    with op.batch_alter_table('party_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_transfers_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_transfers_person_id'), ['person_id'], unique=False)

    op.create_table('meeting_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('attendance', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=40), nullable=True),
    sa.Column('deleted_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['party_meetings.id'], name=op.f('fk_meeting_attendance_meeting_id_party_meetings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_meeting_attendance_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendance')),
    sa.UniqueConstraint('uuid', name=op.f('uq_meeting_attendance_uuid'))
    )
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendance_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendance_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendance_person_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_attendance_meeting_id'))

    op.drop_table('meeting_attendance')
    with op.batch_alter_table('party_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_transfers_person_id'))
        batch_op.drop_index(batch_op.f('ix_party_transfers_org_id'))

    op.drop_table('party_transfers')
    with op.batch_alter_table('party_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_members_person_id'))
        batch_op.drop_index(batch_op.f('ix_party_members_org_id'))

    op.drop_table('party_members')
    with op.batch_alter_table('party_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_meetings_org_id'))

    op.drop_table('party_meetings')
    with op.batch_alter_table('party_development', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_development_step'))
        batch_op.drop_index(batch_op.f('ix_party_development_person_id'))
        batch_op.drop_index(batch_op.f('ix_party_development_org_id'))

    op.drop_table('party_development')
    with op.batch_alter_table('service_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_records_item_id'))
        batch_op.drop_index(batch_op.f('ix_service_records_community_id'))
        batch_op.drop_index(batch_op.f('ix_service_records_applicant_id'))

    op.drop_table('service_records')
    with op.batch_alter_table('resident_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_roles_person_id'))
        batch_op.drop_index(batch_op.f('ix_resident_roles_compound_id'))
        batch_op.drop_index(batch_op.f('ix_resident_roles_community_id'))

    op.drop_table('resident_roles')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_petitioner_id'))
        batch_op.drop_index(batch_op.f('ix_petitions_community_id'))

    op.drop_table('petitions')
    with op.batch_alter_table('party_orgs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_orgs_secretary_id'))
        batch_op.drop_index(batch_op.f('ix_party_orgs_parent_id'))
        batch_op.drop_index(batch_op.f('ix_party_orgs_compound_id'))
        batch_op.drop_index(batch_op.f('ix_party_orgs_community_id'))
        batch_op.drop_index(batch_op.f('ix_party_orgs_building_id'))

    op.drop_table('party_orgs')
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needs_resource_id'))
        batch_op.drop_index(batch_op.f('ix_needs_project_id'))
        batch_op.drop_index(batch_op.f('ix_needs_person_id'))
        batch_op.drop_index(batch_op.f('ix_needs_community_id'))

    op.drop_table('needs')
    with op.batch_alter_table('mediation_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_cases_step'))
        batch_op.drop_index(batch_op.f('ix_mediation_cases_respondent_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_cases_mediator_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_cases_community_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_cases_applicant_id'))

    op.drop_table('mediation_cases')
    with op.batch_alter_table('legal_volunteers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_volunteers_person_id'))
        batch_op.drop_index(batch_op.f('ix_legal_volunteers_community_id'))

    op.drop_table('legal_volunteers')
    with op.batch_alter_table('honours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_honours_step'))
        batch_op.drop_index(batch_op.f('ix_honours_person_id'))
        batch_op.drop_index(batch_op.f('ix_honours_household_id'))
        batch_op.drop_index(batch_op.f('ix_honours_community_id'))
        batch_op.drop_index(batch_op.f('ix_honours_building_id'))

    op.drop_table('honours')
    with op.batch_alter_table('committee_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_members_person_id'))
        batch_op.drop_index(batch_op.f('ix_committee_members_community_id'))

    op.drop_table('committee_members')
    with op.batch_alter_table('cadre_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cadre_assignments_person_id'))
        batch_op.drop_index(batch_op.f('ix_cadre_assignments_community_id'))

    op.drop_table('cadre_assignments')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_household_id'))
        batch_op.drop_index(batch_op.f('ix_people_community_id'))

    op.drop_table('people')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_unit_id'))
        batch_op.drop_index(batch_op.f('ix_households_compound_id'))
        batch_op.drop_index(batch_op.f('ix_households_community_id'))

    op.drop_table('households')
    with op.batch_alter_table('venue_usage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_venue_usage_venue_id'))

    op.drop_table('venue_usage')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_building_id'))

    op.drop_table('units')
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_venues_step'))
        batch_op.drop_index(batch_op.f('ix_venues_compound_id'))
        batch_op.drop_index(batch_op.f('ix_venues_community_id'))

    op.drop_table('venues')
    with op.batch_alter_table('conventions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conventions_compound_id'))
        batch_op.drop_index(batch_op.f('ix_conventions_community_id'))

    op.drop_table('conventions')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_step'))
        batch_op.drop_index(batch_op.f('ix_consultations_compound_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_community_id'))

    op.drop_table('consultations')
    with op.batch_alter_table('buildings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buildings_compound_id'))

    op.drop_table('buildings')
    with op.batch_alter_table('social_orgs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_orgs_community_id'))

    op.drop_table('social_orgs')
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resources_community_id'))

    op.drop_table('resources')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_community_id'))

    op.drop_table('projects')
    with op.batch_alter_table('legal_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_resources_community_id'))

    op.drop_table('legal_resources')
    with op.batch_alter_table('legal_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_activities_community_id'))

    op.drop_table('legal_activities')
    with op.batch_alter_table('culture_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_culture_events_community_id'))

    op.drop_table('culture_events')
    with op.batch_alter_table('compounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_compounds_community_id'))

    op.drop_table('compounds')
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_communities_street_id'))

    op.drop_table('communities')
    op.drop_table('trainings')
    op.drop_table('streets')
    op.drop_table('service_catalog')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_record')

    op.drop_table('audit_log')
