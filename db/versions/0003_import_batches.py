"""Excel import history (batches with before/after images for exact undo) and the memory of
district header → field mappings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('sheets', sa.String(length=400), nullable=True),
    sa.Column('policy', sa.Text(), nullable=True),
    sa.Column('counts', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    op.create_table('import_batch_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('register', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'],
                            name=op.f('fk_import_batch_rows_batch_id_import_batches'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch_rows'))
    )
    with op.batch_alter_table('import_batch_rows', schema=None) as batch_op:
        batch_op.create_index('ix_import_batch_rows_batch', ['batch_id', 'seq'], unique=False)

    op.create_table('import_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register', sa.String(length=40), nullable=False),
    sa.Column('header', sa.String(length=200), nullable=False),
    sa.Column('target', sa.String(length=60), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
    sa.UniqueConstraint('register', 'header', name='uq_import_mappings_register_header')
    )


def downgrade() -> None:
    op.drop_table('import_mappings')
    with op.batch_alter_table('import_batch_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_import_batch_rows_batch')
    op.drop_table('import_batch_rows')
    op.drop_table('import_batches')
