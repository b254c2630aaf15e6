"""Where evidence file contents live: in the database, in chunks, so that every server can serve them.

The attachment row (app.models.Attachment) holds the metadata; its ``stored_name`` keys the
chunks of ``stored_file_chunk``. Reading yields one chunk at a time, so a download never holds
more than CHUNK_SIZE bytes of a file in memory.
"""
from collections.abc import Iterator

import sqlalchemy as sa

from app.extensions import db
from app.models import StoredFileChunk

#: bytes per stored row; also the largest piece held in memory while streaming
CHUNK_SIZE = 256 * 1024


def save(stored_name: str, data: bytes) -> None:
    """Store the content of an attachment already added to the session (the caller commits)."""
    db.session.flush()  # the attachment row must exist before its chunks reference it
    rows = [{"stored_name": stored_name, "seq": seq, "data": data[start:start + CHUNK_SIZE]}
            for seq, start in enumerate(range(0, len(data), CHUNK_SIZE))]
    if rows:
        db.session.execute(sa.insert(StoredFileChunk), rows)


def chunks(stored_name: str) -> Iterator[bytes]:
    """The content of a stored file, chunk by chunk, each read with its own query."""
    count = db.session.scalar(sa.select(sa.func.count()).where(StoredFileChunk.stored_name == stored_name))
    for seq in range(count or 0):
        yield db.session.scalar(sa.select(StoredFileChunk.data).where(
            StoredFileChunk.stored_name == stored_name, StoredFileChunk.seq == seq))


def read(stored_name: str) -> bytes:
    """The whole content (for small files, exports and tests)."""
    return b"".join(chunks(stored_name))


def delete(stored_name: str) -> None:
    """Remove the content (the caller commits; deleting the attachment row cascades too)."""
    db.session.execute(sa.delete(StoredFileChunk).where(StoredFileChunk.stored_name == stored_name))
