"""patient link short code

Revision ID: d41e7a0c5b19
Revises: 5f5ee4d5c3b8
Create Date: 2026-11-30 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd41e7a0c5b19'
down_revision = '5f5ee4d5c3b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('patient_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_patient_links_code_hash'), ['code_hash']
        )


def downgrade():
    with op.batch_alter_table('patient_links', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_patient_links_code_hash'), type_='unique')
        batch_op.drop_column('code_hash')
