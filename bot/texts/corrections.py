"""Texts of corrections (issue 17): « Ce n'est pas ça » under a reply the bot read as an answer.

French per docs/french-style.md: U+00A0 before « : » and inside « », U+202F before ; ! ?
"""

FR: dict[str, str] = {
    # The private note to the person whose reply was read (the group only gets a reaction).
    "rx.note": (
        "J'ai lu votre réponse à «\u00a0{title}\u00a0» ainsi\u00a0: {reading}.\n"
        "Si j'ai mal compris, touchez «\u00a0Ce n'est pas ça\u00a0»."
    ),
    "rx.reading.yes": "vous venez",
    "rx.reading.yes_role": "vous venez ({role})",
    "rx.reading.maybe": "peut-être",
    "rx.reading.no": "vous ne venez pas",
    "rx.reading.waitlist": "vous venez, en liste d'attente",
    "rx.reading.other": "rien à noter",
    "rx.btn_wrong": "Ce n'est pas ça",
    "rx.btn_yes": "Je viens",
    "rx.btn_maybe": "Peut-être",
    "rx.btn_no": "Je ne viens pas",
    "rx.btn_other": "Rien à noter",
    "rx.ask": "Que fallait-il comprendre\u202f?",
    "rx.done": "Corrigé, merci\u202f! Pour «\u00a0{title}\u00a0»\u00a0: {reading}.",
    "rx.done_other": "Corrigé, merci\u202f! Je n'ai rien noté pour «\u00a0{title}\u00a0».",
    "rx.done_group": "Corrigé ✅",
    "rx.denied": (
        "Seule la personne qui a écrit cette réponse, ou l'équipe qui organise l'événement, "
        "peut corriger ma lecture."
    ),
    "rx.closed": "Cette réponse ne peut plus être corrigée\u00a0: l'événement est passé ou annulé.",
    "rx.gone": "Ce bouton n'est plus actif\u00a0: rien n'a été changé.",
}

EN: dict[str, str] = {
    "rx.note": ("I read your reply to “{title}” as: {reading}.\nIf I got it wrong, tap “That's not it”."),
    "rx.reading.yes": "you are coming",
    "rx.reading.yes_role": "you are coming ({role})",
    "rx.reading.maybe": "maybe",
    "rx.reading.no": "you are not coming",
    "rx.reading.waitlist": "you are coming, on the waiting list",
    "rx.reading.other": "nothing to record",
    "rx.btn_wrong": "That's not it",
    "rx.btn_yes": "I'm coming",
    "rx.btn_maybe": "Maybe",
    "rx.btn_no": "I'm not coming",
    "rx.btn_other": "Nothing to record",
    "rx.ask": "What did it mean?",
    "rx.done": "Corrected, thank you! For “{title}”: {reading}.",
    "rx.done_other": "Corrected, thank you! Nothing recorded for “{title}”.",
    "rx.done_group": "Corrected ✅",
    "rx.denied": "Only the person who wrote this reply, or the team organising the event, can correct my reading.",
    "rx.closed": "This reply can no longer be corrected: the event is over or cancelled.",
    "rx.gone": "This button is no longer active: nothing was changed.",
}
