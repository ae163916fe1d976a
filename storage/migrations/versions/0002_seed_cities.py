"""Seed the eight cities of the default configuration.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CITIES = ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Grenoble", "Rennes")


def upgrade() -> None:
    city = sa.table(
        "city",
        sa.column("name", sa.String),
        sa.column("aliases", sa.JSON),
        sa.column("created_at", storage.models.UTCDateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    op.bulk_insert(city, [{"name": name, "aliases": [], "created_at": now} for name in CITIES])


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM city WHERE name IN :names").bindparams(
            sa.bindparam("names", CITIES, expanding=True)
        )
    )
