"""Texts of the morning digests (merged into bot.texts)."""

FR: dict[str, str] = {
    "cmd.digest": "Mon point du jour, maintenant",
    "cmd.digest_heure": "Choisir l'heure de mon point du jour",
    "cmd.digest_pause": "Suspendre ou reprendre mon point du jour",
    "digest.city_title": "☀️ <b>Le point du jour — {city}</b>",
    "digest.national_title": "☀️ <b>Le point du jour — national</b>",
    "digest.lead_title": "☀️ <b>Le point du jour — {domain}</b>",
    "digest.events": "<b>Les 7 prochains jours</b>",
    "digest.event_line": "{colour} {when} — {title}{missing}",
    "digest.missing": " · manque\u00a0: {roles}",
    "digest.new_volunteers": "<b>Nouveaux bénévoles</b> ({count})\u00a0: {names}",
    "digest.emails": "<b>Courriels de la campagne en attente</b>\u00a0: {count}",
    "digest.email_line": "• {subject}",
    "digest.donations": "<b>Dons à la liste</b> depuis hier\u00a0: {count} pour {total}",
    "digest.city_line": "<b>{city}</b>\u00a0: {events} {events:plural:action:actions}, {missing} {missing:plural:place:places} à pourvoir, {volunteers} {volunteers:plural:nouvelle personne:nouvelles personnes}, {emails} {emails:plural:courriel:courriels}",
    "digest.needs_you": "<b>À regarder</b>",
    "digest.unrouted": "• {count} {count:plural:courriel:courriels} sans responsable",
    "digest.red_event": "• 🔴 {city}\u00a0: {title} ({when})",
    "digest.lead_emails": "<b>Courriels en attente</b>\u00a0: {count}",
    # Issue 18: national events, the inbox's backlog, deadlines, money to look at; leads' counts.
    "digest.national": "National",
    "digest.national_events": "<b>National, les 7 prochains jours</b>",
    "digest.inbox_backlog": "• 📨 {count} {count:plural:courriel:courriels} en attente, dont {late} en retard",
    "digest.inbox_oldest": "• Le plus ancien\u00a0: n°\u00a0{number} «\u00a0{subject}\u00a0», {since}",
    "digest.data_request_line": (
        "• 🔐 Demande n°\u00a0{number} ({kind})\u00a0: réponse due le {deadline}, {left}"
    ),
    "digest.due_in": "dans {days} {days:plural:jour:jours}",
    "digest.due_today": "aujourd'hui",
    "digest.overdue": "délai dépassé de {days} {days:plural:jour:jours}",
    "digest.memberships_due": (
        "• 🪪 {count} {count:plural:adhésion arrive:adhésions arrivent} à échéance d'ici 30 jours (/adherents)"
    ),
    "digest.donations_warned": (
        "• 💶 {count} {count:plural:don porte:dons portent} un avertissement de la loi à compléter (/dons)"
    ),
    # Issue 18: the attendance of the events closed since the coordinator's previous digest.
    "digest.attendance": "<b>Présence aux actions terminées</b>",
    "digest.attendance_line": (
        "• {title} ({city}, {day})\u00a0: {present} {present:plural:présent:présents} · "
        "{absent} {absent:plural:absent:absents} · {unknown} sans réponse"
    ),
    "digest.lead_summary": "<b>Courriels en attente\u00a0: {count}</b>, dont {late} en retard\u00a0; le plus ancien {since}",
    "digest.lead_email_line": "• n°\u00a0{number} «\u00a0{subject}\u00a0» · {since}",
    "digest.lead_late_line": "• ⏰ n°\u00a0{number} «\u00a0{subject}\u00a0» · {since}",
    "digest.lead_more": "… et {count} {count:plural:autre:autres} dans /courriels.",
    "digest.nothing": "Rien de neuf pour l'instant\u00a0: pas de point du jour aujourd'hui.",
    "digest.hour_usage": (
        "À quelle heure voulez-vous votre point du jour\u00a0? Envoyez par exemple /digest_heure 7h00 ou "
        "/digest_heure 19h00 (une heure entre 00h00 et 23h00)."
    ),
    "digest.hour_set": "C'est noté\u00a0: votre point du jour arrivera vers {time}.",
    "digest.hour_set_on_the_hour": (
        "C'est noté\u00a0: votre point du jour arrivera vers {time} (il part à l'heure pile, pas à {asked}). "
        "Pour le recevoir une heure plus tard\u00a0: /digest_heure {later}."
    ),
    "digest.paused": "Point du jour suspendu. /digest_pause pour le reprendre.",
    "digest.resumed": "Point du jour repris\u00a0: il arrivera vers {time}.",
    "btn.relaunch": "Relancer\u00a0: {title}",
}

