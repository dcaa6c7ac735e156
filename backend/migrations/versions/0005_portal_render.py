"""portal: the pre-rendered portal answer of a share link

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invoice_share_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('portal_render', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('invoice_share_links', schema=None) as batch_op:
        batch_op.drop_column('portal_render')
