"""Texts of the communication capability, communication requests: /com, /demandes_com, request
cards, reminders and escalation (merged into bot.texts). French per docs/french-style.md.

Keys read by buttons' pop-ups (claimed, done, not yours…) are plain sentences of 200 characters at
most: a pop-up shows no formatting.
"""

FR: dict[str, str] = {
    "cmd.com": "Demander une publication, un visuel, une vidéo, une mise à jour du site ou un communiqué",
    "cmd.demandes_com": "Les demandes à l'équipe communication, par échéance",
    # What is asked, where.
    "comreq.kind.post": "Publication",
    "comreq.kind.visual": "Visuel",
    "comreq.kind.video": "Vidéo",
    "comreq.kind.website": "Mise à jour du site",
    "comreq.kind.press_release": "Communiqué de presse",
    "comreq.channel.telegram": "Telegram",
    "comreq.channel.facebook": "Facebook",
    "comreq.channel.mastodon": "Mastodon",
    "comreq.channel.bluesky": "Bluesky",
    "comreq.channel.x": "X",
    "comreq.channel.wordpress": "Site (WordPress)",
    # The /com form.
    "comreq.ask_kind": "📣 <b>Demande à l'équipe communication</b>\nQue faut-il préparer ?",
    "comreq.ask_kind_proposal": (
        "📣 <b>Proposition à l'équipe communication</b>\n"
        "Votre idée sera transmise comme une proposition : l'équipe décide de la suite.\n"
        "Que proposez-vous ?"
    ),
    "comreq.ask_channels": "Sur quels réseaux ? Touchez pour cocher, puis « Valider ».",
    "comreq.need_channel": "Cochez au moins un réseau.",
    "comreq.ask_deadline": (
        "Pour quand ? Écrivez une date, par exemple « vendredi 18h00 », « le 12 mars » ou « dans 3 jours »."
    ),
    "comreq.bad_deadline": (
        "Je n'ai pas compris cette date, ou elle est déjà passée. "
        "Essayez par exemple « vendredi 18h00 », « le 12 mars » ou « dans 3 jours »."
    ),
    "comreq.ask_brief": "Décrivez la demande : le message, le public, les informations utiles.",
    "comreq.brief_too_long": "C'est un peu long ({length} {length:plural:caractère:caractères}) : {max} au plus, s'il vous plaît.",
    "comreq.ask_files": (
        "Vous pouvez envoyer des photos ou des documents (PDF…), puis touchez « Terminé ». "
        "Sans fichier, touchez « Terminé » directement."
    ),
    "comreq.file_added": "Fichier reçu ({count} en tout). Envoyez-en d'autres ou touchez « Terminé ».",
    "comreq.too_many_files": "{max} {max:plural:fichier:fichiers} au plus : touchez « Terminé ».",
    "comreq.files_hint": "Envoyez une photo ou un document, ou touchez « Terminé ».",
    "comreq.summary": (
        "<b>Votre {what}</b>\n"
        "<b>Type :</b> {kind}\n"
        "{channels}"
        "<b>Échéance :</b> {deadline}\n"
        "<b>Fichiers :</b> {files}\n"
        "<blockquote expandable>{brief}</blockquote>\n"
        "Envoyer à l'équipe communication ?"
    ),
    "comreq.summary_request": "demande",
    "comreq.summary_proposal": "proposition",
    "comreq.summary_channels": "<b>Réseaux :</b> {channels}\n",
    "comreq.sent": "✅ Demande n°\u00a0{number} envoyée à {names}. Nous vous préviendrons quand elle sera faite.",
    "comreq.sent_proposal": (
        "✅ Proposition n°\u00a0{number} envoyée à {names}. Merci ! Nous vous tiendrons au courant de la suite."
    ),
    # The card.
    "comreq.card_head": "📣 <b>Demande com n°\u00a0{number}</b> · {kind}",
    "comreq.card_proposal": "💡 <b>Proposition bénévole n°\u00a0{number}</b> · {kind}",
    "comreq.card_escalated": "⚠️ <b>Personne ne l'a prise en charge depuis {hours} h.</b>",
    "comreq.card_from": "<b>De :</b> {name}",
    "comreq.card_email": "<b>Venue du courriel n°\u00a0{number}</b>",
    "comreq.card_channels": "<b>Réseaux :</b> {channels}",
    "comreq.card_deadline": "<b>Échéance :</b> {deadline}",
    "comreq.card_brief": "<blockquote expandable>{brief}</blockquote>",
    "comreq.card_files": "<b>Fichiers joints :</b> {count} (envoyés à la suite)",
    "comreq.file_caption": "Fichier de la demande n°\u00a0{number}",
    "comreq.no_deadline": "sans échéance",
    "comreq.no_brief": "(pas de description)",
    "comreq.no_reason": "sans motif",
    "comreq.st_claimed_you": "✋ <b>Vous vous en occupez.</b>",
    "comreq.st_claimed": "✋ {name} s'en occupe.",
    "comreq.st_done": "✅ Faite (par {name}).",
    "comreq.st_refused": "🚫 Refusée : {reason}",
    "btn.comreq_claim": "✋ Je m'en occupe",
    "btn.comreq_assign": "👥 Attribuer",
    "btn.comreq_done": "✅ Fait",
    "btn.comreq_refuse": "🚫 Refuser",
    "btn.comreq_write": "✍️ Rédiger le post",
    "btn.comreq_open_post": "Ouvrir le brouillon",
    "btn.comreq_ok": "Valider",
    "btn.comreq_files_done": "Terminé",
    "btn.comreq_no_reason": "Sans motif",
    # Pop-ups (plain text).
    "comreq.not_yours": "Cette demande n'est pas (ou plus) pour vous : seule l'équipe communication peut s'en occuper. Pour une nouvelle demande, utilisez /com.",
    "comreq.already_done": "Cette demande est déjà faite\u00a0: rien d'autre à faire.",
    "comreq.already_refused": "Cette demande a déjà été refusée\u00a0: la personne qui l'a faite peut en envoyer une nouvelle avec /com.",
    "comreq.already_claimed": "{name} s'en occupe déjà\u00a0: voyez avec cette personne si vous voulez aider.",
    "comreq.claimed": "C'est noté : vous vous en occupez.",
    "comreq.claimed_already_you": "Vous vous en occupez déjà.",
    "comreq.not_in_team": "Cette personne ne fait plus partie de l'équipe : choisissez quelqu'un d'autre.",
    "comreq.assigned": "Confiée à {name}.",
    "comreq.done": "Marquée comme faite : la personne qui l'a demandée est prévenue.",
    "comreq.email_already": "Ce courriel est déjà la demande n°\u00a0{number}.",
    "comreq.email_made": "Demande n°\u00a0{number} créée et envoyée à l'équipe.",
    # Answers in the chat.
    "comreq.assign_prompt": "À qui confier la demande n°\u00a0{number} ?",
    "comreq.refuse_prompt": "Pourquoi refuser la demande n°\u00a0{number} ? Écrivez le motif en une phrase, ou touchez « Sans motif ».",
    "comreq.reason_hint": "Écrivez le motif en une phrase, ou touchez « Sans motif ».",
    "comreq.reason_too_long": "Un motif de 500 caractères au plus, s'il vous plaît.",
    "comreq.refused": "Demande n°\u00a0{number} refusée : la personne qui l'a demandée est prévenue.",
    "comreq.post_created": "Brouillon créé pour la demande n°\u00a0{number} : ouvrez-le pour l'écrire.",
    "comreq.post_exists": "La demande n°\u00a0{number} a déjà un brouillon : le voici.",
    # Told to the requester.
    "comreq.told_done": "✅ Votre demande n°\u00a0{number} ({kind}) est faite, par {name}. Merci !\n<i>{brief}</i>",
    "comreq.told_refused": (
        "Votre demande n°\u00a0{number} ({kind}) n'a pas été retenue par {name}.\n<b>Motif :</b> {reason}\n<i>{brief}</i>"
    ),
    # The job.
    "comreq.reminder": (
        "⏰ <b>Demande com n°\u00a0{number}</b> · {kind} : échéance {deadline}.\n<i>{brief}</i>"
    ),
    # The coordinators' daily summary of the requests nobody took (issue 18).
    "comreq.late_title": (
        "📣 <b>{count} {count:plural:demande com sans preneur:demandes com sans preneur}</b>\n"
        "<i>Personne ne {count:plural:l'a prise:les a prises} en charge. "
        "{count:plural:Elle attend:La plus ancienne attend} {since}.</i>\n"
    ),
    "comreq.late_line": "• <b>n°\u00a0{number}</b> · {kind} · {since}",
    "comreq.late_line_deadline": "• <b>n°\u00a0{number}</b> · {kind} · échéance {deadline} · {since}",
    "comreq.late_more": "… et {count} {count:plural:autre:autres}.",
    "comreq.late_hint": "<i>Ouvrir\u00a0: la carte de la demande, pour la prendre ou la confier.</i>",
    "btn.comreq_late_open": "📂 Ouvrir n°\u00a0{number}",
    "comreq.late_card_sent": "La voici ci-dessous.",
    # /demandes_com
    "comreq.list_header": "📣 <b>Demandes en cours : {count}</b> (par échéance)",
    "comreq.list_line": "• <b>n°\u00a0{number}</b> · {kind} · {when} · {status}\n  <i>{brief}</i>",
    "comreq.list_overdue": "⚠️ en retard ({deadline})",
    "comreq.list_open": "à prendre",
    "comreq.list_claimed": "{name} s'en occupe",
    "comreq.list_more": "… et {count} de plus.",
    "comreq.list_empty": "Aucune demande en cours.",
}

