"""portal: invoice share links and the portal access log

Revision ID: 0003
Revises: 0002 (re-chained after merging main, which brought 0002_background)
Create Date: 2026-11-26 09:14:41.558137
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('invoice_share_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=36), nullable=False),
    sa.Column('expires_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('access_count', sa.Integer(), nullable=False),
    sa.Column('last_accessed_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('girocode_payload', sa.Text(), nullable=True),
    sa.Column('girocode_image', sa.Text(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_invoice_share_links_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_invoice_share_links_invoice_id_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice_share_links')), sqlite_autoincrement=True)
    with op.batch_alter_table('invoice_share_links', schema=None) as batch_op:
        batch_op.create_index('ix_invoice_share_links_invoice', ['invoice_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_share_links_token'), ['token'], unique=True)

    op.create_table('portal_accesses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('share_link_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('ip_prefix', sa.String(length=50), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_portal_accesses_invoice_id_invoices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['share_link_id'], ['invoice_share_links.id'], name=op.f('fk_portal_accesses_share_link_id_invoice_share_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_accesses')), sqlite_autoincrement=True)
    with op.batch_alter_table('portal_accesses', schema=None) as batch_op:
        batch_op.create_index('ix_portal_accesses_invoice', ['invoice_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_accesses_share_link_id'), ['share_link_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('portal_accesses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_accesses_share_link_id'))
        batch_op.drop_index('ix_portal_accesses_invoice')

    op.drop_table('portal_accesses')
    with op.batch_alter_table('invoice_share_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_share_links_token'))
        batch_op.drop_index('ix_invoice_share_links_invoice')

    op.drop_table('invoice_share_links')
