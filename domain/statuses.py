"""Every status stored in the database, in one place: the words the code compares and stores.

StrEnum members compare equal to their stored string, so rows written before this module keep
their meaning. Pure constants, no I/O.
"""

from __future__ import annotations

from enum import StrEnum

# --- Events and answers ------------------------------------------------------------------------------


# --- Recruitment -------------------------------------------------------------------------------------


# --- Announcements to members ----------------------------------------------------------------------------


# --- Personal data -----------------------------------------------------------------------------------


# --- Inbox -------------------------------------------------------------------------------------------


# --- Donations and memberships -----------------------------------------------------------------------


# --- Outbox ------------------------------------------------------------------------------------------
