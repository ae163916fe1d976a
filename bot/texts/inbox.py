"""Texts of the inbox capability (merged into bot.texts).

Keys read by buttons' pop-ups (claimed, moved, gone…) are plain sentences of 200 characters at
most: a pop-up shows no formatting.
"""

FR: dict[str, str] = {
    "cmd.courriels": "Les courriels en attente",
    "cmd.absent": "Signaler une absence jusqu'à une date",
    "cmd.modeles": "Réponses enregistrées",
    "cmd.routage": "Qui reçoit quels courriels",
    "inbox.domain.spam": "spam",
    # The card.
    "inbox.card_head": "📨 <b>Courriel n°\u00a0{number}</b> · {domain}",
    "inbox.card_unsure": (
        "❓ <b>Courriel à trier</b> · probablement {domain} ({confidence} %)\n"
        "<i>Touchez le bon domaine\u00a0: le courriel part à la bonne personne et le tri apprend.</i>"
    ),
    "inbox.card_thread": "↩️ <i>Suite d'une conversation que vous avez suivie.</i>",
    "inbox.card_escalated": "⚠️ <b>Personne ne l'a pris en charge depuis {hours} h ouvrées</b> (transmis à {name}).",
    "inbox.card_from": "<b>De\u00a0:</b> {sender}",
    "inbox.released_head": (
        "🔁 {name} n'est plus responsable {domain} : les courriels qui lui étaient confiés ({count}) "
        "passent à d'autres."
    ),
    "inbox.released_to": "• Courriel n°\u00a0{number} → {name}",
    "inbox.released_nobody": "• Courriel n°\u00a0{number} → personne de disponible : à répartir depuis /courriels",
    "inbox.card_reply_to": "<b>Réponses à :</b> {address}",
    "inbox.card_reply_elsewhere": (
        "⚠️ L'adresse de réponse n'est pas celle de l'expéditeur (autre domaine) : "
        "une réponse partirait ailleurs. Vérifiez avant de répondre, surtout si l'on vous demande des données."
    ),
    "inbox.card_subject": "<b>Objet\u00a0:</b> {subject}",
    "inbox.card_date": "<b>Reçu\u00a0:</b> {date}",
    "inbox.card_files": "<b>Pièces jointes\u00a0:</b> {files}",
    "inbox.card_excerpt": "<blockquote expandable>{excerpt}</blockquote>",
    "inbox.card_link": '<a href="{link}">Ouvrir la conversation dans Gmail</a>',
    "inbox.no_subject": "(sans objet)",
    "inbox.no_text": "(pas de texte)",
    "inbox.st_claimed_you": "✋ <b>Vous vous en occupez.</b>",
    "inbox.st_claimed": "✋ <b>{name} s'en occupe.</b>",
    "inbox.st_sending": "📤 Réponse de {name} en cours d'envoi.",
    "inbox.st_answered": "✅ <b>Traité par {name}.</b>",
    "inbox.st_spam": "🚫 <b>Classé comme spam.</b>",
    "inbox.st_moved": "↪️ Transmis à {name}.",
    "inbox.btn_claim": "✋ Je m'en occupe",
    "inbox.btn_move": "↪️ Réaffecter",
    "inbox.btn_reply": "✍️ Répondre",
    "inbox.btn_done": "✅ Répondu",
    "inbox.btn_spam": "🚫 Spam",
    "inbox.btn_view": "Voir le courriel",
    "inbox.btn_to_request": "📣 En faire une demande com",
    "inbox.btn_view_n": "Voir n°\u00a0{number}",
    "inbox.btn_not_spam": "Pas un spam\u00a0: n°\u00a0{number}",
    # Button pop-ups (plain text).
    "inbox.claimed": "C'est noté\u00a0: vous vous en occupez. Les autres destinataires le voient.",
    "inbox.claimed_already_you": "Vous vous en occupez déjà.",
    "inbox.done": "Noté comme traité. Merci\u202f!",
    "inbox.spammed": "Classé comme spam. Le tri s'en souviendra.",
    "inbox.moved": "Transmis à {name} ({domain}).",
    "inbox.kept": "Classé {domain}\u00a0: il reste chez vous.",
    "inbox.moved_nobody": "Classé {domain}, mais personne n'est disponible\u00a0: il reste en attente dans /courriels.",
    "inbox.nobody_else": "Personne d'autre n'est disponible pour ce domaine. Choisissez un autre domaine.",
    "inbox.gone": "Ce courriel n'existe plus.",
    "inbox.not_yours": "Ce courriel ne vous a pas été confié\u00a0: seuls ses destinataires, les responsables du domaine et la coordination peuvent agir.",
    "inbox.already_answered": "Déjà traité par {name}.",
    "inbox.already_spam": "Ce courriel a été classé comme spam.",
    "inbox.already_claimed": "{name} s'en occupe déjà.",
    "inbox.card_sent": "Le voici ci-dessous.",
    # Answering from Telegram.
    "inbox.reply_prompt_elsewhere": (
        "✍️ <b>Votre réponse</b> à {sender} ou à {reply_to} ?\n"
        "⚠️ L'adresse de réponse n'est pas du domaine de l'expéditeur : vous choisirez le destinataire "
        "à l'aperçu.\n«\u00a0{subject}\u00a0»\n\n"
        "Écrivez votre réponse ici, en un seul message ({max} {max:plural:caractère:caractères} au plus), ou choisissez une réponse "
        "enregistrée ci-dessous. /annuler pour abandonner."
    ),
    "inbox.reply_prompt": (
        "✍️ <b>Votre réponse à {sender}</b>\n«\u00a0{subject}\u00a0»\n\n"
        "Écrivez-la ici, en un seul message ({max} {max:plural:caractère:caractères} au plus), ou choisissez une réponse "
        "enregistrée ci-dessous. Vous verrez un aperçu avant l'envoi. /annuler pour abandonner."
    ),
    "inbox.reply_preview": (
        "👀 <b>Aperçu</b>\n<b>À\u00a0:</b> {to}\n<b>Objet\u00a0:</b> {subject}\n\n<blockquote>{body}</blockquote>\n"
        "Envoyer depuis la boîte du mouvement, dans la même conversation\u202f? Pour changer le texte, "
        "écrivez simplement la nouvelle version."
    ),
    "inbox.btn_send": "📤 Envoyer",
    "inbox.btn_send_from": "📤 Envoyer à l'expéditeur : {address}",
    "inbox.btn_send_reply_to": "⚠️ Envoyer à l'adresse de réponse : {address}",
    "inbox.reply_preview_choose": (
        "👀 <b>Aperçu</b>\n<b>Expéditeur :</b> {sender}\n<b>Adresse de réponse :</b> {reply_to}\n"
        "<b>Objet :</b> {subject}\n\n<blockquote>{body}</blockquote>\n"
        "⚠️ Ces deux adresses ne sont pas du même domaine : l'adresse de réponse peut être celle d'un "
        "tiers qui se fait passer pour l'expéditeur. Choisissez à qui envoyer."
    ),
    "inbox.reply_choose": "Choisissez d'abord le destinataire de la réponse, sur l'aperçu : l'adresse de réponse n'est pas celle de l'expéditeur.",
    "inbox.btn_edit": "✏️ Modifier",
    "inbox.btn_cancel_reply": "✖️ Annuler la réponse",
    "inbox.reply_edit_prompt": "Écrivez la nouvelle version de votre réponse, en un seul message.",
    "inbox.reply_empty": "Votre réponse est vide. Écrivez-la en un message, ou /annuler pour abandonner.",
    "inbox.reply_too_long": (
        "Votre réponse est trop longue ({length} {length:plural:caractère:caractères}, {max} au plus)\u00a0: raccourcissez-la, "
        'ou répondez directement depuis <a href="{link}">Gmail</a>.'
    ),
    "inbox.reply_text_only": "Une réponse se fait en texte. Écrivez-la en un message, ou /annuler pour abandonner.",
    "inbox.reply_cancelled": "Réponse abandonnée\u00a0: rien n'a été envoyé.",
    "inbox.reply_stale": "Cette réponse n'est plus en cours. Touchez «\u00a0Répondre\u00a0» sur le courriel pour recommencer.",
    "inbox.reply_sent": "✅ Réponse envoyée à {sender}, dans la même conversation Gmail. Le courriel est marqué comme traité.",
    "inbox.reply_failed": (
        "⚠️ Gmail n'a pas pu envoyer la réponse (erreur passagère)\u00a0: rien n'est parti. "
        "Réessayez dans un moment avec le bouton ci-dessous."
    ),
    "inbox.reply_maybe_sent": (
        "⚠️ Gmail a répondu par une erreur pendant l'envoi\u00a0: la réponse est peut-être partie quand même. "
        '<a href="{link}">Vérifiez la conversation dans Gmail</a> avant de renvoyer.'
    ),
    "inbox.reply_gone": (
        "⚠️ Ce courriel n'existe plus dans Gmail (supprimé\u202f?)\u00a0: rien n'est parti. "
        '<a href="{link}">Ouvrir la conversation</a>.'
    ),
    "inbox.reply_auth": "⚠️ L'accès à Gmail ne fonctionne plus\u00a0: rien n'est parti. La coordination est prévenue.",
    "inbox.reply_interrupted": (
        "⚠️ L'envoi de votre réponse à «\u00a0{subject}\u00a0» a été interrompu. "
        '<a href="{link}">Vérifiez dans Gmail</a> si elle est partie\u202f; sinon, répondez à nouveau.'
    ),
    "inbox.not_connected": "La boîte Gmail du mouvement n'est pas connectée\u00a0: impossible d'envoyer d'ici.",
    "inbox.not_connected_note": "ℹ️ La boîte Gmail n'est pas encore connectée\u00a0: lancez «\u00a0coordo google-login\u00a0» sur le serveur du bot.",
    # Follow-up.
    "inbox.reminder": (
        "⏰ <b>Rappel</b>\u00a0: le courriel n°\u00a0{number} — {sender}, «\u00a0{subject}\u00a0» — attend depuis {hours} h ouvrées. "
        "Qui s'en occupe\u202f?"
    ),
    "inbox.auth_alert": (
        "🔑 <b>Gmail ne répond plus au bot</b> ({reason})\u00a0: les courriels ne sont plus relevés.\n{how_to_fix}"
    ),
    "inbox.auth_how_to_fix": (
        "L'accès du bot au compte Google du mouvement ne fonctionne plus. Pour le rétablir\u00a0: sur le serveur "
        "du bot, lancez «\u00a0coordo google-login\u00a0», ouvrez le lien affiché, connectez-vous avec le compte Gmail "
        "du mouvement et acceptez toutes les autorisations. Si le problème revient chaque semaine, l'écran de "
        "consentement OAuth du projet Google Cloud est resté en mode «\u00a0Test\u00a0»\u00a0: passez-le «\u00a0En production\u00a0»."
    ),
    # Late emails: one summary a working day for the coordinators (issue 18).
    "inbox.reminder_many": (
        "⏰ <b>Rappel</b>\u00a0: {count} {count:plural:courriel vous attend:courriels vous attendent}, "
        "le plus ancien {since}. Qui s'en occupe\u202f?"
    ),
    "inbox.late_email_line": "• n°\u00a0{number} · {domain} · «\u00a0{subject}\u00a0» · {since}",
    "inbox.late_title": (
        "⏰ <b>Courriels en retard\u00a0: {count}</b>\n"
        "<i>Personne ne les a pris dans les délais. Voici qui les a.</i>\n"
    ),
    "inbox.late_line": "• {name}\u00a0: {count} en retard, le plus ancien {since}",
    "inbox.late_line_one": "• {name}\u00a0: 1 en retard, {since}",
    "inbox.late_nobody": "Sans personne",
    "inbox.late_hint": "<i>Ouvrir\u00a0: la liste, chaque courriel à un bouton. Réaffecter\u00a0: au suivant disponible du domaine.</i>",
    "inbox.btn_late_open": "📂 {name} ({count})",
    "inbox.btn_late_move": "↪️ Réaffecter ({name})",
    "inbox.late_list_title": "⏰ <b>{name}\u00a0: {count} en retard</b>",
    "inbox.late_none": "Plus rien en retard chez {name}.",
    "inbox.late_moved": "↪️ Courriels de {name} réaffectés\u00a0: {count} ({names}). Chacun a reçu sa carte.",
    "inbox.late_stuck": (
        "{count} {count:plural:reste:restent} chez la même personne\u00a0: personne d'autre n'est disponible "
        "dans le domaine. Ouvrez la liste pour les prendre."
    ),
    # /courriels
    "inbox.list_mine": "\n<b>Les vôtres ({count})</b>",
    "inbox.list_others": "\n<b>Chez les autres</b>",
    "inbox.list_line": "• n°\u00a0{number} · {domain} · {sender} — «\u00a0{subject}\u00a0» · {state}, {age}",
    "inbox.age_hours": "depuis {hours} h ouvrées",
    "inbox.age_new": "reçu {date}",
    "inbox.list_more": "… et {count} {count:plural:autre:autres}.",
    "inbox.list_people": "\n<b>Par personne</b>",
    "inbox.list_person": "• {name}\u00a0: {todo} à prendre, {doing} en cours",
    "inbox.list_nobody": "Sans destinataire",
    "inbox.list_domains": "\n<b>Par domaine</b>\u00a0: {parts}",
    "inbox.list_spam": "\n🚫 <b>Spams récents ({count})</b>",
    "inbox.spam_line": "• n°\u00a0{number} · {sender} — «\u00a0{subject}\u00a0»",
    "inbox.state_new": "sans destinataire",
    "inbox.state_assigned": "à prendre ({name})",
    "inbox.state_claimed": "pris par {name}",
    "inbox.state_sending": "envoi en cours ({name})",
    # /absent
    "inbox.absent_usage": (
        "Aucune absence n'est notée pour vous.\nPour l'être\u00a0: /absent jusqu'au 12/12 (ou /absent demain, "
        "/absent 24 décembre). Pour revenir\u00a0: /absent non."
    ),
    "inbox.absent_status": "Votre absence est notée jusqu'au {date} inclus. Pour revenir plus tôt\u00a0: /absent non.",
    "inbox.absent_set": (
        "Noté\u00a0: absence jusqu'au {date} inclus. Les nouveaux courriels iront à vos collègues. "
        "Pour revenir plus tôt\u00a0: /absent non."
    ),
    "inbox.absent_pending": "Vous avez {count} {count:plural:courriel que personne n'a encore pris. Le confier:courriels que personne n'a encore pris. Les confier} à d'autres\u202f?",
    "inbox.btn_redistribute": "Les confier à d'autres",
    "inbox.absent_redistributed": "{count} {count:plural:courriel confié:courriels confiés} à d'autres personnes.",
    "inbox.absent_cleared": "Bon retour\u202f! Vous recevez de nouveau les courriels.",
    "inbox.absent_bad_date": (
        "Je n'ai pas compris la date de retour. Exemples\u00a0: /absent jusqu'au 12/12, /absent 24 décembre, "
        "/absent demain (dans l'année qui vient)."
    ),
    # /modeles
    "inbox.tpl_header": "📝 <b>Réponses enregistrées</b>",
    "inbox.tpl_line": "• <b>{name}</b> — {preview}",
    "inbox.tpl_none": "Aucune pour l'instant.",
    "inbox.tpl_usage": (
        "\nAjouter ou remplacer\u00a0: /modeles ajouter nom texte de la réponse\n"
        "Voir\u00a0: /modeles nom — Supprimer\u00a0: /modeles supprimer nom\n"
        "Pour vous en servir\u00a0: «\u00a0Répondre\u00a0» sur un courriel, puis le nom du modèle."
    ),
    "inbox.tpl_created": "Réponse «\u00a0{name}\u00a0» enregistrée.",
    "inbox.tpl_updated": "Réponse «\u00a0{name}\u00a0» remplacée.",
    "inbox.tpl_deleted": "Réponse «\u00a0{name}\u00a0» supprimée.",
    "inbox.tpl_not_found": "Je ne connais pas de réponse «\u00a0{name}\u00a0».",
    "inbox.tpl_show": "📝 <b>{name}</b>\n\n{body}",
    "inbox.tpl_bad_name": "Donnez un nom en un seul mot (lettres, chiffres, tirets\u202f; 40 caractères au plus), suivi du texte.",
    "inbox.tpl_empty": "Le texte de la réponse est vide.",
    "inbox.tpl_too_long": "Ce texte est trop long ({length} {length:plural:caractère:caractères}, {max} au plus).",
    # /routage
    "inbox.route_header": "🧭 <b>Qui reçoit quels courriels</b>",
    "inbox.route_line": "• <b>{domain}</b>\u00a0: {who}",
    "inbox.route_default_leads": "{names} — responsables, aucune règle",
    "inbox.route_default_coord": "{names} — coordination, ni règle ni responsable",
    "inbox.route_absent": "absence jusqu'au {until}",
    "inbox.route_unreachable": "injoignable",
    "inbox.route_unsure": (
        "• <b>Courriels au tri incertain</b>\u00a0: le secrétariat, avec des boutons pour les classer. "
        "À tour de rôle quand plusieurs personnes reçoivent un domaine\u202f; les personnes absentes sont sautées."
    ),
    "inbox.route_usage": (
        "\nModifier\u00a0: /routage finance @pseudo — /routage campagne Lyon @pseudo — "
        "/routage retirer finance @pseudo"
    ),
    "inbox.route_usage_short": "Précisez le domaine et la personne.",
    "inbox.route_bad_domain": "Domaine inconnu\u00a0: communication, secrétariat, finances, site ou campagne.",
    "inbox.route_bad_city": "Pour la campagne, précisez la ville parmi\u00a0: {cities}.",
    "inbox.route_need_person": "Précisez la ou les personnes (@pseudo).",
    "inbox.route_added": "✅ {name} reçoit désormais les courriels {domain}.",
    "inbox.route_exists": "{name} reçoit déjà les courriels {domain}.",
    "inbox.route_removed": "✅ {name} ne reçoit plus les courriels {domain}.",
    "inbox.route_not_found": "{name} n'avait pas de règle pour {domain}.",
    "inbox.route_not_lead": (
        "ℹ️ {name} n'a pas le rôle responsable\u00a0: les courriels lui arriveront, mais sans /courriels ni /modeles "
        "(/role pour le lui donner)."
    ),
}

