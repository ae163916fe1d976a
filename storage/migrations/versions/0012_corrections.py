"""corrections: what the bot read in free text and what people corrected it to (issue 17)

Revision ID: 0012_corrections
Revises: 0011
Create Date: 2026-12-06 23:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_corrections"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("read", sa.String(length=20), nullable=False),
        sa.Column("read_detail", sa.String(length=80), nullable=True),
        sa.Column("expected", sa.String(length=20), nullable=True),
        sa.Column("expected_detail", sa.String(length=80), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("corrected_by", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("email_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["person.id"], name=op.f("fk_correction_author_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["corrected_by"],
            ["person.id"],
            name=op.f("fk_correction_corrected_by_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["email_id"], ["email.id"], name=op.f("fk_correction_email_id_email"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_correction_event_id_event"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction")),
    )
    with op.batch_alter_table("correction") as batch_op:
        batch_op.create_index(batch_op.f("ix_correction_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_corrected_at"), ["corrected_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_corrected_by"), ["corrected_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_email_id"), ["email_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_kind"), ["kind"], unique=False)


def downgrade() -> None:
    op.drop_table("correction")
