"""A review flag is resolved one by one, with the analyst's reason and who resolved it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resolution', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('resolved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_review_flag_resolved_by_id_user'), 'user', ['resolved_by_id'],
                                    ['id'])


def downgrade():
    with op.batch_alter_table('review_flag', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_flag_resolved_by_id_user'), type_='foreignkey')
        batch_op.drop_column('resolved_by_id')
        batch_op.drop_column('resolution')