EN: dict[str, str] = {
    "cmd.courriels": "Pending emails",
    "cmd.absent": "Mark me absent until a date",
    "cmd.modeles": "Saved answers",
    "cmd.routage": "Who gets which emails",
    "inbox.domain.spam": "spam",
    "inbox.card_head": "📨 <b>Email #{number}</b> · {domain}",
    "inbox.card_unsure": (
        "❓ <b>Email to sort</b> · probably {domain} ({confidence} %)\n"
        "<i>Tap the right domain: the email goes to the right person and the sorting learns.</i>"
    ),
    "inbox.card_thread": "↩️ <i>Follow-up of a conversation you handled.</i>",
    "inbox.card_escalated": "⚠️ <b>Nobody has taken it for {hours} working hours</b> (sent to {name}).",
    "inbox.card_from": "<b>From:</b> {sender}",
    "inbox.released_head": (
        "🔁 {name} is no longer {domain} lead: the emails they held ({count}) go to others."
    ),
    "inbox.released_to": "• Email #{number} → {name}",
    "inbox.released_nobody": "• Email #{number} → nobody available: to hand out from /courriels",
    "inbox.card_reply_to": "<b>Replies to:</b> {address}",
    "inbox.card_reply_elsewhere": (
        "⚠️ The reply address is not the sender's (another domain): an answer would go elsewhere. "
        "Check before answering, especially if data is asked for."
    ),
    "inbox.card_subject": "<b>Subject:</b> {subject}",
    "inbox.card_date": "<b>Received:</b> {date}",
    "inbox.card_files": "<b>Attachments:</b> {files}",
    "inbox.card_excerpt": "<blockquote expandable>{excerpt}</blockquote>",
    "inbox.card_link": '<a href="{link}">Open the conversation in Gmail</a>',
    "inbox.no_subject": "(no subject)",
    "inbox.no_text": "(no text)",
    "inbox.st_claimed_you": "✋ <b>You are handling it.</b>",
    "inbox.st_claimed": "✋ <b>{name} is handling it.</b>",
    "inbox.st_sending": "📤 {name}'s answer is being sent.",
    "inbox.st_answered": "✅ <b>Handled by {name}.</b>",
    "inbox.st_spam": "🚫 <b>Marked as spam.</b>",
    "inbox.st_moved": "↪️ Passed on to {name}.",
    "inbox.btn_claim": "✋ I'll handle it",
    "inbox.btn_move": "↪️ Reassign",
    "inbox.btn_reply": "✍️ Reply",
    "inbox.btn_done": "✅ Answered",
    "inbox.btn_spam": "🚫 Spam",
    "inbox.btn_view": "See the email",
    "inbox.btn_to_request": "📣 Make it a communication request",
    "inbox.btn_view_n": "See #{number}",
    "inbox.btn_not_spam": "Not spam: #{number}",
    "inbox.claimed": "Noted: you are handling it. The other recipients can see it.",
    "inbox.claimed_already_you": "You are already handling it.",
    "inbox.done": "Marked as handled. Thank you!",
    "inbox.spammed": "Marked as spam. The sorting will remember.",
    "inbox.moved": "Passed on to {name} ({domain}).",
    "inbox.kept": "Sorted as {domain}: it stays with you.",
    "inbox.moved_nobody": "Sorted as {domain}, but nobody is available: it waits in /courriels.",
    "inbox.nobody_else": "Nobody else is available for this domain. Choose another domain.",
    "inbox.gone": "This email no longer exists.",
    "inbox.not_yours": "This email was not given to you: only its recipients, the domain's leads and the coordinators can act on it.",
    "inbox.already_answered": "Already handled by {name}.",
    "inbox.already_spam": "This email was marked as spam.",
    "inbox.already_claimed": "{name} is already handling it.",
    "inbox.card_sent": "Here it is below.",
    "inbox.reply_prompt_elsewhere": (
        "✍️ <b>Your answer</b> to {sender} or to {reply_to}?\n"
        "⚠️ The reply address is not of the sender's domain: you will choose the recipient at the "
        "preview.\n“{subject}”\n\n"
        "Write your answer here, in one message ({max} {max:plural:character:characters} at most), or choose a saved answer "
        "below. /cancel to give up."
    ),
    "inbox.reply_prompt": (
        "✍️ <b>Your answer to {sender}</b>\n“{subject}”\n\n"
        "Write it here, in one message ({max} {max:plural:character:characters} at most), or choose a saved answer below. "
        "You will see a preview before it is sent. /cancel to give up."
    ),
    "inbox.reply_preview": (
        "👀 <b>Preview</b>\n<b>To:</b> {to}\n<b>Subject:</b> {subject}\n\n<blockquote>{body}</blockquote>\n"
        "Send it from the movement's mailbox, in the same conversation? To change the text, just write "
        "the new version."
    ),
    "inbox.btn_send": "📤 Send",
    "inbox.btn_send_from": "📤 Send to the sender: {address}",
    "inbox.btn_send_reply_to": "⚠️ Send to the reply address: {address}",
    "inbox.reply_preview_choose": (
        "👀 <b>Preview</b>\n<b>Sender:</b> {sender}\n<b>Reply address:</b> {reply_to}\n"
        "<b>Subject:</b> {subject}\n\n<blockquote>{body}</blockquote>\n"
        "⚠️ These two addresses are not of the same domain: the reply address may belong to someone "
        "posing as the sender. Choose who to send to."
    ),
    "inbox.reply_choose": "First choose who the answer goes to, on the preview: the reply address is not the sender's.",
    "inbox.btn_edit": "✏️ Edit",
    "inbox.btn_cancel_reply": "✖️ Cancel the answer",
    "inbox.reply_edit_prompt": "Write the new version of your answer, in one message.",
    "inbox.reply_empty": "Your answer is empty. Write it in one message, or /cancel to give up.",
    "inbox.reply_too_long": (
        "Your answer is too long ({length} {length:plural:character:characters}, {max} at most): shorten it, "
        'or answer directly from <a href="{link}">Gmail</a>.'
    ),
    "inbox.reply_text_only": "An answer is text. Write it in one message, or /cancel to give up.",
    "inbox.reply_cancelled": "Answer cancelled: nothing was sent.",
    "inbox.reply_stale": "This answer is no longer in progress. Tap “Reply” on the email to start again.",
    "inbox.reply_sent": "✅ Answer sent to {sender}, in the same Gmail conversation. The email is marked as handled.",
    "inbox.reply_failed": (
        "⚠️ Gmail could not send the answer (temporary error): nothing was sent. "
        "Try again in a moment with the button below."
    ),
    "inbox.reply_maybe_sent": (
        "⚠️ Gmail answered with an error while sending: the answer may have left anyway. "
        '<a href="{link}">Check the conversation in Gmail</a> before sending it again.'
    ),
    "inbox.reply_gone": (
        "⚠️ This email no longer exists in Gmail (deleted?): nothing was sent. "
        '<a href="{link}">Open the conversation</a>.'
    ),
    "inbox.reply_auth": "⚠️ Access to Gmail no longer works: nothing was sent. The coordinators are told.",
    "inbox.reply_interrupted": (
        "⚠️ Sending your answer to “{subject}” was interrupted. "
        '<a href="{link}">Check in Gmail</a> whether it left; if not, answer again.'
    ),
    "inbox.not_connected": "The movement's Gmail is not connected: answers cannot be sent from here.",
    "inbox.not_connected_note": "ℹ️ Gmail is not connected yet: run “coordo google-login” on the bot's server.",
    "inbox.reminder": (
        "⏰ <b>Reminder</b>: email #{number} — {sender}, “{subject}” — has been waiting for {hours} working hours. "
        "Who takes it?"
    ),
    "inbox.auth_alert": "🔑 <b>Gmail no longer answers the bot</b> ({reason}): emails are not collected any more.\n{how_to_fix}",
    "inbox.auth_how_to_fix": (
        "The bot's access to the movement's Google account stopped working. To restore it: on the bot's "
        "server, run “coordo google-login”, open the link it prints, sign in with the movement's Gmail "
        "account and accept every permission. If this happens every week, the Google Cloud project's OAuth "
        "consent screen is still in “Testing” mode: switch it to “In production”."
    ),
    "inbox.reminder_many": (
        "⏰ <b>Reminder</b>: {count} {count:plural:email is:emails are} waiting for you, the oldest {since}. "
        "Who takes them?"
    ),
    "inbox.late_email_line": "• #{number} · {domain} · “{subject}” · {since}",
    "inbox.late_title": (
        "⏰ <b>Late emails: {count}</b>\n<i>Nobody took them in time. Here is who holds them.</i>\n"
    ),
    "inbox.late_line": "• {name}: {count} late, the oldest {since}",
    "inbox.late_line_one": "• {name}: 1 late, {since}",
    "inbox.late_nobody": "Nobody",
    "inbox.late_hint": "<i>Open: the list, a button per email. Reassign: to the next available person of the domain.</i>",
    "inbox.btn_late_open": "📂 {name} ({count})",
    "inbox.btn_late_move": "↪️ Reassign ({name})",
    "inbox.late_list_title": "⏰ <b>{name}: {count} late</b>",
    "inbox.late_none": "Nothing late any more with {name}.",
    "inbox.late_moved": "↪️ {name}'s emails reassigned: {count} ({names}). Each got its card.",
    "inbox.late_stuck": (
        "{count} {count:plural:email keeps:emails keep} the same holder: nobody else is available in the domain. "
        "Open the list to take them."
    ),
    "inbox.list_mine": "\n<b>Yours ({count})</b>",
    "inbox.list_others": "\n<b>With the others</b>",
    "inbox.list_line": "• #{number} · {domain} · {sender} — “{subject}” · {state}, {age}",
    "inbox.age_hours": "for {hours} working hours",
    "inbox.age_new": "received {date}",
    "inbox.list_more": "… and {count} more.",
    "inbox.list_people": "\n<b>By person</b>",
    "inbox.list_person": "• {name}: {todo} to take, {doing} in progress",
    "inbox.list_nobody": "Nobody",
    "inbox.list_domains": "\n<b>By domain</b>: {parts}",
    "inbox.list_spam": "\n🚫 <b>Recent spam ({count})</b>",
    "inbox.spam_line": "• #{number} · {sender} — “{subject}”",
    "inbox.state_new": "no recipient",
    "inbox.state_assigned": "to take ({name})",
    "inbox.state_claimed": "taken by {name}",
    "inbox.state_sending": "being sent ({name})",
    "inbox.absent_usage": (
        "You are not marked absent.\nTo be: /absent until 12/12 (or /absent tomorrow, /absent 24 December). "
        "To come back: /absent no."
    ),
    "inbox.absent_status": "You are marked absent until {date} included. To come back earlier: /absent no.",
    "inbox.absent_set": (
        "Noted: absent until {date} included. New emails will go to your colleagues. "
        "To come back earlier: /absent no."
    ),
    "inbox.absent_pending": "You have {count} {count:plural:email nobody has taken yet. Give it:emails nobody has taken yet. Give them} to others?",
    "inbox.btn_redistribute": "Give them to others",
    "inbox.absent_redistributed": "{count} {count:plural:email:emails} given to other people.",
    "inbox.absent_cleared": "Welcome back! You receive emails again.",
    "inbox.absent_bad_date": (
        "I did not understand the return date. Examples: /absent until 12/12, /absent 24 December, "
        "/absent tomorrow (within the coming year)."
    ),
    "inbox.tpl_header": "📝 <b>Saved answers</b>",
    "inbox.tpl_line": "• <b>{name}</b> — {preview}",
    "inbox.tpl_none": "None yet.",
    "inbox.tpl_usage": (
        "\nAdd or replace: /modeles add name text of the answer\n"
        "See: /modeles name — Delete: /modeles delete name\n"
        "To use one: “Reply” on an email, then the answer's name."
    ),
    "inbox.tpl_created": "Answer “{name}” saved.",
    "inbox.tpl_updated": "Answer “{name}” replaced.",
    "inbox.tpl_deleted": "Answer “{name}” deleted.",
    "inbox.tpl_not_found": "I know no answer called “{name}”.",
    "inbox.tpl_show": "📝 <b>{name}</b>\n\n{body}",
    "inbox.tpl_bad_name": "Give a one-word name (letters, digits, hyphens; 40 characters at most), followed by the text.",
    "inbox.tpl_empty": "The answer's text is empty.",
    "inbox.tpl_too_long": "This text is too long ({length} {length:plural:character:characters}, {max} at most).",
    "inbox.route_header": "🧭 <b>Who gets which emails</b>",
    "inbox.route_line": "• <b>{domain}</b>: {who}",
    "inbox.route_default_leads": "{names} — leads, no rule set",
    "inbox.route_default_coord": "{names} — coordinators, no rule and no lead",
    "inbox.route_absent": "absent until {until}",
    "inbox.route_unreachable": "unreachable",
    "inbox.route_unsure": (
        "• <b>Emails the sorting is unsure about</b>: the secretariat, with buttons to sort them. "
        "In turn when several people get a domain; absent people are skipped."
    ),
    "inbox.route_usage": (
        "\nTo change: /routage finance @username — /routage campagne Lyon @username — "
        "/routage retirer finance @username"
    ),
    "inbox.route_usage_short": "Give the domain and the person.",
    "inbox.route_bad_domain": "Unknown domain: communication, secrétariat, finances, site or campagne.",
    "inbox.route_bad_city": "For the campaign, give the city among: {cities}.",
    "inbox.route_need_person": "Give the person or people (@username).",
    "inbox.route_added": "✅ {name} now gets the {domain} emails.",
    "inbox.route_exists": "{name} already gets the {domain} emails.",
    "inbox.route_removed": "✅ {name} no longer gets the {domain} emails.",
    "inbox.route_not_found": "{name} had no rule for {domain}.",
    "inbox.route_not_lead": (
        "ℹ️ {name} does not have the lead role: emails will reach them, but without /courriels or /modeles "
        "(/role to give it)."
    ),
}
