"""Every sentence a user reads, in French and English.

`t(lang, key, **values)` escapes every value for Telegram HTML unless it is wrapped in `Html`
(as every text `t` returns is), so a name typed as `<b>Léa</b> & co` shows exactly as typed, also
inside a text made of other texts. Button labels (`btn.*`) are plain text: nothing is escaped there.

Plurals are written in the template, never as "personne(s)": `{count} {count:plural:personne:personnes}`
picks the word by the language's rule (French: singular for 0 and 1; English: singular for 1 only).
"""

from __future__ import annotations

import html
import re
import string
from typing import Any


class Html(str):
    """Markup we built ourselves: inserted as is."""


# The consent text (start.privacy) changed: a new version, recorded with each new consent.
PRIVACY_VERSION = "2026-12-v2"

FR: dict[str, str] = {
    # Roles and domains, as people read them.
    "role.coordinator": "coordination",
    "role.treasurer": "trésorerie",
    "role.candidate": "candidature",
    "role.lead": "responsable",
    "role.collector": "collecte",
    "role.volunteer": "bénévole",
    "domain.communication": "communication",
    "domain.secretariat": "secrétariat",
    "domain.finance": "finances",
    "domain.website": "site internet",
    "domain.campaign": "campagne",
    # Command descriptions (menus and /aide).
    "cmd.start": "Commencer et créer mon profil",
    "cmd.aide": "Ce que je peux faire pour vous",
    "cmd.profil": "Voir et modifier mon profil",
    "cmd.inviter": "Créer un lien d'invitation avec un rôle",
    "cmd.role": "Donner un rôle à une personne",
    "cmd.retirer_role": "Retirer un rôle à une personne",
    "cmd.villes": "Villes et groupes rattachés",
    "cmd.nouvelle_ville": "Ajouter une ville",
    "cmd.lier_ville": "Rattacher ce groupe à une ville",
    "cmd.annuler": "Annuler l'action en cours",
    # Onboarding.
    "start.welcome": (
        "Bonjour\u202f! Je suis <b>coordo</b>, le bot de coordination d'«\u00a0À nous la démocratie\u202f!\u00a0».\n"
        "Trois questions pour faire connaissance (/annuler pour arrêter à tout moment).\n\n"
        "Quel est votre prénom\u202f?"
    ),
    "start.name_invalid": "Je n'ai pas compris ce prénom. Écrivez-le simplement, en une ligne (64 caractères au plus).",
    "start.ask_city": "Merci {name}\u202f! Dans quelle ville militez-vous\u202f?",
    "start.city_invalid": "Touchez l'un des boutons ci-dessus pour choisir votre ville.",
    "start.ask_skills": (
        "Qu'aimeriez-vous faire\u202f? Touchez une ou plusieurs actions, puis «\u00a0Valider\u00a0». "
        "Vous pourrez changer d'avis plus tard avec /profil."
    ),
    "start.use_buttons": "Utilisez les boutons du message précédent, ou /annuler pour arrêter.",
    "start.privacy": (
        "<b>Vos données</b>\n"
        "Le mouvement «\u00a0À nous la démocratie\u202f!\u00a0» (22 cour des Petites Écuries, 75010 Paris) enregistre "
        "votre prénom, votre identifiant Telegram, votre ville et vos envies d'agir, pour organiser "
        "les actions militantes et vous en informer. Comme ces données révèlent un engagement "
        "politique, nous ne les traitons qu'avec votre accord.\n"
        "• Elles ne sont vues que par la coordination et, pour votre ville, les candidats et candidates\u202f; "
        "jamais publiées dans les groupes.\n"
        "• Elles sont gardées tant que vous participez, puis un an\u202f; vous pouvez partir à tout moment.\n"
        "• Vous pouvez les recevoir (/mes_donnees), les corriger (/profil), les effacer "
        "(/supprimer_mes_donnees), ne plus rien recevoir (/stop) et saisir la CNIL (cnil.fr).\n\n"
        "Acceptez-vous\u202f?"
    ),
    "start.done": "Bienvenue {name}\u202f! Votre profil est enregistré. Tapez /aide pour voir ce que vous pouvez faire.",
    "start.refused": "C'est noté\u00a0: rien n'a été enregistré. Vous pouvez revenir quand vous voulez avec /start.",
    "start.already": "Re-bonjour {name}\u202f! /aide liste vos commandes et /profil modifie votre profil.",
    "start.expired": "Cette étape a expiré. Recommencez avec /start.",
    "start.resumed": (
        "Re-bonjour {name}\u00a0! Vous recevez de nouveau les demandes d'aide, les annonces et, si vous en avez un, "
        "le point du jour. /aide liste vos commandes."
    ),
    "btn.no_city": "Aucune de ces villes",
    "btn.validate": "Valider",
    "btn.accept": "J'accepte",
    "btn.refuse": "Je refuse",
    "btn.done": "Terminé",
    "btn.back": "Retour",
    "cancel.done": "C'est annulé, rien n'a été modifié.",
    "cancel.nothing": "Il n'y a rien à annuler.",
    "conversation.timeout": (
        "Sans nouvelles de votre part, j'ai refermé cette conversation\u00a0: ce qui n'était pas encore "
        "confirmé n'a pas été enregistré. Pour reprendre, envoyez {command}."
    ),
    # Invitations and roles.
    "invite.usage": (
        "Précisez le rôle, par exemple\u00a0:\n"
        "/inviter coordinateur\n/inviter trésorier\n/inviter candidat Lyon\n/inviter responsable presse"
    ),
    "invite.created": (
        "Lien d'invitation ({role}), valable {hours} h et pour une seule personne\u00a0:\n{link}"
    ),
    "invite.granted": "Vous avez désormais le rôle {role}.",
    "invite.invalid": "Ce lien d'invitation n'est pas valable. Demandez-en un nouveau à la coordination.",
    "invite.expired": "Ce lien d'invitation a expiré. Demandez-en un nouveau à la coordination.",
    "invite.used": "Ce lien d'invitation a déjà servi. Demandez-en un nouveau à la coordination.",
    "role.spec_missing": "Précisez un rôle\u00a0: coordinateur, trésorier, candidat &lt;ville&gt;, responsable &lt;domaine&gt;.",
    "role.spec_unknown": "Rôle inconnu. Rôles possibles\u00a0: coordinateur, trésorier, candidat &lt;ville&gt;, responsable &lt;domaine&gt;.",
    "role.spec_city": "Précisez la ville de la candidature, parmi\u00a0: {cities}.",
    "role.spec_domain": "Précisez le domaine\u00a0: communication, secrétariat, finances, site ou campagne.",
    "role.usage": (
        "Utilisation\u00a0: /role suivi du prénom, du @pseudo ou de l'identifiant Telegram, puis du rôle — "
        "par exemple /role Léa candidat Lyon ou /role @lea trésorier."
    ),
    "role.name_unknown": (
        "Personne ne s'appelle «\u00a0{who}\u00a0» parmi les personnes inscrites. Vérifiez l'orthographe\u00a0; si la "
        "personne n'est pas encore inscrite, créez-lui un lien avec /inviter (par exemple /inviter trésorier)."
    ),
    "role.pick": "Plusieurs personnes s'appellent «\u00a0{who}\u00a0». De laquelle s'agit-il\u202f?",
    "role.pick_gone": "Cette personne n'est plus inscrite\u00a0: rien n'a été modifié.",
    "role.pick_stale": "Ce choix a expiré\u00a0: renvoyez la commande.",
    "role.unrevoke_usage": "Utilisation\u00a0: /retirer_role @pseudo rôle — par exemple /retirer_role @lea trésorier.",
    "role.person_unknown": (
        "Je ne connais personne sous «\u00a0{who}\u00a0». La personne doit d'abord m'écrire /start\u00a0; si elle "
        "n'est pas encore inscrite, créez-lui un lien avec /inviter (par exemple /inviter trésorier)."
    ),
    "role.person_ambiguous": (
        "Plusieurs personnes ont été connues sous «\u00a0{who}\u00a0»\u00a0: je ne choisis pas au hasard. "
        "Donnez plutôt son identifiant Telegram (un nombre), par exemple /role 123456789 trésorier."
    ),
    "role.granted": "{name} a maintenant le rôle {role}.",
    "role.already": "{name} a déjà le rôle {role}.",
    "role.revoked": "{name} n'a plus le rôle {role}.",
    "role.not_held": "{name} n'a pas le rôle {role}.",
    "role.you_got": "Vous avez maintenant le rôle {role}. Tapez /aide pour voir vos nouvelles commandes.",
    "role.you_lost": "Vous n'avez plus le rôle {role}.",
    # Cities and groups.
    "city.list_header": "<b>Villes</b>",
    "city.line": "• {name} — {groups} {groups:plural:groupe:groupes}",
    "city.usage_new": "Utilisation\u00a0: /nouvelle_ville Nom — par exemple /nouvelle_ville Bordeaux.",
    "city.created": "La ville {name} est ajoutée.",
    "city.exists": "La ville {name} existe déjà.",
    "city.name_invalid": "Ce nom de ville n'est pas valable (1 à 80 caractères, une ligne).",
    "group.usage": "Utilisation, dans le groupe\u00a0: /lier_ville Ville — villes connues\u00a0: {cities}.",
    "group.unknown_city": "Je ne connais pas la ville «\u00a0{city}\u00a0». Villes connues\u00a0: {cities}.",
    "group.linked": "Ce groupe est rattaché à {city}. Les actions de {city} y seront annoncées.",
    "group.hello": "Bonjour\u202f! Une personne de la coordination peut rattacher ce groupe à une ville avec /lier_ville Ville.",
    # Profile.
    "profile.summary": (
        "<b>Votre profil</b>\nPrénom\u00a0: {name}\nVille\u00a0: {city}\nActions\u00a0: {skills}\nLangue\u00a0: {language}\n"
        "Rôles\u00a0: {roles}\n\nQue voulez-vous modifier\u202f?"
    ),
    "profile.none": "—",
    "profile.ask_name": "Votre nouveau prénom\u202f?",
    "profile.closed": "Profil enregistré. À bientôt\u202f!",
    "btn.edit_name": "Prénom",
    "btn.edit_city": "Ville",
    "btn.edit_skills": "Actions",
    "btn.edit_language": "Langue",
    "lang.fr": "français",
    "lang.en": "anglais",
    # Help.
    "aide.header": "<b>Ce que vous pouvez faire</b>",
    "aide.group.start": "<b>Pour commencer</b>",
    "aide.group.actions": "<b>Actions</b>",
    "aide.group.recruitment": "<b>Recrutement</b>",
    "aide.group.emails": "<b>Courriels</b>",
    "aide.group.communication": "<b>Communication</b>",
    "aide.group.money": "<b>Argent</b>",
    "aide.group.coordination": "<b>Coordination</b>",
    "aide.group.data": "<b>Vos données</b>",
    "aide.in_group": " (à envoyer dans le groupe de la ville)",
    "aide.not_onboarded": "Pour commencer, envoyez-moi /start en message privé\u00a0: je vous pose trois questions.",
    "aide.group": "Dans ce groupe, répondez aux annonces avec les boutons ou en répondant au message («\u00a0je viens\u00a0»).",
    # Permissions.
    "perm.denied": "Désolé, cette action est réservée\u00a0: {who}. Rien n'a été modifié.",
    "perm.need_start": "Pour cela, présentez-vous d'abord\u00a0: envoyez-moi /start en message privé.",
    "perm.private_only": "Cette commande s'utilise en message privé avec moi\u00a0: touchez le bouton pour m'écrire.",
    "perm.private_start": (
        "Cette commande s'utilise en message privé avec moi\u00a0: touchez le bouton pour m'écrire, puis "
        "présentez-vous avec /start."
    ),
    "perm.group_only": (
        "Cette commande s'envoie dans le groupe de la ville, pas ici\u00a0: ajoutez-moi au groupe si ce n'est pas "
        "déjà fait, puis envoyez-la là-bas."
    ),
    "perm.or": " ou ",
    "perm.to.coordinator": "à la coordination",
    "perm.to.treasurer": "à la trésorerie",
    "perm.to.candidate": "aux candidats et candidates",
    "perm.to.lead": "aux responsables de domaine",
    "perm.to.collector": "aux personnes chargées de la collecte",
    "perm.to.volunteer": "aux bénévoles",
    "perm.reserved": (
        "Cette commande est réservée {who}\u00a0: demandez à {names} de vous donner "
        "{count:plural:ce rôle:l'un de ces rôles}."
    ),
    "perm.reserved_nobody": (
        "Cette commande est réservée {who}\u00a0: demandez à la coordination du mouvement de vous donner "
        "{count:plural:ce rôle:l'un de ces rôles}."
    ),
    "perm.reserved_self": (
        "Cette commande est réservée {who}. Si c'est à vous de vous en charger, donnez-vous "
        "{count:plural:ce rôle:l'un de ces rôles} avec /role."
    ),
    "btn.open_private": "Écrire au bot en privé",
    "perm.revoked": "Votre rôle pour cette action vous a été retiré entre-temps\u00a0: elle s'arrête ici, rien n'a été enregistré.",
    # Fallbacks and errors.
    "fallback.unknown_command": "Je ne connais pas cette commande. Tapez /aide pour la liste.",
    "fallback.text": "Je n'ai pas compris. Tapez /aide pour voir ce que je sais faire.",
    "fallback.media": "Je ne sais pas encore lire ce type de message. Tapez /aide pour voir ce que je sais faire.",
    "fallback.button_stale": "Ce bouton n'est plus actif.",
    "error.generic": "Désolé, quelque chose s'est mal passé de mon côté. Rien n'a été enregistré\u202f; réessayez dans un instant.",
}

