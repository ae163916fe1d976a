"""Texts of who is coming: rosters for organisers, their exports, attendance, messages to the registered (merged into bot.texts).

French per docs/french-style.md: U+00A0 before « : » and inside « », U+202F before ; ! ?, real plurals.
"""

FR: dict[str, str] = {
    # The roster, in private.
    "btn.roster_view": "👥 Voir les inscrits",
    "roster.header": "👥 <b>{title}</b>\n{when}",
    "roster.coming": ("\n✅ <b>{count} {count:plural:personne vient:personnes viennent}</b>{guests}\u00a0:"),
    "roster.guests": "+\u00a0{count} {count:plural:accompagnant:accompagnants}",
    "roster.maybe": "\n🤔 <b>Peut-être\u00a0: {count}</b>",
    "roster.waitlist": "\n⏳ <b>Liste d'attente\u00a0: {count}</b>",
    "roster.not_coming": "\n🚫 <b>Ne viennent pas\u00a0: {count}</b>",
    "roster.silent": "\n💬 <b>Sollicités sans réponse\u00a0: {count}</b>",
    "roster.empty": "\nPersonne n'a encore répondu.",
    "roster.counts": (
        "✅\u00a0{coming} {coming:plural:vient:viennent} · 🤔\u00a0{maybe} peut-être · ⏳\u00a0{waitlist} en attente · "
        "🚫\u00a0{not_coming} {not_coming:plural:ne vient pas:ne viennent pas} · 💬\u00a0{silent} sans réponse"
    ),
    "roster.denied": (
        "La liste des inscrits est réservée aux organisateurs de cette action "
        "(coordination, candidats de la ville, personne qui l'a créée). "
        "Demandez-la à la coordination si vous en avez besoin."
    ),
    "roster.open_private": "Je vous envoie la liste des inscrits en privé.",
    "btn.roster_message": "✉️ Écrire aux inscrits",
    "btn.roster_xlsx": "📊 Excel (.xlsx)",
    "btn.roster_csv": "📄 CSV",
    "btn.roster_attendance": "✔️ Noter les présences",
    "btn.roster_back": "↩️ Retour à la liste",
    # Attendance, marked by an organiser.
    "roster.att_header": "✔️ <b>Présences — {title}</b>\nTouchez ✅ si la personne était là, ❌ sinon.",
    "btn.roster_present": "✅ {name}",
    "btn.roster_absent": "❌ {name}",
    "roster.att_closed": "Les présences se notent à partir d'une heure avant le début de l'action.",
    # Writing to everyone registered.
    "roster.ask_message": (
        "Quel message envoyer aux personnes qui viennent ou viendront peut-être\u00a0? "
        "Écrivez-le en un seul message (/annuler pour arrêter)."
    ),
    "roster.message_too_long": (
        "Ce message est trop long ({length} {length:plural:caractère:caractères}, {max} au plus). "
        "Raccourcissez-le."
    ),
    "roster.message_preview": (
        "Ce message partira à {count} {count:plural:personne:personnes}\u00a0:\n\n{text}\n\nL'envoyer\u00a0?"
    ),
    "btn.roster_send": "Envoyer",
    "roster.message_sent": "C'est envoyé à {count} {count:plural:personne:personnes}.",
    "roster.message": "✉️ <b>{title}</b> ({when})\nMessage de {sender}\u00a0:\n\n{text}",
    # Exports.
    "roster.export_caption": "Inscrits à «\u00a0{title}\u00a0»",
    "roster.sheet": "Inscrits",
    "roster.col_name": "Nom",
    "roster.col_status": "Réponse",
    "roster.col_task": "Tâche",
    "roster.col_guests": "Accompagnants",
    "roster.col_attended": "Présence",
    "roster.col_since": "Répondu le",
    "roster.status_yes": "vient",
    "roster.status_maybe": "peut-être",
    "roster.status_waitlist": "liste d'attente",
    "roster.status_no": "ne vient pas",
    "roster.status_silent": "sollicité, sans réponse",
    "roster.att_yes_word": "présent",
    "roster.att_no_word": "absent",
    # The digest.
    "roster.digest_title": "<b>Vos actions du jour</b>",
    "roster.digest_line": (
        "👥 {when} — <b>{title}</b>\u00a0: {count} {count:plural:vient:viennent} ({names}), "
        "{maybe} peut-être, {silent} sans réponse"
    ),
    "roster.digest_more": " et {count} {count:plural:autre:autres}",
    # /agenda: the person's own answer.
    "roster.agenda_yes": " — ✅ vous venez",
    "roster.agenda_maybe": " — 🤔 vous viendrez peut-être",
    "roster.agenda_waitlist": " — ⏳ vous êtes en liste d'attente",
    "roster.agenda_task": " ({task})",
    # A new date, confirmed in words.
    "roster.when_confirm": "Nouvelle date\u00a0: {when} — confirmer\u202f?",
    "roster.date_changed": (
        "C'est noté\u00a0: l'action a une nouvelle date. "
        "{count} {count:plural:personne inscrite prévenue:personnes inscrites prévenues}."
    ),
    "roster.date_notice": "📅 <b>Date modifiée</b>\u00a0: «\u00a0{title}\u00a0» aura lieu {when} ({place}).",
    "post.date_changed": "📅 <b>Date modifiée</b>",
}