EN: dict[str, str] = {
    "cmd.com": "Ask for a post, a visual, a video, a website update or a press release",
    "cmd.demandes_com": "Requests to the communication team, by deadline",
    "comreq.kind.post": "Post",
    "comreq.kind.visual": "Visual",
    "comreq.kind.video": "Video",
    "comreq.kind.website": "Website update",
    "comreq.kind.press_release": "Press release",
    "comreq.channel.telegram": "Telegram",
    "comreq.channel.facebook": "Facebook",
    "comreq.channel.mastodon": "Mastodon",
    "comreq.channel.bluesky": "Bluesky",
    "comreq.channel.x": "X",
    "comreq.channel.wordpress": "Website (WordPress)",
    "comreq.ask_kind": "📣 <b>Request to the communication team</b>\nWhat should be prepared?",
    "comreq.ask_kind_proposal": (
        "📣 <b>Proposal to the communication team</b>\n"
        "Your idea will be sent as a proposal: the team decides what comes next.\n"
        "What do you propose?"
    ),
    "comreq.ask_channels": "On which networks? Tap to tick, then “Confirm”.",
    "comreq.need_channel": "Tick at least one network.",
    "comreq.ask_deadline": "By when? Write a date, for example “friday 6pm”, “12 March” or “in 3 days”.",
    "comreq.bad_deadline": (
        "I could not read this date, or it is already past. "
        "Try for example “friday 6pm”, “12 March” or “in 3 days”."
    ),
    "comreq.ask_brief": "Describe the request: the message, the audience, useful details.",
    "comreq.brief_too_long": "That is a bit long ({length} {length:plural:character:characters}): {max} at most, please.",
    "comreq.ask_files": (
        "You may send photos or documents (PDF…), then tap “Done”. Without files, tap “Done” now."
    ),
    "comreq.file_added": "File received ({count} in all). Send more or tap “Done”.",
    "comreq.too_many_files": "{max} {max:plural:file:files} at most: tap “Done”.",
    "comreq.files_hint": "Send a photo or a document, or tap “Done”.",
    "comreq.summary": (
        "<b>Your {what}</b>\n"
        "<b>Kind:</b> {kind}\n"
        "{channels}"
        "<b>Deadline:</b> {deadline}\n"
        "<b>Files:</b> {files}\n"
        "<blockquote expandable>{brief}</blockquote>\n"
        "Send it to the communication team?"
    ),
    "comreq.summary_request": "request",
    "comreq.summary_proposal": "proposal",
    "comreq.summary_channels": "<b>Networks:</b> {channels}\n",
    "comreq.sent": "✅ Request #{number} sent to {names}. You will be told when it is done.",
    "comreq.sent_proposal": "✅ Proposal #{number} sent to {names}. Thank you! You will be told what happens.",
    "comreq.card_head": "📣 <b>Communication request #{number}</b> · {kind}",
    "comreq.card_proposal": "💡 <b>Volunteer's proposal #{number}</b> · {kind}",
    "comreq.card_escalated": "⚠️ <b>Nobody has taken it for {hours} h.</b>",
    "comreq.card_from": "<b>From:</b> {name}",
    "comreq.card_email": "<b>From email #{number}</b>",
    "comreq.card_channels": "<b>Networks:</b> {channels}",
    "comreq.card_deadline": "<b>Deadline:</b> {deadline}",
    "comreq.card_brief": "<blockquote expandable>{brief}</blockquote>",
    "comreq.card_files": "<b>Files:</b> {count} (sent below)",
    "comreq.file_caption": "File of request #{number}",
    "comreq.no_deadline": "no deadline",
    "comreq.no_brief": "(no description)",
    "comreq.no_reason": "no reason given",
    "comreq.st_claimed_you": "✋ <b>You are handling it.</b>",
    "comreq.st_claimed": "✋ {name} is handling it.",
    "comreq.st_done": "✅ Done (by {name}).",
    "comreq.st_refused": "🚫 Refused: {reason}",
    "btn.comreq_claim": "✋ I'll handle it",
    "btn.comreq_assign": "👥 Assign",
    "btn.comreq_done": "✅ Done",
    "btn.comreq_refuse": "🚫 Refuse",
    "btn.comreq_write": "✍️ Write the post",
    "btn.comreq_open_post": "Open the draft",
    "btn.comreq_ok": "Confirm",
    "btn.comreq_files_done": "Done",
    "btn.comreq_no_reason": "No reason",
    "comreq.not_yours": "This request is not (or no longer) for you: only the communication team may handle it. For a new request, use /com.",
    "comreq.already_done": "This request is already done.",
    "comreq.already_refused": "This request was already refused: its requester may send a new one with /com.",
    "comreq.already_claimed": "{name} is already handling it: ask them if you want to help.",
    "comreq.claimed": "Noted: you are handling it.",
    "comreq.claimed_already_you": "You are already handling it.",
    "comreq.not_in_team": "This person is no longer on the team: choose someone else.",
    "comreq.assigned": "Given to {name}.",
    "comreq.done": "Marked as done: whoever asked is told.",
    "comreq.email_already": "This email already is request #{number}.",
    "comreq.email_made": "Request #{number} created and sent to the team.",
    "comreq.assign_prompt": "Who should handle request #{number}?",
    "comreq.refuse_prompt": "Why refuse request #{number}? Write the reason in one sentence, or tap “No reason”.",
    "comreq.reason_hint": "Write the reason in one sentence, or tap “No reason”.",
    "comreq.reason_too_long": "A reason of 500 characters at most, please.",
    "comreq.refused": "Request #{number} refused: whoever asked is told.",
    "comreq.post_created": "Draft created for request #{number}: open it to write it.",
    "comreq.post_exists": "Request #{number} already has a draft: here it is.",
    "comreq.told_done": "✅ Your request #{number} ({kind}) is done, by {name}. Thank you!\n<i>{brief}</i>",
    "comreq.told_refused": (
        "Your request #{number} ({kind}) was not taken up by {name}.\n<b>Reason:</b> {reason}\n<i>{brief}</i>"
    ),
    "comreq.reminder": "⏰ <b>Communication request #{number}</b> · {kind}: due {deadline}.\n<i>{brief}</i>",
    "comreq.late_title": (
        "📣 <b>{count} unclaimed communication {count:plural:request:requests}</b>\n"
        "<i>Nobody has taken {count:plural:it:them}. "
        "{count:plural:It has waited:The oldest has waited} {since}.</i>\n"
    ),
    "comreq.late_line": "• <b>#{number}</b> · {kind} · {since}",
    "comreq.late_line_deadline": "• <b>#{number}</b> · {kind} · due {deadline} · {since}",
    "comreq.late_more": "… and {count} more.",
    "comreq.late_hint": "<i>Open: the request's card, to take it or give it to someone.</i>",
    "btn.comreq_late_open": "📂 Open #{number}",
    "comreq.late_card_sent": "Here it is below.",
    "comreq.list_header": "📣 <b>Open requests: {count}</b> (by deadline)",
    "comreq.list_line": "• <b>#{number}</b> · {kind} · {when} · {status}\n  <i>{brief}</i>",
    "comreq.list_overdue": "⚠️ overdue ({deadline})",
    "comreq.list_open": "to take",
    "comreq.list_claimed": "{name} is handling it",
    "comreq.list_more": "… and {count} more.",
    "comreq.list_empty": "No open request.",
}
