"""order presets and the practice's time zone

Revision ID: 7c4e2b9d1a05
Revises: fbe9dad5af3d
Create Date: 2026-11-30 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c4e2b9d1a05'
down_revision = 'fbe9dad5af3d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('presets',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=True),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('code_set', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_presets_practice_id_practices')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_presets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presets'))
    )
    with op.batch_alter_table('presets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presets_practice_id'), ['practice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_presets_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_column('time_zone')

    with op.batch_alter_table('presets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presets_user_id'))
        batch_op.drop_index(batch_op.f('ix_presets_practice_id'))

    op.drop_table('presets')
