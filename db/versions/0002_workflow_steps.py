"""Workflow steps as data, workflow history and office settings.

The step lists (一征三议两公开, 调解流程, 典型选树, 阵地建设, 发展党员) are rows, not code: an
office that follows 四议两公开 changes data, not the program.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STEPS = [
    ('party_development', 0, '入党申请人'),
    ('party_development', 1, '入党积极分子'),
    ('party_development', 2, '发展对象'),
    ('party_development', 3, '预备党员'),
    ('party_development', 4, '正式党员'),
    ('consultation', 0, '征集议题'),
    ('consultation', 1, '党组织提议'),
    ('consultation', 2, '两委商议'),
    ('consultation', 3, '居民(代表)会议决议'),
    ('consultation', 4, '决议公开'),
    ('consultation', 5, '实施结果公开'),
    ('mediation', 0, '受理'),
    ('mediation', 1, '调解中'),
    ('mediation', 2, '调解成功'),
    ('mediation', 2, '调解不成功'),
    ('mediation', 2, '终止'),
    ('mediation', 2, '转办'),
    ('honours', 0, '推荐'),
    ('honours', 1, '公示'),
    ('honours', 2, '表彰'),
    ('venue', 0, '规划'),
    ('venue', 1, '在建'),
    ('venue', 2, '建成'),
    ('venue', 3, '运营'),
]


def upgrade() -> None:
    op.create_table('app_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_app_settings'))
    )
    op.create_table('workflow_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_events'))
    )
    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.create_index('ix_workflow_events_record', ['register', 'record_id'], unique=False)

    steps = op.create_table('workflow_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workflow', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_steps')),
    sa.UniqueConstraint('workflow', 'name', name='uq_workflow_steps_workflow_name')
    )
    op.bulk_insert(steps, [{"workflow": w, "position": p, "name": n} for w, p, n in STEPS])


def downgrade() -> None:
    op.drop_table('workflow_steps')
    with op.batch_alter_table('workflow_events', schema=None) as batch_op:
        batch_op.drop_index('ix_workflow_events_record')

    op.drop_table('workflow_events')
    op.drop_table('app_settings')
