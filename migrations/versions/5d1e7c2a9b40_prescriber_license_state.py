"""prescriber license state

Revision ID: 5d1e7c2a9b40
Revises: b46bdafb6c34
Create Date: 2026-11-30 17:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e7c2a9b40'
down_revision = 'b46bdafb6c34'
branch_labels = None
depends_on = None


def upgrade():
    # Existing accounts get "" and are asked for the state before their next issue.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('license_state', sa.String(length=2), nullable=False,
                      server_default='')
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('license_state')