EN: dict[str, str] = {
    "cmd.digest": "My daily summary, now",
    "cmd.digest_heure": "Choose the time of my daily summary",
    "cmd.digest_pause": "Pause or resume my daily summary",
    "digest.city_title": "☀️ <b>Daily summary — {city}</b>",
    "digest.national_title": "☀️ <b>Daily summary — national</b>",
    "digest.lead_title": "☀️ <b>Daily summary — {domain}</b>",
    "digest.events": "<b>The next 7 days</b>",
    "digest.event_line": "{colour} {when} — {title}{missing}",
    "digest.missing": " · missing: {roles}",
    "digest.new_volunteers": "<b>New volunteers</b> ({count}): {names}",
    "digest.emails": "<b>Campaign emails waiting</b>: {count}",
    "digest.email_line": "• {subject}",
    "digest.donations": "<b>Donations to the list</b> since yesterday: {count} for {total}",
    "digest.city_line": "<b>{city}</b>: {events} {events:plural:action:actions}, {missing} {missing:plural:place:places} to fill, {volunteers} {volunteers:plural:new person:new people}, {emails} {emails:plural:email:emails}",
    "digest.needs_you": "<b>Needs a look</b>",
    "digest.unrouted": "• {count} {count:plural:email:emails} with nobody in charge",
    "digest.red_event": "• 🔴 {city}: {title} ({when})",
    "digest.lead_emails": "<b>Emails waiting</b>: {count}",
    "digest.national": "National",
    "digest.national_events": "<b>National, the next 7 days</b>",
    "digest.inbox_backlog": "• 📨 {count} {count:plural:email:emails} waiting, {late} of them late",
    "digest.inbox_oldest": "• The oldest: #{number} “{subject}”, {since}",
    "digest.data_request_line": "• 🔐 Request #{number} ({kind}): answer due on {deadline}, {left}",
    "digest.due_in": "in {days} {days:plural:day:days}",
    "digest.due_today": "today",
    "digest.overdue": "{days} {days:plural:day:days} overdue",
    "digest.memberships_due": "• 🪪 {count} {count:plural:membership ends:memberships end} within 30 days (/adherents)",
    "digest.donations_warned": "• 💶 {count} {count:plural:donation carries:donations carry} a legal warning to complete (/dons)",
    "digest.attendance": "<b>Attendance at past actions</b>",
    "digest.attendance_line": "• {title} ({city}, {day}): {present} present · {absent} absent · {unknown} without an answer",
    "digest.lead_summary": "<b>Emails waiting: {count}</b>, {late} of them late; the oldest {since}",
    "digest.lead_email_line": "• #{number} “{subject}” · {since}",
    "digest.lead_late_line": "• ⏰ #{number} “{subject}” · {since}",
    "digest.lead_more": "… and {count} more in /courriels.",
    "digest.nothing": "Nothing new for now: no daily summary today.",
    "digest.hour_usage": (
        "At what time would you like your daily summary? Send for example /digest_heure 7 or "
        "/digest_heure 19 (an hour from 0 to 23)."
    ),
    "digest.hour_set": "Noted: your daily summary will arrive around {time}.",
    "digest.hour_set_on_the_hour": (
        "Noted: your daily summary will arrive around {time} (it goes out on the hour, not at {asked}). "
        "To get it an hour later: /digest_heure {later}."
    ),
    "digest.paused": "Daily summary paused. /digest_pause to resume it.",
    "digest.resumed": "Daily summary resumed: it will arrive around {time}.",
    "btn.relaunch": "Recruit: {title}",
}
