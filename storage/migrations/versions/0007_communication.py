"""communication: requests, posts and the publication ledger

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 20:04:03.853597
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "com_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("domain", sa.String(length=20), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("brief", sa.Text(), nullable=False),
        sa.Column("deadline", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("city", sa.String(length=80), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("email_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("refused_reason", sa.Text(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["person.id"],
            name=op.f("fk_com_request_assignee_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["email_id"], ["email.id"], name=op.f("fk_com_request_email_id_email"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_com_request_event_id_event"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["person.id"],
            name=op.f("fk_com_request_requested_by_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_com_request")),
        sa.UniqueConstraint("email_id", name=op.f("uq_com_request_email_id")),
    )
    with op.batch_alter_table("com_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_com_request_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_com_request_domain"), ["domain"], unique=False)
        batch_op.create_index(batch_op.f("ix_com_request_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_com_request_status"), ["status"], unique=False)

    op.create_table(
        "com_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("external_key", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=1000), nullable=False),
        sa.Column("images", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=True),
        sa.Column("due_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("publish_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmations", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("paused_reason", sa.String(length=40), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["person.id"], name=op.f("fk_com_post_approved_by_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["person.id"], name=op.f("fk_com_post_author_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_com_post_event_id_event"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["com_request.id"],
            name=op.f("fk_com_post_request_id_com_request"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_com_post")),
        sa.UniqueConstraint("event_id", "purpose", name="uq_com_post_event_id"),
        sa.UniqueConstraint("external_key", name=op.f("uq_com_post_external_key")),
    )
    with op.batch_alter_table("com_post", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_com_post_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_com_post_publish_at"), ["publish_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_com_post_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_com_post_status"), ["status"], unique=False)

    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("remote_id", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("error_kind", sa.String(length=20), nullable=False),
        sa.Column("error_detail", sa.Text(), nullable=False),
        sa.Column("published_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("metrics_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["com_post.id"], name=op.f("fk_publication_post_id_com_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
        sa.UniqueConstraint("key", name=op.f("uq_publication_key")),
        sa.UniqueConstraint("post_id", "channel", name="uq_publication_post_id"),
    )
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_post_id"), ["post_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_publication_status"), ["status"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_status"))
        batch_op.drop_index(batch_op.f("ix_publication_post_id"))

    op.drop_table("publication")
    with op.batch_alter_table("com_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_com_post_status"))
        batch_op.drop_index(batch_op.f("ix_com_post_request_id"))
        batch_op.drop_index(batch_op.f("ix_com_post_publish_at"))
        batch_op.drop_index(batch_op.f("ix_com_post_due_at"))

    op.drop_table("com_post")
    with op.batch_alter_table("com_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_com_request_status"))
        batch_op.drop_index(batch_op.f("ix_com_request_event_id"))
        batch_op.drop_index(batch_op.f("ix_com_request_domain"))
        batch_op.drop_index(batch_op.f("ix_com_request_assignee_id"))

    op.drop_table("com_request")
