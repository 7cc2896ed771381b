"""signature image

Revision ID: c3f1a9d27e54
Revises: 16ab7f77ec49
Create Date: 2026-11-30 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a9d27e54'
down_revision = '16ab7f77ec49'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature_png', sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column('signature_updated_at', sa.DateTime(), nullable=True)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('signature_updated_at')
        batch_op.drop_column('signature_png')