EN: dict[str, str] = {
    "btn.roster_view": "👥 See who is coming",
    "roster.header": "👥 <b>{title}</b>\n{when}",
    "roster.coming": ("\n✅ <b>{count} {count:plural:person is:people are} coming</b>{guests}:"),
    "roster.guests": "+{count} {count:plural:guest:guests}",
    "roster.maybe": "\n🤔 <b>Maybe: {count}</b>",
    "roster.waitlist": "\n⏳ <b>Waiting list: {count}</b>",
    "roster.not_coming": "\n🚫 <b>Not coming: {count}</b>",
    "roster.silent": "\n💬 <b>Asked, no answer: {count}</b>",
    "roster.empty": "\nNobody has answered yet.",
    "roster.counts": (
        "✅ {coming} coming · 🤔 {maybe} maybe · ⏳ {waitlist} waiting · 🚫 {not_coming} not coming · "
        "💬 {silent} no answer"
    ),
    "roster.denied": (
        "The list of who is coming is reserved for this action's organisers "
        "(coordination, the city's candidates, the person who created it). "
        "Ask the coordination if you need it."
    ),
    "roster.open_private": "I am sending you the list in private.",
    "btn.roster_message": "✉️ Write to them",
    "btn.roster_xlsx": "📊 Excel (.xlsx)",
    "btn.roster_csv": "📄 CSV",
    "btn.roster_attendance": "✔️ Take attendance",
    "btn.roster_back": "↩️ Back to the list",
    "roster.att_header": "✔️ <b>Attendance — {title}</b>\nTap ✅ if the person was there, ❌ otherwise.",
    "btn.roster_present": "✅ {name}",
    "btn.roster_absent": "❌ {name}",
    "roster.att_closed": "Attendance can be taken from one hour before the action starts.",
    "roster.ask_message": (
        "What message should go to the people coming or maybe coming? "
        "Write it in one message (/cancel to stop)."
    ),
    "roster.message_too_long": (
        "This message is too long ({length} {length:plural:character:characters}, {max} at most). "
        "Please shorten it."
    ),
    "roster.message_preview": "This message will go to {count} {count:plural:person:people}:\n\n{text}\n\nSend it?",
    "btn.roster_send": "Send",
    "roster.message_sent": "Sent to {count} {count:plural:person:people}.",
    "roster.message": "✉️ <b>{title}</b> ({when})\nMessage from {sender}:\n\n{text}",
    "roster.export_caption": "Registered for « {title} »",
    "roster.sheet": "Registered",
    "roster.col_name": "Name",
    "roster.col_status": "Answer",
    "roster.col_task": "Task",
    "roster.col_guests": "Guests",
    "roster.col_attended": "Attendance",
    "roster.col_since": "Answered on",
    "roster.status_yes": "coming",
    "roster.status_maybe": "maybe",
    "roster.status_waitlist": "waiting list",
    "roster.status_no": "not coming",
    "roster.status_silent": "asked, no answer",
    "roster.att_yes_word": "present",
    "roster.att_no_word": "absent",
    "roster.digest_title": "<b>Your actions today</b>",
    "roster.digest_line": (
        "👥 {when} — <b>{title}</b>: {count} coming ({names}), {maybe} maybe, {silent} no answer"
    ),
    "roster.digest_more": " and {count} {count:plural:other:others}",
    "roster.agenda_yes": " — ✅ you are coming",
    "roster.agenda_maybe": " — 🤔 you may come",
    "roster.agenda_waitlist": " — ⏳ you are on the waiting list",
    "roster.agenda_task": " ({task})",
    "roster.when_confirm": "New date: {when} — confirm?",
    "roster.date_changed": "Noted: the action has a new date. {count} registered {count:plural:person:people} told.",
    "roster.date_notice": "📅 <b>Date changed</b>: « {title} » will take place {when} ({place}).",
    "post.date_changed": "📅 <b>Date changed</b>",
}
