"""Store on each score row the required questions answered and visible, on dimension rows the way to
the next level, and on `_overall` rows the questions hidden by skip logic, so that pages show progress,
the roadmap and the visible questions from the stored scores instead of rescoring (issue 16). Rows
stored before this revision hold 0, no way and no hidden list until they are rewritten: run
`flask scores recompute` once after upgrading (it rescores every assessment).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('score_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required_answered', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('required_visible', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('next_level', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('hidden', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('score_row', schema=None) as batch_op:
        batch_op.drop_column('hidden')
        batch_op.drop_column('next_level')
        batch_op.drop_column('required_visible')
        batch_op.drop_column('required_answered')
