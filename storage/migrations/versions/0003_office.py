"""the office: staff bindings, binding codes, login links, web sessions, staff audit

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:00:00

New tables only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'staff_binding',
        sa.Column('platform', sa.String(16), nullable=False),
        sa.Column('user_id', sa.String(128), nullable=False),
        sa.Column('staff_id', sa.String(64), nullable=False),
        _ts('bound_at'),
        sa.PrimaryKeyConstraint('platform', 'user_id'),
    )
    op.create_index('ix_staff_binding_staff_id', 'staff_binding', ['staff_id'])
    op.create_table(
        'binding_code',
        sa.Column('code', sa.String(6), nullable=False),
        sa.Column('staff_id', sa.String(64), nullable=False),
        sa.Column('issued_by', sa.String(64), nullable=False),
        _ts('issued_at'),
        _ts('expires_at'),
        _ts('used_at', nullable=True),
        sa.PrimaryKeyConstraint('code'),
    )
    op.create_index('ix_binding_code_staff_id', 'binding_code', ['staff_id'])
    op.create_table(
        'binding_attempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform', sa.String(16), nullable=False),
        sa.Column('user_id', sa.String(128), nullable=False),
        _ts('at'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_binding_attempt_sender', 'binding_attempt', ['platform', 'user_id', 'at'])
    op.create_table(
        'login_link',
        sa.Column('token_hash', sa.String(64), nullable=False),
        sa.Column('staff_id', sa.String(64), nullable=False),
        _ts('created_at'),
        _ts('expires_at'),
        _ts('used_at', nullable=True),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    op.create_table(
        'web_session',
        sa.Column('token_hash', sa.String(64), nullable=False),
        sa.Column('staff_id', sa.String(64), nullable=False),
        sa.Column('csrf_token', sa.String(64), nullable=False),
        _ts('created_at'),
        _ts('expires_at'),
        _ts('ended_at', nullable=True),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    op.create_index('ix_web_session_staff_id', 'web_session', ['staff_id'])
    op.create_table(
        'staff_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        _ts('at'),
        sa.Column('actor', sa.String(160), nullable=False),
        sa.Column('action', sa.String(32), nullable=False),
        sa.Column('subject', sa.String(160), nullable=False),
        sa.Column('note', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_staff_audit_at', 'staff_audit', ['at'])


def downgrade() -> None:
    for table in ('staff_audit', 'web_session', 'login_link', 'binding_attempt', 'binding_code',
                  'staff_binding'):
        op.drop_table(table)
