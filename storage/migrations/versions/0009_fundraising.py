"""fundraising events: goal and HelloAsso form

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 20:35:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Donation.event_id exists since 0004; only the event side is new.
    with op.batch_alter_table("event") as batch_op:
        batch_op.add_column(sa.Column("fundraising_goal_cents", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("helloasso_form_slug", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_column("helloasso_form_slug")
        batch_op.drop_column("fundraising_goal_cents")
