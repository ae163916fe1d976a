"""Personal-data rights and retention (docs/legal-rules.md, sections E and F).

- subjects: whose data a request is about (a Telegram profile, email addresses, or both);
- access: the export of /mes_donnees, as a JSON file and a readable summary;
- erasure: /supprimer_mes_donnees and /stop, what goes and what the law keeps;
- requests: every request people and coordinators make, one transaction each, logged in the register;
- register: deadlines, the day-20 reminder, the treasurers' notice, what a restore carries over;
- retention: the hourly job (anonymise inactive volunteers, expire emails) and activity stamps;
- purge: financial records past their legal retention, deleted only on a treasurer's confirmation.

The names below are what other packages use (the job, backups and restores).
"""

from bot.texts.privacy import ANONYMOUS_NAME
from capabilities.privacy.erasure import erase, stop
from capabilities.privacy.purge import purge_cutoff
from capabilities.privacy.register import carry_over_register, deadline, register_rows
from capabilities.privacy.retention import run_retention
from capabilities.privacy.subjects import subject_of_user

__all__ = [
    "ANONYMOUS_NAME",
    "carry_over_register",
    "deadline",
    "erase",
    "purge_cutoff",
    "register_rows",
    "run_retention",
    "stop",
    "subject_of_user",
]
