"""Server-side sessions, the per-account login throttle, temporary passwords, evidence files and
previewed uploads in the database (files moved from UPLOAD_DIR), and triggers that keep the audit
log append-only: what several application servers on one database need.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""
import logging
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
CHUNK_SIZE = 256 * 1024

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete")
POSTGRESQL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()",
)
POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
)


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_reason', sa.String(length=30), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.create_table('login_throttle',
    sa.Column('login', sa.String(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('login', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_last_failure_at'), ['last_failure_at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('temporary_password_until', sa.DateTime(timezone=True), nullable=True))

    op.create_table('stored_file_chunk',
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['stored_name'], ['attachment.stored_name'],
                            name=op.f('fk_stored_file_chunk_stored_name_attachment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('stored_name', 'seq', name=op.f('pk_stored_file_chunk'))
    )
    _move_files_into_database()

    # Previews waiting on one server's disk (UPLOAD_DIR/imports) expire within the hour: they are not moved.
    op.create_table('pending_import',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_pending_import_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_pending_import_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_pending_import'))
    )
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_import_created_at'), ['created_at'], unique=False)

    for statement in _triggers(create=True):
        op.execute(statement)


def downgrade():
    for statement in _triggers(create=False):
        op.execute(statement)
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_import_created_at'))
    op.drop_table('pending_import')
    _move_files_out_of_database()
    op.drop_table('stored_file_chunk')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('temporary_password_until')
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_last_failure_at'))
    op.drop_table('login_throttle')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')


def _triggers(create: bool) -> tuple[str, ...]:
    if op.get_bind().dialect.name == "postgresql":
        return POSTGRESQL_TRIGGERS if create else POSTGRESQL_DROP
    return SQLITE_TRIGGERS if create else SQLITE_DROP


def _upload_dir() -> Path | None:
    """The UPLOAD_DIR of the application running the migration (flask db upgrade)."""
    try:
        from flask import current_app

        return Path(current_app.config["UPLOAD_DIR"])
    except (RuntimeError, KeyError):
        return None


attachment = sa.table('attachment', sa.column('stored_name', sa.String))
chunk = sa.table('stored_file_chunk', sa.column('stored_name', sa.String), sa.column('seq', sa.Integer),
                 sa.column('data', sa.LargeBinary))


def _move_files_into_database() -> None:
    """Copy each attachment's file from UPLOAD_DIR into stored_file_chunk (the files are left in place)."""
    bind = op.get_bind()
    names = bind.scalars(sa.select(attachment.c.stored_name)).all()
    folder = _upload_dir()
    for name in names:
        path = folder / name if folder is not None else None
        if path is None or not path.is_file():
            log.warning("evidence file %s is missing from %s; its attachment will have no content", name, folder)
            continue
        with path.open("rb") as handle:
            seq = 0
            while block := handle.read(CHUNK_SIZE):
                bind.execute(chunk.insert().values(stored_name=name, seq=seq, data=block))
                seq += 1
    if names:
        log.info("copied %d evidence files from %s into the database", len(names), folder)


def _move_files_out_of_database() -> None:
    """Write the stored contents back to UPLOAD_DIR, so the files survive the downgrade."""
    bind = op.get_bind()
    names = bind.scalars(sa.select(chunk.c.stored_name).distinct()).all()
    if not names:
        return
    folder = _upload_dir()
    if folder is None:
        raise RuntimeError("evidence files are stored in the database: run the downgrade with flask db downgrade "
                           "so that UPLOAD_DIR is known")
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        blocks = bind.scalars(sa.select(chunk.c.data).where(chunk.c.stored_name == name).order_by(chunk.c.seq))
        with (folder / name).open("wb") as handle:
            for block in blocks:
                handle.write(block)
