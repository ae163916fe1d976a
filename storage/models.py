"""SQLAlchemy 2 typed models. Times are stored in UTC and read back timezone-aware."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """SQLite drops time zones: store naive UTC, hand back aware UTC on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class City(Base):
    __tablename__ = "city"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Chat(Base):
    """A group (or channel) the bot knows; private chats are people, not rows here."""

    __tablename__ = "chat"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(255), default="")
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id", ondelete="SET NULL"), index=True)
    purpose: Mapped[str] = mapped_column(String(40), default="city")
    migrated_to: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    linked_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    city: Mapped[City | None] = relationship(lazy="joined")


class Person(Base):
    """Exists only once the person accepted the privacy notice."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(String(64))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id", ondelete="SET NULL"), index=True)
    skills: Mapped[list[Any]] = mapped_column(default=list)
    consent_version: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[datetime]
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    asks_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    absent_until: Mapped[date | None] = mapped_column(Date)
    digest_hour: Mapped[int] = mapped_column(Integer, default=8)
    digest_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    announcements_stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    last_active_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    city: Mapped[City | None] = relationship(lazy="joined")
    grants: Mapped[list[RoleGrant]] = relationship(
        lazy="selectin",
        cascade="all, delete-orphan",
        back_populates="person",
        foreign_keys="RoleGrant.person_id",
    )


class RoleGrant(Base):
    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("person_id", "role", "scope", name="uq_role_grant_person_role_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # A city name for candidates, a domain for leads, "" otherwise.
    scope: Mapped[str] = mapped_column(String(80), default="")
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="grants", foreign_keys=[person_id])


class Invite(Base):
    __tablename__ = "invite"

    token: Mapped[str] = mapped_column(String(40), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(80), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    used_at: Mapped[datetime | None]


class Outbox(Base):
    """A message the bot decided to send; written in the transaction that caused it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    method: Mapped[str] = mapped_column(String(40), default="sendMessage")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    batch: Mapped[str | None] = mapped_column(String(80), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # pending → sending → sent | failed | unreachable
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    """One row per (job, period): the unique key makes a scheduled run happen once."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "period_key", name="uq_job_run_job_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    period_key: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Event(Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    # None: a national event, announced in every group.
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id", ondelete="SET NULL"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="scheduled", index=True)  # EventStatus
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    gcal_id: Mapped[str | None] = mapped_column(String(200))
    gcal_synced_revision: Mapped[int] = mapped_column(Integer, default=-1)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # A "levée de fonds": the goal shown on its announcement, and the HelloAsso form whose
    # payments count toward it (issue 15).
    fundraising_goal_cents: Mapped[int | None] = mapped_column(BigInteger)
    helloasso_form_slug: Mapped[str | None] = mapped_column(String(200))

    city: Mapped[City | None] = relationship(lazy="joined")
    needs: Mapped[list[Need]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="Need.id", back_populates="event"
    )


class Need(Base):
    __tablename__ = "need"
    __table_args__ = (UniqueConstraint("event_id", "role", name="uq_need_event_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)

    event: Mapped[Event] = relationship(back_populates="needs")


class Participation(Base):
    __tablename__ = "participation"
    __table_args__ = (UniqueConstraint("event_id", "person_id", name="uq_participation_event_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # RsvpStatus
    role: Mapped[str | None] = mapped_column(String(40))
    guests: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # people they bring
    source: Mapped[str] = mapped_column(String(20), default="button")  # RsvpSource
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reminded_day_at: Mapped[datetime | None]
    reminded_soon_at: Mapped[datetime | None]
    attendance_asked_at: Mapped[datetime | None]
    attended: Mapped[bool | None] = mapped_column(Boolean)

    person: Mapped[Person] = relationship(lazy="joined")


class EventPost(Base):
    """An event's post in one group; its Telegram message id is on the outbox row `outbox_key`.

    The table keeps its first name, `announcement`: renaming it would give that name to the other
    table (announcements to members), and old backups and hand-written queries would read one for
    the other.
    """

    __tablename__ = "announcement"
    __table_args__ = (UniqueConstraint("event_id", "chat_id", name="uq_announcement_event_chat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    outbox_key: Mapped[str] = mapped_column(String(200), unique=True)
    rendered: Mapped[str] = mapped_column(Text, default="")
    dirty: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    last_edit_at: Mapped[datetime | None]


class Ask(Base):
    """A private request to one volunteer for one role of one event."""

    __tablename__ = "ask"
    __table_args__ = (UniqueConstraint("event_id", "role", "person_id", name="uq_ask_event_role_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    wave: Mapped[int] = mapped_column(Integer, default=1)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answer: Mapped[str | None] = mapped_column(String(20))  # AskAnswer; None while waiting
    answered_at: Mapped[datetime | None]


class Recruitment(Base):
    __tablename__ = "recruitment"
    __table_args__ = (UniqueConstraint("event_id", "role", name="uq_recruitment_event_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_wave_at: Mapped[datetime | None]
    waves: Mapped[int] = mapped_column(Integer, default=0)


class PendingRsvp(Base):
    """An answer given before onboarding; applied once the person accepts the privacy notice."""

    __tablename__ = "pending_rsvp"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    answer: Mapped[str] = mapped_column(String(10))
    role: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class KeyValue(Base):
    """Small durable state: Gmail history id, the triage model, counters."""

    __tablename__ = "key_value"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- The shared inbox ---------------------------------------------------------------------


class EmailMessage(Base):
    __tablename__ = "email"

    id: Mapped[int] = mapped_column(primary_key=True)
    gmail_id: Mapped[str] = mapped_column(String(64), unique=True)
    thread_id: Mapped[str] = mapped_column(String(64), index=True)
    sender: Mapped[str] = mapped_column(String(320))
    # Where answers go when set (the decoded Reply-To header): shown on every card and preview.
    reply_to: Mapped[str] = mapped_column(String(320), default="", server_default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    received_at: Mapped[datetime]
    excerpt: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    message_id_header: Mapped[str] = mapped_column(String(500), default="")
    references: Mapped[str] = mapped_column(Text, default="")
    domain: Mapped[str] = mapped_column(String(20), index=True)
    city: Mapped[str | None] = mapped_column(String(80))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    auto_routed: Mapped[bool] = mapped_column(Boolean, default=False)
    # new | assigned | claimed | answered | spam
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RoutingRule(Base):
    __tablename__ = "routing_rule"
    __table_args__ = (
        UniqueConstraint("domain", "city", "person_id", name="uq_routing_rule_domain_city_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(20), index=True)
    city: Mapped[str | None] = mapped_column(String(80))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SavedReply(Base):
    __tablename__ = "saved_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Money ----------------------------------------------------------------------------------


class Donor(Base):
    """The financial core of a donor or member: kept for the legal retention, treasurers only."""

    __tablename__ = "donor"

    id: Mapped[int] = mapped_column(primary_key=True)
    donor_type: Mapped[str] = mapped_column(String(10), default="physique")
    civility: Mapped[str] = mapped_column(String(10), default="")
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="", index=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="FR")
    email: Mapped[str] = mapped_column(String(320), default="", index=True)
    nationality: Mapped[str] = mapped_column(String(40), default="")
    tax_residence: Mapped[str] = mapped_column(String(2), default="")
    elected_mandate: Mapped[str] = mapped_column(String(200), default="")
    sworn_declaration_at: Mapped[datetime | None]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignLedger(Base):
    """One city list's campaign account for one election."""

    __tablename__ = "campaign_ledger"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    city: Mapped[str] = mapped_column(String(80))
    election_id: Mapped[str] = mapped_column(String(40))
    population: Mapped[int | None] = mapped_column(Integer)
    mandataire_declared: Mapped[bool] = mapped_column(Boolean, default=False)
    official_ceiling_cents: Mapped[int | None] = mapped_column(BigInteger)
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    # The 1st round: the filing deadline (10th Friday after it) ends the collection (rule 26).
    election_day: Mapped[date | None] = mapped_column(Date)
    account_filed_on: Mapped[date | None] = mapped_column(Date)
    bank_account: Mapped[str] = mapped_column(String(60), default="")


class DonorMatch(Base):
    """Two donor records with the same name and another address: maybe one person (one cap),
    maybe homonyms. The import reports it; a treasurer decides (merge, or keep apart) once."""

    __tablename__ = "donor_match"
    __table_args__ = (UniqueConstraint("donor_id", "other_id", name="uq_donor_match_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donor.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("donor.id", ondelete="CASCADE"), index=True)
    # pending | merged | apart
    status: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Donation(Base):
    __tablename__ = "donation"

    id: Mapped[int] = mapped_column(primary_key=True)
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("donor.id", ondelete="RESTRICT"), index=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(40), default="")
    provider_tx_id: Mapped[str] = mapped_column(String(120), default="")
    received_on: Mapped[date] = mapped_column(Date, index=True)
    # "party" or a campaign_ledger id
    ledger: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # recorded | to_refund | refunded | cancelled
    status: Mapped[str] = mapped_column(String(20), default="recorded", index=True)
    findings: Mapped[list[Any]] = mapped_column(default=list)
    receipt_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    # Idempotency: a replayed confirmation or a re-imported row finds its key already taken.
    request_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    donor: Mapped[Donor | None] = relationship(lazy="joined")


class ReceiptCounter(Base):
    __tablename__ = "receipt_counter"

    ledger: Mapped[str] = mapped_column(String(120), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Membership(Base):
    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donor.id", ondelete="RESTRICT"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(30), default="standard")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date, index=True)
    fee_cents: Mapped[int] = mapped_column(BigInteger)
    donation_id: Mapped[int | None] = mapped_column(ForeignKey("donation.id", ondelete="SET NULL"))
    reminded_30_at: Mapped[datetime | None]
    reminded_7_at: Mapped[datetime | None]
    reminded_end_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Announcements to members, and personal-data requests ---------------------------------


class Announcement(Base):
    """An announcement to members (/annonce); its messages are the outbox rows of batch `bc:<id>`.

    The table keeps its first name, `broadcast` (see EventPost).
    """

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    text: Mapped[str] = mapped_column(Text)
    total: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)  # AnnouncementStatus
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class DataRequest(Base):
    """One request about personal data: the register of docs/legal-rules.md rule 37."""

    __tablename__ = "data_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    email: Mapped[str] = mapped_column(String(320), default="")
    kind: Mapped[str] = mapped_column(String(20))  # RequestKind
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")  # RequestNote when the bot writes it


# --- Communication: requests, posts and the publication ledger ----------------------------------


class ComRequest(Base):
    """A request to the communication team (/com, or an email turned into a request)."""

    __tablename__ = "com_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # ComRequestKind
    # The lead domain that handles it: communication, or website for a site update (domain.people.Domain).
    domain: Mapped[str] = mapped_column(String(20), index=True)
    channels: Mapped[list[Any]] = mapped_column(default=list)  # channel names wished for
    brief: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[datetime | None]
    city: Mapped[str | None] = mapped_column(String(80))
    # Files sent in the chat: [{"file_id", "kind": "photo"|"document", "name"}].
    files: Mapped[list[Any]] = mapped_column(default=list)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    email_id: Mapped[int | None] = mapped_column(ForeignKey("email.id", ondelete="SET NULL"), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # ComRequestStatus
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    refused_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ComPost(Base):
    """One public post: suggested, drafted, approved, then published on its channels."""

    __tablename__ = "com_post"
    __table_args__ = (UniqueConstraint("event_id", "purpose", name="uq_com_post_event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))  # PostPurpose
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)  # PostStatus
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("com_request.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    # A caller's idempotency key (the command line's --key): the same key never makes a second post.
    external_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(1000), default="")
    # [{"file_id"|"path", "name", "mime", "alt"}]: Telegram file ids from the chat, or local files.
    images: Mapped[list[Any]] = mapped_column(default=list)
    channels: Mapped[list[Any]] = mapped_column(default=list)
    city: Mapped[str | None] = mapped_column(String(80))
    # When a suggested post is due (its lead time); publish_at is when an approved post goes out.
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    publish_at: Mapped[datetime | None] = mapped_column(index=True)
    # Rules the approver confirmed (their keys: not_propaganda, no_result, no_polemic, consent, image_rights).
    confirmations: Mapped[list[Any]] = mapped_column(default=list)
    # Bumped at each edit: an approval button of an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    paused_reason: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Publication(Base):
    """The ledger: one post on one channel, under one idempotency key, published at most once."""

    __tablename__ = "publication"
    __table_args__ = (UniqueConstraint("post_id", "channel", name="uq_publication_post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("com_post.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # PublicationStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None]
    remote_id: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    error_kind: Mapped[str] = mapped_column(String(20), default="")  # integrations.publishing.base.ErrorKind
    error_detail: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    # Reach figures read back from the platform ({"likes": 3, "shares": 1...}), and when.
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metrics_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ConversationState(Base):
    """What a restart must not lose (bot/persistence.py): a form's state for one chat and person,
    or one person's drafts (their user_data, as JSON)."""

    __tablename__ = "conversation_state"
    __table_args__ = (UniqueConstraint("name", "key", name="uq_conversation_state_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A form's name (handlers/conversation.py), or "user_data" for a person's drafts.
    name: Mapped[str] = mapped_column(String(60))
    # The conversation's key as JSON ([chat_id, user_id]), or the person's Telegram id.
    key: Mapped[str] = mapped_column(String(100))
    state: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The last answer: a conversation restored after a restart times out from here.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Expense(Base):
    """A member's expense claim (/frais), reviewed by the treasurers. A financial record (rule 42):
    kept FINANCIAL_RETENTION_YEARS, its receipt a file under settings.receipts_dir, never served.
    An erased member's claims stay, unlinked from the profile (person_id SET NULL), as donations do."""

    __tablename__ = "expense"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    # Who is reimbursed, as the account needs it (kept after an erasure, like a donor's name).
    claimant: Mapped[str] = mapped_column(String(120), default="")
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(300))
    spent_on: Mapped[date] = mapped_column(Date, index=True)
    # "mouvement" (the party) or a campaign_ledger id
    ledger: Mapped[str] = mapped_column(String(120), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    category: Mapped[str] = mapped_column(String(40))  # domain.expenses.CATEGORIES
    # The receipt: a random file name inside receipts_dir, and Telegram's id to show it again.
    receipt_file: Mapped[str] = mapped_column(String(120), default="")
    receipt_kind: Mapped[str] = mapped_column(String(20), default="")  # photo | image | pdf
    receipt_file_id: Mapped[str] = mapped_column(String(200), default="")
    # submitted | question | approved | refused | paid (domain.statuses.ExpenseStatus)
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # why refused
    question: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    paid_on: Mapped[date | None] = mapped_column(Date)
    # Idempotency: a replayed confirmation finds its key already taken.
    request_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Correction(Base):
    """What the bot read in free text, and what people said it should have read (issue 17).

    kind "reply": a reply to an event's post read as an answer (`read`: the intent, `read_detail`:
    the role); a row is written for each such reading so that its "Ce n'est pas ça" button can
    find it, and becomes a correction when `expected` is set ("other": nothing to record).
    kind "inbox": an email moved to another domain or city (`read`/`expected`: the domain,
    `*_detail`: the city). Corrections train the reply reader (capabilities/understanding).
    An erased person's corrections stay, without their person links (capabilities/privacy).
    """

    __tablename__ = "correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # reply | inbox
    text: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text, default="")  # the announcement, the email's subject
    read: Mapped[str] = mapped_column(String(20))
    read_detail: Mapped[str | None] = mapped_column(String(80))
    expected: Mapped[str | None] = mapped_column(String(20))  # None: not corrected (yet)
    expected_detail: Mapped[str | None] = mapped_column(String(80))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)
    # An erased sender's emails are deleted, and the corrections quoting them with them.
    email_id: Mapped[int | None] = mapped_column(ForeignKey("email.id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    corrected_at: Mapped[datetime | None] = mapped_column(index=True)
