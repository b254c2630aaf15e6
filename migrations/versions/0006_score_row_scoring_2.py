"""Score rows of scoring version 2: evidence coverage, weakest dimensions, measure results.

The new columns are empty on rows written by scoring 1; `flask scores recompute` fills them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('score_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_coverage', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('weakest_dimensions', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('measures', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('score_row', schema=None) as batch_op:
        batch_op.drop_column('measures')
        batch_op.drop_column('weakest_dimensions')
        batch_op.drop_column('evidence_coverage')
