"""Texts of personal-data rights and retention (merged into bot.texts)."""

FR: dict[str, str] = {
    "cmd.mes_donnees": "Recevoir toutes mes données",
    "cmd.supprimer_mes_donnees": "Effacer mes données",
    "cmd.stop": "Ne plus rien recevoir du bot",
    "cmd.donnees_personne": "Droits d'une personne qui a écrit (accès, effacement)",
    "cmd.purge": "Purger les pièces financières de plus de 10 ans",
    # The readable summary of /mes_donnees.
    "pv.sum.title": "<b>Vos données chez «\u00a0À nous la démocratie\u202f!\u00a0»</b> (au {day})",
    "pv.sum.profile": "Profil\u00a0: {name}, ville\u00a0: {city}, inscription le {since}, accord donné le {consent} (version {version})",
    "pv.sum.prefs": "Demandes d'aide\u00a0: {asks} · point du jour\u00a0: {digest} · annonces\u00a0: {announcements}",
    "pv.sum.roles": "Rôles\u00a0: {roles}",
    "pv.yes": "oui",
    "pv.no": "non",
    "pv.sum.section": "<b>{label}</b>\u00a0: {count}",
    "pv.sum.item": "  • {text}",
    "pv.sum.more": "  … et {count} de plus (dans le fichier)",
    "pv.sec.participations": "Participations aux actions",
    "pv.sec.asks": "Demandes d'aide reçues",
    "pv.sec.pending": "Réponses en attente de votre inscription",
    "pv.sec.emails": "Courriels qui vous ont été confiés",
    "pv.sec.sent": "Courriels reçus de votre adresse",
    "pv.sec.rules": "Règles de routage des courriels",
    "pv.sec.events": "Actions que vous avez créées",
    "pv.sec.broadcasts": "Annonces que vous avez écrites",
    "pv.sec.com_requests": "Demandes de communication que vous avez faites",
    "pv.sec.com_posts": "Publications que vous avez rédigées",
    "pv.sec.expenses": "Vos notes de frais",
    "pv.sec.audit": "Entrées du journal vous concernant",
    "pv.sec.requests": "Demandes sur vos données",
    "pv.sec.messages": "Messages que le bot vous a envoyés",
    "pv.sum.money": "<b>Dons et adhésions</b>\u00a0: {donors} {donors:plural:fiche de donateur:fiches de donateur}, {donations} {donations:plural:don:dons}, {memberships} {memberships:plural:adhésion:adhésions}",
    "pv.sum.money_hidden": (
        "<b>Fiches financières</b>\u00a0: {donors} {donors:plural:fiche:fiches}, {donations} {donations:plural:don:dons}, {memberships} {memberships:plural:adhésion:adhésions} — "
        "réservées à la trésorerie, qui les transmet à part."
    ),
    "pv.sum.nothing": (
        "Je n'ai aucune donnée sur vous, à part la date de cette demande, gardée pour prouver qu'elle a été traitée."
    ),
    "pv.sum.file": (
        "Le fichier joint contient tout le détail (format JSON). Corriger\u00a0: /profil · tout effacer\u00a0: "
        "/supprimer_mes_donnees · ne plus rien recevoir\u00a0: /stop. Vous pouvez aussi saisir la CNIL (cnil.fr)."
    ),
    "pv.export_caption": "Toutes vos données (JSON)",
    "pv.kind.access": "accès",
    "pv.kind.erasure": "effacement",
    "pv.kind.stop": "arrêt des envois",
    # Erasure.
    "pv.part.profile": "votre profil (prénom, pseudo, ville, envies d'agir, préférences)",
    "pv.part.roles": "{count} {count:plural:rôle:rôles}",
    "pv.part.participations": "{count} {count:plural:participation:participations} à des actions",
    "pv.part.asks": "{count} {count:plural:demande:demandes} d'aide",
    "pv.part.pending": "{count} {count:plural:réponse:réponses} en attente",
    "pv.part.messages": "{count} {count:plural:message:messages} du bot",
    "pv.part.rules": "{count} {count:plural:règle:règles} de routage",
    "pv.part.emails_held": "{count} {count:plural:courriel:courriels} que vous suiviez (rendus à l'équipe)",
    "pv.part.emails_sent": "{count} {count:plural:courriel reçu:courriels reçus} de cette adresse",
    "pv.part.none": "rien",
    "pv.kept_nothing": "Rien n'est conservé, sauf la date de la demande, pour prouver qu'elle a été traitée.",
    "pv.kept_money": (
        "<b>Conservé, parce que la loi l'impose\u00a0:</b> {donors} {donors:plural:fiche de donateur:fiches de donateur}, {donations} {donations:plural:don:dons} et "
        "{memberships} {memberships:plural:adhésion:adhésions} — identité, adresse fiscale, nationalité, mandat, montants, dates, moyens de "
        "paiement et numéros de reçu. Les pièces comptables des dons et cotisations doivent être gardées {years} {years:plural:an:ans} "
        "(code de commerce art. L123-22, contrôle de la CNCCFP). Elles ne sont plus reliées à votre profil, seule la "
        "trésorerie peut les lire, et elles seront supprimées à la fin de ce délai."
    ),
    "pv.erase_ask": (
        "<b>Effacer vos données\u202f?</b>\nSera effacé\u00a0: {erased}.\n\n{kept}\n\nC'est définitif. Confirmez-vous\u202f?"
    ),
    "pv.btn_erase_yes": "Oui, tout effacer",
    "pv.erase_nothing": (
        "Je n'ai aucune donnée sur vous\u00a0: il n'y a rien à effacer. La date de cette demande est notée, pour prouver "
        "qu'elle a été traitée."
    ),
    "pv.erase_done": (
        "C'est fait, vos données sont effacées\u00a0: {erased}.\n\n{kept}\n\nVous pouvez revenir quand vous voulez avec /start."
    ),
    "pv.erase_cancelled": "C'est annulé\u00a0: rien n'a été effacé.",
    "pv.already_done": "Cette demande est déjà traitée.",
    # /stop
    "pv.stop_done": (
        "C'est noté\u00a0: vous ne recevrez plus de demandes d'aide, de point du jour ni d'annonces.{cancelled}\n"
        "Pour tout reprendre d'un coup\u00a0: /start. Ou une chose à la fois\u00a0: {back}.\n"
        "Vos données restent enregistrées\u00a0: /mes_donnees pour les voir, /supprimer_mes_donnees pour les effacer."
    ),
    "pv.back.reprendre": "/reprendre (demandes d'aide)",
    "pv.back.stop_annonces": "/stop_annonces (annonces)",
    "pv.back.digest_pause": "/digest_pause (point du jour)",
    "pv.stop_cancelled": (
        " {count} {count:plural:message en attente ne partira pas:messages en attente ne partiront pas}."
    ),
    "pv.stop_nothing": (
        "Vous ne recevez rien de ma part\u00a0: je n'ai aucune donnée sur vous. Si vous m'écrivez /start un jour, je "
        "vous demanderai votre accord avant de noter quoi que ce soit."
    ),
    # /donnees_personne (coordinators, for someone who asked by email or by mail).
    "pv.pp_usage": (
        "Utilisation\u00a0: /donnees_personne suivi d'un @pseudo, d'un identifiant Telegram ou d'une adresse email "
        "(d'un don ou d'un courriel). Vous choisirez ensuite\u00a0: accès, effacement ou arrêt des envois.\n\n{open}"
    ),
    "pv.open_header": "<b>Demandes en cours</b>",
    "pv.open_none": "Aucune demande en cours.",
    "pv.open_line": "• n°\u00a0{id} — {kind} — {who} — reçue le {day}, réponse due avant le {deadline}",
    "pv.pp_unknown": (
        "Je ne trouve rien pour «\u00a0{who}\u00a0». Donnez un @pseudo ou un identifiant Telegram connus du bot, ou l'adresse "
        "email de la personne (même si rien n'est enregistré, la demande sera notée et pourra être répondue)."
    ),
    "pv.pp_found": (
        "<b>{who}</b>\nProfil Telegram\u00a0: {profile}\nFiches de donateur\u00a0: {donors}\n"
        "Courriels reçus de cette adresse\u00a0: {emails}\n\nQue demande cette personne\u202f? (Vérifiez d'abord son identité.)"
    ),
    "pv.btn_access": "Accès (export)",
    "pv.btn_erase": "Effacement",
    "pv.btn_stop": "Arrêt des envois",
    "pv.pp_caption": "Données de {who} (demande n°\u00a0{id})",
    "pv.pp_access_done": (
        "Voici les données de {who} (demande n°\u00a0{id}, close). Transmettez-les par un canal sûr, en réponse à sa demande."
    ),
    "pv.pp_financial_notified": "Ses {count} {count:plural:fiche financière est réservée:fiches financières sont réservées} à la trésorerie\u00a0: elle est prévenue et les transmettra.",
    "pv.pp_erase_ask": "<b>Effacer les données de {who}\u202f?</b>\nSera effacé\u00a0: {erased}.\n\n{kept}\n\nC'est définitif. Confirmez-vous\u202f?",
    "pv.pp_erased": "Données de {who} effacées (demande n°\u00a0{id})\u00a0: {erased}.\n\n{kept}",
    "pv.pp_stopped": "{who} ne recevra plus de demandes d'aide, de point du jour ni d'annonces (demande n°\u00a0{id}).",
    "pv.pp_stop_nothing": (
        "{who} n'a pas de profil Telegram\u00a0: le bot ne lui envoie rien (demande n°\u00a0{id} notée). Pour les courriels, "
        "retirez l'adresse de vos listes d'envoi."
    ),
    "pv.remind": "⏰ <b>Demande sur des données personnelles toujours ouverte</b>\n{line}\nLa loi laisse un mois pour répondre.",
    "pv.btn_done": "Marquer comme traitée",
    "pv.done_ok": "Demande n°\u00a0{id} marquée comme traitée.",
    "pv.fin_notice": (
        "🔒 Demande d'accès n°\u00a0{id} ({who})\u00a0: {count} {count:plural:fiche financière concernée:fiches financières concernées}. Elles sont réservées à la "
        "trésorerie\u00a0: recevez-les ici, puis transmettez-les à la personne."
    ),
    "pv.btn_fin": "Recevoir ces fiches",
    "pv.fin_caption": "Fiches financières de la demande n°\u00a0{id}",
    "pv.fin_none": "Aucune fiche financière pour la demande n°\u00a0{id}.",
    # Retention and /purge (treasurers).
    "pv.purge_notice": (
        "🗄 {donations} {donations:plural:don:dons}, {memberships} {memberships:plural:adhésion:adhésions}, {donors} {donors:plural:fiche de donateur:fiches de donateur} et {expenses} {expenses:plural:note:notes} "
        "de frais ont dépassé la durée légale de conservation ({years} {years:plural:an:ans}). Rien n'est supprimé sans vous\u00a0: /purge pour les voir et confirmer."
    ),
    "pv.purge_none": "Aucune pièce financière n'a dépassé la durée de conservation ({years} {years:plural:an:ans})\u00a0: rien à purger.",
    "pv.purge_preview": (
        "<b>Pièces de plus de {years} {years:plural:an:ans}</b> (datées du {cutoff} ou avant)\n{donations} {donations:plural:don:dons}, "
        "{memberships} {memberships:plural:adhésion:adhésions}, {donors} {donors:plural:fiche de donateur:fiches de donateur}.\n{lines}\n\nLa suppression est définitive. Confirmez-vous\u202f?"
    ),
    "pv.purge_line": "• n°\u00a0{id} — {amount} — {day} — reçu {receipt} — {name}",
    "pv.purge_more": "… et {count} {count:plural:autre:autres}.",
    "pv.btn_purge": "Purger définitivement",
    "pv.purge_done": "Purge faite\u00a0: {donations} {donations:plural:don:dons}, {memberships} {memberships:plural:adhésion:adhésions} et {donors} {donors:plural:fiche de donateur:fiches de donateur} supprimés.",
    "limit.too_fast": "Doucement, s'il vous plaît : vous m'envoyez beaucoup de commandes d'un coup. Attendez une minute, puis réessayez.",
}
EN: dict[str, str] = {
    "cmd.mes_donnees": "Get all my data",
    "cmd.supprimer_mes_donnees": "Erase my data",
    "cmd.stop": "Stop receiving anything from the bot",
    "cmd.donnees_personne": "Rights of someone who wrote in (access, erasure)",
    "cmd.purge": "Purge financial records older than 10 years",
    "pv.sum.title": "<b>Your data at « À nous la démocratie ! »</b> (on {day})",
    "pv.sum.profile": "Profile: {name}, city: {city}, joined on {since}, consent given on {consent} (version {version})",
    "pv.sum.prefs": "Requests for help: {asks} · daily digest: {digest} · announcements: {announcements}",
    "pv.sum.roles": "Roles: {roles}",
    "pv.yes": "yes",
    "pv.no": "no",
    "pv.sum.section": "<b>{label}</b>: {count}",
    "pv.sum.item": "  • {text}",
    "pv.sum.more": "  … and {count} more (in the file)",
    "pv.sec.participations": "Participations in actions",
    "pv.sec.asks": "Requests for help received",
    "pv.sec.pending": "Answers waiting for you to sign up",
    "pv.sec.emails": "Emails entrusted to you",
    "pv.sec.sent": "Emails received from your address",
    "pv.sec.rules": "Email routing rules",
    "pv.sec.events": "Actions you created",
    "pv.sec.broadcasts": "Announcements you wrote",
    "pv.sec.com_requests": "Communication requests you made",
    "pv.sec.com_posts": "Posts you wrote",
    "pv.sec.expenses": "Your expense claims",
    "pv.sec.audit": "Log entries about you",
    "pv.sec.requests": "Requests about your data",
    "pv.sec.messages": "Messages the bot sent you",
    "pv.sum.money": "<b>Gifts and memberships</b>: {donors} {donors:plural:donor record:donor records}, {donations} {donations:plural:gift:gifts}, {memberships} {memberships:plural:membership:memberships}",
    "pv.sum.money_hidden": (
        "<b>Financial records</b>: {donors} {donors:plural:record:records}, {donations} {donations:plural:gift:gifts}, {memberships} {memberships:plural:membership:memberships} — "
        "reserved to the treasury, which sends them separately."
    ),
    "pv.sum.nothing": "I hold no data about you, except the date of this request, kept to prove it was handled.",
    "pv.sum.file": (
        "The attached file holds every detail (JSON format). Correct: /profil · erase everything: "
        "/supprimer_mes_donnees · receive nothing more: /stop. You may also complain to the CNIL (cnil.fr)."
    ),
    "pv.export_caption": "All your data (JSON)",
    "pv.kind.access": "access",
    "pv.kind.erasure": "erasure",
    "pv.kind.stop": "stop messages",
    "pv.part.profile": "your profile (first name, username, city, actions you like, preferences)",
    "pv.part.roles": "{count} {count:plural:role:roles}",
    "pv.part.participations": "{count} {count:plural:participation:participations} in actions",
    "pv.part.asks": "{count} {count:plural:request:requests} for help",
    "pv.part.pending": "{count} {count:plural:pending answer:pending answers}",
    "pv.part.messages": "{count} {count:plural:message:messages} from the bot",
    "pv.part.rules": "{count} {count:plural:routing rule:routing rules}",
    "pv.part.emails_held": "{count} {count:plural:email:emails} you were handling (handed back to the team)",
    "pv.part.emails_sent": "{count} {count:plural:email:emails} received from this address",
    "pv.part.none": "nothing",
    "pv.kept_nothing": "Nothing is kept, except the date of the request, to prove it was handled.",
    "pv.kept_money": (
        "<b>Kept, because the law requires it:</b> {donors} {donors:plural:donor record:donor records}, {donations} {donations:plural:gift:gifts} and "
        "{memberships} {memberships:plural:membership:memberships} — identity, tax address, nationality, mandate, amounts, dates, payment methods "
        "and receipt numbers. The accounting records of gifts and fees must be kept {years} {years:plural:year:years} (French commercial "
        "code art. L123-22, CNCCFP control). They are no longer linked to your profile, only the treasury can read "
        "them, and they will be deleted at the end of that period."
    ),
    "pv.erase_ask": "<b>Erase your data?</b>\nWill be erased: {erased}.\n\n{kept}\n\nThis is final. Do you confirm?",
    "pv.btn_erase_yes": "Yes, erase everything",
    "pv.erase_nothing": (
        "I hold no data about you: there is nothing to erase. The date of this request is noted, to prove it was handled."
    ),
    "pv.erase_done": "Done, your data is erased: {erased}.\n\n{kept}\n\nYou can come back whenever you like with /start.",
    "pv.erase_cancelled": "Cancelled: nothing was erased.",
    "pv.already_done": "This request was already handled.",
    "pv.stop_done": (
        "Noted: you will receive no more requests for help, daily digests or announcements.{cancelled}\n"
        "To get everything back at once: /start. Or one thing at a time: {back}.\n"
        "Your data stays recorded: /mes_donnees to see it, /supprimer_mes_donnees to erase it."
    ),
    "pv.back.reprendre": "/reprendre (requests for help)",
    "pv.back.stop_annonces": "/stop_annonces (announcements)",
    "pv.back.digest_pause": "/digest_pause (daily digest)",
    "pv.stop_cancelled": " {count} waiting {count:plural:message:messages} will not go out.",
    "pv.stop_nothing": (
        "You receive nothing from me: I hold no data about you. If you send me /start one day, I will ask for your "
        "consent before noting anything."
    ),
    "pv.pp_usage": (
        "Usage: /donnees_personne followed by a @username, a Telegram id or an email address (a donor's or an "
        "email sender's). You then choose: access, erasure or stop messages.\n\n{open}"
    ),
    "pv.open_header": "<b>Open requests</b>",
    "pv.open_none": "No open request.",
    "pv.open_line": "• no. {id} — {kind} — {who} — received on {day}, answer due before {deadline}",
    "pv.pp_unknown": (
        "I find nothing for « {who} ». Give a @username or Telegram id the bot knows, or the person's email address "
        "(even with nothing stored, the request is logged and can be answered)."
    ),
    "pv.pp_found": (
        "<b>{who}</b>\nTelegram profile: {profile}\nDonor records: {donors}\n"
        "Emails received from this address: {emails}\n\nWhat does this person ask for? (Check their identity first.)"
    ),
    "pv.btn_access": "Access (export)",
    "pv.btn_erase": "Erasure",
    "pv.btn_stop": "Stop messages",
    "pv.pp_caption": "Data of {who} (request no. {id})",
    "pv.pp_access_done": "Here is the data of {who} (request no. {id}, closed). Send it through a safe channel, in answer to their request.",
    "pv.pp_financial_notified": "Their {count} {count:plural:financial record is reserved:financial records are reserved} to the treasury: it has been told and will send them.",
    "pv.pp_erase_ask": "<b>Erase the data of {who}?</b>\nWill be erased: {erased}.\n\n{kept}\n\nThis is final. Do you confirm?",
    "pv.pp_erased": "Data of {who} erased (request no. {id}): {erased}.\n\n{kept}",
    "pv.pp_stopped": "{who} will receive no more requests for help, daily digests or announcements (request no. {id}).",
    "pv.pp_stop_nothing": (
        "{who} has no Telegram profile: the bot sends them nothing (request no. {id} noted). For emails, take the "
        "address off your mailing lists."
    ),
    "pv.remind": "⏰ <b>A personal-data request is still open</b>\n{line}\nThe law gives one month to answer.",
    "pv.btn_done": "Mark as handled",
    "pv.done_ok": "Request no. {id} marked as handled.",
    "pv.fin_notice": (
        "🔒 Access request no. {id} ({who}): {count} {count:plural:financial record:financial records} concerned. They are reserved to the "
        "treasury: receive them here, then send them to the person."
    ),
    "pv.btn_fin": "Receive these records",
    "pv.fin_caption": "Financial records of request no. {id}",
    "pv.fin_none": "No financial record for request no. {id}.",
    "pv.purge_notice": (
        "🗄 {donations} {donations:plural:gift:gifts}, {memberships} {memberships:plural:membership:memberships}, {donors} {donors:plural:donor record:donor records} and {expenses} {expenses:plural:expense claim:expense claims} "
        "are past the legal retention period ({years} {years:plural:year:years}). Nothing is deleted without you: /purge to see them and confirm."
    ),
    "pv.purge_none": "No financial record is past the retention period ({years} {years:plural:year:years}): nothing to purge.",
    "pv.purge_preview": (
        "<b>Records older than {years} {years:plural:year:years}</b> (dated {cutoff} or before)\n{donations} {donations:plural:gift:gifts}, "
        "{memberships} {memberships:plural:membership:memberships}, {donors} {donors:plural:donor record:donor records}.\n{lines}\n\nDeletion is final. Do you confirm?"
    ),
    "pv.purge_line": "• no. {id} — {amount} — {day} — receipt {receipt} — {name}",
    "pv.purge_more": "… and {count} more.",
    "pv.btn_purge": "Purge for good",
    "pv.purge_done": "Purge done: {donations} {donations:plural:gift:gifts}, {memberships} {memberships:plural:membership:memberships} and {donors} {donors:plural:donor record:donor records} deleted.",
    "limit.too_fast": "Easy, please: you are sending me many commands at once. Wait a minute, then try again.",
}

# The JSON file of /mes_donnees is one format for everyone: French keys, and these French values.
EXPORT_CONTROLLER = "À nous la démocratie ! — 22 cour des Petites Écuries, 75010 Paris"
EXPORT_FINANCES_NOTE = "Réservé à la trésorerie, qui les transmet à part."
# What each message the bot sent was, by the first part of its dedupe key (its text is left out).
EXPORT_MESSAGE_KINDS = {
    "bc": "annonce",
    "ask": "demande d'aide",
    "digest": "point du jour",
    "rem": "rappel",
    "att": "présence",
    "inbox": "courriel",
    "mship": "adhésion",
    "don": "don",
    "promo": "liste d'attente",
    "privacy": "données",
}
EXPORT_MESSAGE_OTHER = "message"
EXPORT_MESSAGE_EDIT = "modification"
# The first name an anonymised volunteer keeps (stored: the row stays, nothing identifies them).
ANONYMOUS_NAME = "Ancien·ne bénévole"