EN: dict[str, str] = {
    "role.coordinator": "coordination",
    "role.treasurer": "treasury",
    "role.candidate": "candidate",
    "role.lead": "lead",
    "role.collector": "fundraising",
    "role.volunteer": "volunteer",
    "domain.communication": "communication",
    "domain.secretariat": "secretariat",
    "domain.finance": "finance",
    "domain.website": "website",
    "domain.campaign": "campaign",
    "cmd.start": "Start and create my profile",
    "cmd.aide": "What I can do for you",
    "cmd.profil": "See and edit my profile",
    "cmd.inviter": "Create an invitation link with a role",
    "cmd.role": "Give someone a role",
    "cmd.retirer_role": "Take a role away",
    "cmd.villes": "Cities and their groups",
    "cmd.nouvelle_ville": "Add a city",
    "cmd.lier_ville": "Attach this group to a city",
    "cmd.annuler": "Cancel what is under way",
    "start.welcome": (
        "Hello! I am <b>coordo</b>, the coordination bot of « À nous la démocratie ! ».\n"
        "Three questions to get to know you (/cancel stops at any time).\n\n"
        "What is your first name?"
    ),
    "start.name_invalid": "I could not read that first name. Just type it, on one line (64 characters at most).",
    "start.ask_city": "Thank you {name}! Which city are you active in?",
    "start.city_invalid": "Tap one of the buttons above to choose your city.",
    "start.ask_skills": "What would you like to do? Tap one or more actions, then « Confirm ». You can change it later with /profil.",
    "start.use_buttons": "Use the buttons of the previous message, or /cancel to stop.",
    "start.privacy": (
        "<b>Your data</b>\n"
        "The movement « À nous la démocratie ! » (22 cour des Petites Écuries, 75010 Paris) records your "
        "first name, Telegram id, city and what you like to do, to organise actions and keep you informed. "
        "As this reveals a political commitment, we only process it with your consent.\n"
        "• Only coordinators and, for your city, candidates see it; never in groups.\n"
        "• It is kept while you are active, then one year; you may leave at any time.\n"
        "• You can get it (/mes_donnees), correct it (/profil), erase it (/supprimer_mes_donnees), "
        "receive nothing more (/stop) and complain to the CNIL (cnil.fr).\n\n"
        "Do you agree?"
    ),
    "start.done": "Welcome {name}! Your profile is saved. Type /aide to see what you can do.",
    "start.refused": "Noted: nothing was saved. Come back whenever you like with /start.",
    "start.already": "Hello again {name}! /aide lists your commands and /profil edits your profile.",
    "start.expired": "This step has expired. Start again with /start.",
    "start.resumed": (
        "Hello again {name}! You receive requests for help, announcements and, if you have one, the daily "
        "summary again. /aide lists your commands."
    ),
    "btn.no_city": "None of these cities",
    "btn.validate": "Confirm",
    "btn.accept": "I agree",
    "btn.refuse": "I refuse",
    "btn.done": "Done",
    "btn.back": "Back",
    "cancel.done": "Cancelled, nothing was changed.",
    "cancel.nothing": "There is nothing to cancel.",
    "conversation.timeout": (
        "As I had no news from you, I closed this conversation: what was not confirmed yet was not "
        "saved. To start again, send {command}."
    ),
    "invite.usage": "Name the role, e.g.:\n/inviter coordinateur\n/inviter trésorier\n/inviter candidat Lyon\n/inviter responsable presse",
    "invite.created": "Invitation link ({role}), valid {hours} h, for one person only:\n{link}",
    "invite.granted": "You now have the role {role}.",
    "invite.invalid": "This invitation link is not valid. Ask the coordinators for a new one.",
    "invite.expired": "This invitation link has expired. Ask the coordinators for a new one.",
    "invite.used": "This invitation link was already used. Ask the coordinators for a new one.",
    "role.spec_missing": "Name a role: coordinateur, trésorier, candidat &lt;city&gt;, responsable &lt;domain&gt;.",
    "role.spec_unknown": "Unknown role. Possible roles: coordinateur, trésorier, candidat &lt;city&gt;, responsable &lt;domain&gt;.",
    "role.spec_city": "Name the candidate's city, among: {cities}.",
    "role.spec_domain": "Name the domain: communication, secrétariat, finances, site or campagne.",
    "role.usage": (
        "Usage: /role followed by the first name, the @username or the Telegram id, then the role — "
        "e.g. /role Léa candidat Lyon or /role @lea trésorier."
    ),
    "role.name_unknown": (
        "Nobody registered is called « {who} ». Check the spelling; if they are not registered yet, create a "
        "link for them with /inviter (e.g. /inviter trésorier)."
    ),
    "role.pick": "Several people are called « {who} ». Which one do you mean?",
    "role.pick_gone": "This person is no longer registered: nothing was changed.",
    "role.pick_stale": "This choice has expired: send the command again.",
    "role.unrevoke_usage": "Usage: /retirer_role @username role — e.g. /retirer_role @lea trésorier.",
    "role.person_unknown": (
        "I know nobody as « {who} ». They must first send me /start; if they are not registered yet, create a "
        "link for them with /inviter (e.g. /inviter trésorier)."
    ),
    "role.person_ambiguous": (
        "Several people have been known as « {who} »: I will not pick one at random. "
        "Give their Telegram id (a number) instead, e.g. /role 123456789 trésorier."
    ),
    "role.granted": "{name} now has the role {role}.",
    "role.already": "{name} already has the role {role}.",
    "role.revoked": "{name} no longer has the role {role}.",
    "role.not_held": "{name} does not have the role {role}.",
    "role.you_got": "You now have the role {role}. Type /aide to see your new commands.",
    "role.you_lost": "You no longer have the role {role}.",
    "city.list_header": "<b>Cities</b>",
    "city.line": "• {name} — {groups} {groups:plural:group:groups}",
    "city.usage_new": "Usage: /nouvelle_ville Name — e.g. /nouvelle_ville Bordeaux.",
    "city.created": "The city {name} was added.",
    "city.exists": "The city {name} already exists.",
    "city.name_invalid": "This city name is not valid (1 to 80 characters, one line).",
    "group.usage": "Usage, in the group: /lier_ville City — known cities: {cities}.",
    "group.unknown_city": "I don't know the city « {city} ». Known cities: {cities}.",
    "group.linked": "This group is attached to {city}. {city}'s actions will be announced here.",
    "group.hello": "Hello! A coordinator can attach this group to a city with /lier_ville City.",
    "profile.summary": (
        "<b>Your profile</b>\nFirst name: {name}\nCity: {city}\nActions: {skills}\nLanguage: {language}\n"
        "Roles: {roles}\n\nWhat would you like to change?"
    ),
    "profile.none": "—",
    "profile.ask_name": "Your new first name?",
    "profile.closed": "Profile saved. See you soon!",
    "btn.edit_name": "First name",
    "btn.edit_city": "City",
    "btn.edit_skills": "Actions",
    "btn.edit_language": "Language",
    "lang.fr": "French",
    "lang.en": "English",
    "aide.header": "<b>What you can do</b>",
    "aide.group.start": "<b>Getting started</b>",
    "aide.group.actions": "<b>Actions</b>",
    "aide.group.recruitment": "<b>Recruitment</b>",
    "aide.group.emails": "<b>Emails</b>",
    "aide.group.communication": "<b>Communication</b>",
    "aide.group.money": "<b>Money</b>",
    "aide.group.coordination": "<b>Coordination</b>",
    "aide.group.data": "<b>Your data</b>",
    "aide.in_group": " (to send in the city's group)",
    "aide.not_onboarded": "To begin, send me /start in a private message: I will ask you three questions.",
    "aide.group": "In this group, answer announcements with the buttons or by replying to the message (« je viens »).",
    "perm.denied": "Sorry, this action is reserved for: {who}. Nothing was changed.",
    "perm.need_start": "For that, introduce yourself first: send me /start in a private message.",
    "perm.private_only": "This command is used in a private message with me: tap the button to write to me.",
    "perm.private_start": (
        "This command is used in a private message with me: tap the button to write to me, then introduce "
        "yourself with /start."
    ),
    "perm.group_only": (
        "This command is sent in the city's group, not here: add me to the group if not done yet, then send it there."
    ),
    "perm.or": " or ",
    "perm.to.coordinator": "for coordinators",
    "perm.to.treasurer": "for the treasury",
    "perm.to.candidate": "for candidates",
    "perm.to.lead": "for domain leads",
    "perm.to.collector": "for fundraisers",
    "perm.to.volunteer": "for volunteers",
    "perm.reserved": "This command is reserved {who}: ask {names} to give you {count:plural:this role:one of these roles}.",
    "perm.reserved_nobody": (
        "This command is reserved {who}: ask the movement's coordinators to give you "
        "{count:plural:this role:one of these roles}."
    ),
    "perm.reserved_self": (
        "This command is reserved {who}. If it is yours to do, give yourself "
        "{count:plural:this role:one of these roles} with /role."
    ),
    "btn.open_private": "Write to the bot in private",
    "perm.revoked": "Your role for this action was removed in the meantime: it stops here, nothing was saved.",
    "fallback.unknown_command": "I don't know this command. Type /aide for the list.",
    "fallback.text": "I did not understand. Type /aide to see what I can do.",
    "fallback.media": "I cannot read this kind of message yet. Type /aide to see what I can do.",
    "fallback.button_stale": "This button is no longer active.",
    "error.generic": "Sorry, something went wrong on my side. Nothing was saved; please try again in a moment.",
}

