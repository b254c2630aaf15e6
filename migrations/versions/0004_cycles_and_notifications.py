"""Assessment cycles with deadlines and participants, in-app notifications, deadline reminders sent;
assessments link to their cycle and remember a late submission.

Existing assessments keep their free-text cycle label and no cycle (cycle_id NULL): opening a cycle
with the same label and questionnaire links them (app.services.cycles.open_cycle).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('questionnaire_id', sa.String(length=100), nullable=False),
    sa.Column('questionnaire_version_id', sa.Integer(), nullable=False),
    sa.Column('submission_deadline', sa.Date(), nullable=False),
    sa.Column('review_deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_cycle_status_known')),
    sa.CheckConstraint('review_deadline IS NULL OR review_deadline >= submission_deadline',
                       name=op.f('ck_cycle_review_after_submission')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_cycle_closed_by_id_user')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_cycle_opened_by_id_user')),
    sa.ForeignKeyConstraint(['questionnaire_version_id'], ['questionnaire_version.id'],
                            name=op.f('fk_cycle_questionnaire_version_id_questionnaire_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle')),
    sa.UniqueConstraint('questionnaire_id', 'label', name=op.f('uq_cycle_questionnaire_id_label'))
    )
    op.create_table('cycle_country',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_cycle_country_country_code_country')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_cycle_country_cycle_id_cycle'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cycle_id', 'country_code', name=op.f('pk_cycle_country'))
    )
    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('due_7', 'due_1', 'overdue')", name=op.f('ck_reminder_kind_known')),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_reminder_country_code_country')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_reminder_cycle_id_cycle'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    # one reminder of a kind per country and cycle: two concurrent `send-due` runs cannot both send it
    sa.UniqueConstraint('cycle_id', 'country_code', 'kind', name=op.f('uq_reminder_cycle_id_country_code_kind'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('cycle_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('submitted', 'returned', 'flag_answered', 'validated', 'due_7', 'due_1', 'overdue')",
                       name=op.f('ck_notification_kind_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_notification_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_notification_cycle_id_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index('ix_notification_user_read', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cycle_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_late', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_assessment_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_assessment_cycle_id_cycle'), 'cycle', ['cycle_id'], ['id'])


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_assessment_cycle_id_cycle'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_assessment_cycle_id'))
        batch_op.drop_column('submitted_late')
        batch_op.drop_column('cycle_id')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_read')
        batch_op.drop_index(batch_op.f('ix_notification_assessment_id'))

    op.drop_table('notification')
    op.drop_table('reminder')
    op.drop_table('cycle_country')
    op.drop_table('cycle')
