"""donor match, campaign election day

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 18:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign_ledger") as batch_op:
        batch_op.add_column(sa.Column("election_day", sa.Date(), nullable=True))
    op.create_table(
        "donor_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("donor_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["donor_id"], ["donor.id"], name=op.f("fk_donor_match_donor_id_donor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["donor.id"], name=op.f("fk_donor_match_other_id_donor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["person.id"], name=op.f("fk_donor_match_decided_by_person"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_donor_match")),
        sa.UniqueConstraint("donor_id", "other_id", name="uq_donor_match_pair"),
    )
    with op.batch_alter_table("donor_match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_donor_match_donor_id"), ["donor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_donor_match_other_id"), ["other_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("donor_match", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_donor_match_other_id"))
        batch_op.drop_index(batch_op.f("ix_donor_match_donor_id"))
    op.drop_table("donor_match")
    with op.batch_alter_table("campaign_ledger") as batch_op:
        batch_op.drop_column("election_day")
