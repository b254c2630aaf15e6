"""A previewed upload keeps how many of its rows matched the saved answers, so the preview page can be
reloaded (and reached again with Back) with the same summary.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unchanged', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.drop_column('unchanged')
