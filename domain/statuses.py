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