CATALOG: dict[str, dict[str, str]] = {"fr": FR, "en": EN}


def _escape(value: Any) -> str:
    if isinstance(value, Html):
        return str(value)
    return html.escape(str(value), quote=False)


class _Formatter(string.Formatter):
    """str.format, plus the `plural:one:other` format spec (see the module's docstring)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if not format_spec.startswith("plural:"):
            return str(super().format_field(value, format_spec))
        one, _, other = format_spec.removeprefix("plural:").partition(":")
        count = _count(value)
        singular = abs(count) < 2 if self.lang == "fr" else count == 1
        return one if singular else other


def _count(value: Any) -> int:
    """A count given as a number, or as text already formatted ("1 234", "2")."""
    if isinstance(value, int):
        return value
    digits = "".join(ch for ch in str(value) if ch.isdigit() or ch == "-")
    return int(digits) if digits.strip("-") else 0


def t(lang: str, key: str, **values: Any) -> str:
    """The text `key` in `lang` (French when missing), values HTML-escaped: the result is markup
    (`Html`), so a text put inside another one is not escaped a second time. Button labels
    (`btn.*`) are plain text on Telegram: their values are inserted as typed, never escaped."""
    template = CATALOG.get(lang, FR).get(key) or FR[key]
    formatter = _Formatter(lang if lang in CATALOG else "fr")
    if key.startswith("btn."):
        return formatter.format(
            template, **{k: html.unescape(v) if isinstance(v, Html) else v for k, v in values.items()}
        )
    return Html(formatter.format(template, **{k: _escape(v) for k, v in values.items()}))


_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A catalog text (HTML) as plain text: a button's answer, a chart's caption."""
    return html.unescape(_TAG.sub("", text))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def language_of(code: str | None) -> str:
    """Telegram's language_code → the language we answer in."""
    return "en" if code and code.lower().startswith("en") else "fr"


