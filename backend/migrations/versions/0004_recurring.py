"""recurring invoices: templates, the occurrence log (exactly once), the cron's daily runs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:16:46.196531
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('recurring_runs',
    sa.Column('run_date', sa.Date(), nullable=False),
    sa.Column('started_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('generated', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('run_date', name=op.f('pk_recurring_runs')), sqlite_autoincrement=True)
    op.create_table('recurring_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('max_occurrences', sa.Integer(), nullable=True),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('buyer_reference', sa.String(length=100), nullable=True),
    sa.Column('payment_days', sa.Integer(), nullable=True),
    sa.Column('auto_finalize', sa.Boolean(), nullable=False),
    sa.Column('auto_send', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('next_index', sa.Integer(), nullable=False),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('occurrences_count', sa.Integer(), nullable=False),
    sa.Column('last_generated_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('paused_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', app.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("frequency IN ('weekly','monthly','quarterly','half_yearly','yearly')", name=op.f('ck_recurring_invoices_frequency')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_recurring_invoices_contact_id_contacts')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_recurring_invoices_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_recurring_invoices_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recurring_invoices')), sqlite_autoincrement=True)
    with op.batch_alter_table('recurring_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurring_invoices_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_recurring_invoices_due', ['is_active', 'next_due', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recurring_invoices_organization_id'), ['organization_id'], unique=False)

    op.create_table('recurring_occurrences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recurring_invoice_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('period_index', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('finalized','draft')", name=op.f('ck_recurring_occurrences_status')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_recurring_occurrences_invoice_id_invoices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_recurring_occurrences_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recurring_invoice_id'], ['recurring_invoices.id'], name=op.f('fk_recurring_occurrences_recurring_invoice_id_recurring_invoices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recurring_occurrences')),
    sa.UniqueConstraint('recurring_invoice_id', 'period_start', name=op.f('uq_recurring_occurrences_recurring_invoice_id_period_start')), sqlite_autoincrement=True)
    with op.batch_alter_table('recurring_occurrences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurring_occurrences_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recurring_occurrences_organization_id'), ['organization_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('recurring_occurrences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recurring_occurrences_organization_id'))
        batch_op.drop_index(batch_op.f('ix_recurring_occurrences_invoice_id'))

    op.drop_table('recurring_occurrences')
    with op.batch_alter_table('recurring_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recurring_invoices_organization_id'))
        batch_op.drop_index('ix_recurring_invoices_due')
        batch_op.drop_index(batch_op.f('ix_recurring_invoices_contact_id'))

    op.drop_table('recurring_invoices')
    op.drop_table('recurring_runs')
