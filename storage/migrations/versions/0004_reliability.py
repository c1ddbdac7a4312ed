"""reliability: dead letters, bot processes, the inbound journal, outbox claims,
what was kept of an inbound message

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dead_letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('chat_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('payload', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replayed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'chat_id', 'message_id', 'kind')
    )
    with op.batch_alter_table('dead_letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dead_letter_replayed_at'), ['replayed_at'], unique=False)

    op.create_table('bot_process',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('incarnation', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('platforms', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bot_process', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bot_process_heartbeat_at'), ['heartbeat_at'], unique=False)

    op.create_table('inbound_journal',
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'message_id')
    )

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('disposition', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.create_index('ix_inbound_message_sent_at', ['sent_at'], unique=False)
        batch_op.create_index('ix_inbound_message_received', ['platform', 'received_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_message_received')
        batch_op.drop_index('ix_inbound_message_sent_at')
        batch_op.drop_column('disposition')
        batch_op.drop_column('received_at')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('urgent')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')

    op.drop_table('inbound_journal')
    with op.batch_alter_table('bot_process', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bot_process_heartbeat_at'))

    op.drop_table('bot_process')
    with op.batch_alter_table('dead_letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dead_letter_replayed_at'))

    op.drop_table('dead_letter')
