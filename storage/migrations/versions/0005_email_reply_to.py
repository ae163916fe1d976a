"""email reply-to

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 18:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("email") as batch_op:
        batch_op.add_column(sa.Column("reply_to", sa.String(length=320), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("email") as batch_op:
        batch_op.drop_column("reply_to")
