"""expenses: members' claims with their receipts (/frais)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 20:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "expense",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("claimant", sa.String(length=120), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("ledger", sa.String(length=120), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("receipt_file", sa.String(length=120), nullable=False),
        sa.Column("receipt_kind", sa.String(length=20), nullable=False),
        sa.Column("receipt_file_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("request_key", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["person.id"], name=op.f("fk_expense_decided_by_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_expense_event_id_event"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_expense_person_id_person"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense")),
        sa.UniqueConstraint("request_key", name=op.f("uq_expense_request_key")),
    )
    with op.batch_alter_table("expense") as batch_op:
        batch_op.create_index(batch_op.f("ix_expense_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expense_ledger"), ["ledger"], unique=False)
        batch_op.create_index(batch_op.f("ix_expense_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expense_spent_on"), ["spent_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_expense_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("expense")
