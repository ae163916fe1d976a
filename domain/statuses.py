"""Every status stored in the database, in one place: the words the code compares and stores.

StrEnum members compare equal to their stored string, so rows written before this module keep
their meaning. Pure constants, no I/O.
"""

from __future__ import annotations

from enum import StrEnum

# --- Events and answers ------------------------------------------------------------------------------


class EventStatus(StrEnum):
    """event.status: answers, asks and reminders are for SCHEDULED events only."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    DONE = "done"  # over, attendance reported


class RsvpStatus(StrEnum):
    """participation.status (and pending_rsvp.answer: YES, MAYBE or NO)."""

    YES = "yes"
    MAYBE = "maybe"
    NO = "no"
    WAITLIST = "waitlist"  # a YES for a role already full


# Statuses of the people who count as registered (agenda, notices, announcement audiences).
REGISTERED: tuple[RsvpStatus, ...] = (RsvpStatus.YES, RsvpStatus.MAYBE, RsvpStatus.WAITLIST)


class RsvpSource(StrEnum):
    """participation.source: how the answer came."""

    BUTTON = "button"
    REPLY = "reply"
    DEEPLINK = "deeplink"
    ASK = "ask"
    REMINDER = "reminder"


# --- Recruitment -------------------------------------------------------------------------------------


class AskAnswer(StrEnum):
    """ask.answer (None while the person has not answered)."""

    YES = "yes"
    NO = "no"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


# --- Announcements to members ----------------------------------------------------------------------------


class AnnouncementStatus(StrEnum):
    """broadcast.status of an announcement to members (/annonce)."""

    QUEUED = "queued"
    SENDING = "sending"
    DONE = "done"


class Audience(StrEnum):
    """Who an announcement goes to (broadcast.audience["kind"])."""

    ALL = "all"
    CITY = "city"
    ROLE = "role"
    SKILL = "skill"
    EVENT = "event"


# --- Personal data -----------------------------------------------------------------------------------


class RequestKind(StrEnum):
    """data_request.kind: what a person asked about their data (the `pv.kind.<value>` text names it)."""

    ACCESS = "access"
    ERASURE = "erasure"
    STOP = "stop"


class RequestNote(StrEnum):
    """data_request.note written by the bot: the register is read by people, in French."""

    NOTHING_TO_ERASE = "rien à effacer"
    CANCELLED_BY_PERSON = "annulée par la personne"
    CANCELLED_BY_COORDINATION = "annulée par la coordination"
    RECEIVED_OUTSIDE_TELEGRAM = "demande reçue hors Telegram"
    CLOSED_BY_COORDINATION = "traitée (coordination)"
    CARRIED_OVER = "reprise après restauration d'une sauvegarde"


# Every note of a cancelled request starts so (an erasure cancelled is not applied again after a restore).
CANCELLED_NOTE_PREFIX = "annulée"


# --- Inbox -------------------------------------------------------------------------------------------


class EmailStatus(StrEnum):
    """Where an email of the shared inbox stands (`email.status`)."""

    NEW = "new"  # nobody to send it to
    ASSIGNED = "assigned"  # its card went to someone; nobody took it yet
    CLAIMED = "claimed"  # someone handles it
    SENDING = "sending"  # an answer is on its way to Gmail
    ANSWERED = "answered"
    SPAM = "spam"


# --- Donations and memberships -----------------------------------------------------------------------


class DonationStatus(StrEnum):
    """donation.status: only RECORDED gifts are accepted (register number, history, totals)."""

    RECORDED = "recorded"
    TO_REFUND = "to_refund"  # refused by the law but received: to be given back, no number
    REFUNDED = "refunded"
    CANCELLED = "cancelled"  # keeps its register number: the sequence shows the gap


class DonationKind(StrEnum):
    """donation.kind: what a payment is."""

    DON = "don"
    COTISATION = "cotisation"
    COTISATION_ELU = "cotisation_élu"
    # Cash collected without a donor (a hat passed round): no receipt, outside the don totals.
    QUETE = "quête"


class DonorType(StrEnum):
    """donor.donor_type."""

    PHYSIQUE = "physique"
    MORALE = "morale"


class PaymentMethod(StrEnum):
    """donation.method."""

    CHEQUE = "chèque"
    VIREMENT = "virement"
    CARTE = "carte"
    PRELEVEMENT = "prélèvement"
    ESPECES = "espèces"
    PLATEFORME = "plateforme"


# --- Outbox ------------------------------------------------------------------------------------------


# --- Communication (the movement's public voice) -----------------------------------------------------


class ComRequestKind(StrEnum):
    """com_request.kind: what is asked of the communication team (`com.kind.<value>` names it)."""

    POST = "post"
    VISUAL = "visual"
    VIDEO = "video"
    WEBSITE = "website"  # a site update: goes to the website lead
    PRESS_RELEASE = "press_release"


class ComRequestStatus(StrEnum):
    """com_request.status."""

    OPEN = "open"  # sent to the lead(s), nobody took it yet
    CLAIMED = "claimed"  # someone handles it
    DONE = "done"
    REFUSED = "refused"


class PostPurpose(StrEnum):
    """com_post.purpose: why a post exists (suggested from an event, asked for, or free)."""

    ANNOUNCE = "announce"  # an event, ahead of time
    RECALL = "recall"  # an event, the day before
    RECAP = "recap"  # an event, after, with its photos
    REQUEST = "request"  # written for a communication request
    FREE = "free"  # written in chat, or from the command line


class PostStatus(StrEnum):
    """com_post.status: a post's way from suggestion to publication."""

    SUGGESTED = "suggested"  # proposed by the bot (an event), nobody took it up yet
    DRAFT = "draft"  # being written; may be submitted for approval
    SUBMITTED = "submitted"  # waiting for someone with the communication role
    APPROVED = "approved"  # approved, to publish now
    SCHEDULED = "scheduled"  # approved, to publish at publish_at
    PAUSED = "paused"  # held by the law (electoral silence, results before 20:00): the lead decides
    PUBLISHED = "published"  # every channel's publication is settled (published, failed or skipped)
    CANCELLED = "cancelled"


class PublicationStatus(StrEnum):
    """publication.status: one post on one channel, the ledger of exactly-once."""

    PENDING = "pending"  # to send (now, or at next_try_at)
    SENDING = "sending"  # claimed by a sender: an attempt is under way
    UNCERTAIN = "uncertain"  # an attempt may have landed: look on the platform before any retry
    PUBLISHED = "published"
    FAILED = "failed"  # given up: the lead was told why and what to do
    SKIPPED = "skipped"  # the channel is not configured (or X without credentials: a share link)


# --- Expenses ----------------------------------------------------------------------------------------


class ExpenseStatus(StrEnum):
    """expense.status: a member's claim (/frais) as the treasurers review it."""

    SUBMITTED = "submitted"  # waiting for a treasurer
    QUESTION = "question"  # a treasurer asked the member something
    APPROVED = "approved"
    REFUSED = "refused"
    PAID = "paid"