_SKILLS_FR = {
    "tractage": "Tractage",
    "porte-à-porte": "Porte-à-porte",
    "boîtage": "Boîtage",
    "collage": "Collage",
    "stand": "Stand",
    "logistique": "Logistique",
    "photo": "Photo/vidéo",
    "graphisme": "Graphisme",
    "réseaux sociaux": "Réseaux sociaux",
    "rédaction": "Rédaction",
    "site web": "Site web",
    "comptabilité": "Comptabilité",
    "assesseur": "Assesseur",
}
_SKILLS_EN = {
    "tractage": "Leafleting",
    "porte-à-porte": "Door-to-door",
    "boîtage": "Letterboxing",
    "collage": "Posters",
    "stand": "Stand",
    "logistique": "Logistics",
    "photo": "Photo/video",
    "graphisme": "Graphic design",
    "réseaux sociaux": "Social media",
    "rédaction": "Writing",
    "site web": "Website",
    "comptabilité": "Accounting",
    "assesseur": "Polling station",
}
FR.update({f"skill.{k}": v for k, v in _SKILLS_FR.items()})
EN.update({f"skill.{k}": v for k, v in _SKILLS_EN.items()})


def _merge(module_name: str) -> None:
    """Texts of one capability, kept in their own module, join the one catalog."""
    import importlib

    module = importlib.import_module(module_name)
    for lang, table in (("fr", module.FR), ("en", module.EN)):
        clash = set(table) & set(CATALOG[lang])
        if clash:
            raise RuntimeError(f"text keys defined twice: {sorted(clash)}")
        CATALOG[lang].update(table)


for _name in (
    "bot.texts.events",
    "bot.texts.recruitment",
    "bot.texts.inbox",
    "bot.texts.donations",
    "bot.texts.digest",
    "bot.texts.announcements",
    "bot.texts.privacy",
    "bot.texts.com_requests",
    "bot.texts.com_posts",
    "bot.texts.com_publishing",
    "bot.texts.com_planning",
    "bot.texts.expenses",
    "bot.texts.helloasso",
    "bot.texts.roster",
    "bot.texts.rsvp",
    "bot.texts.groups",
    "bot.texts.first_day",
    "bot.texts.backup",
    "bot.texts.webapp",
    "bot.texts.lists",
    "bot.texts.corrections",
):
    _merge(_name)
