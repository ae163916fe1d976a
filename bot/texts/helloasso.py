"""Texts of the HelloAsso follow-ups: offline money refused, a fundraiser's HelloAsso form
(merged into bot.texts)."""

FR: dict[str, str] = {
    "ha.refund_alert_offline": (
        "⛔ <b>Paiement {id} saisi sur HelloAsso refusé</b> ({amount}, {method})\u00a0: {why}\n"
        "Il est inscrit «\u00a0à rembourser\u00a0», sans numéro. Cet argent n'est pas passé par HelloAsso\u00a0: "
        "rendez-le vous-même à la personne, puis marquez-le «\u00a0remboursé\u00a0» avec /dons."
    ),
    "ha.refund_reason_offline": (
        "Refusé par la loi\u00a0: paiement {id} saisi sur HelloAsso sans y être payé, à rendre en main propre"
    ),
    "btn.edit_ha_form": "Formulaire HelloAsso",
    "event.ask_ha_form": (
        "Collez l'adresse du formulaire HelloAsso de cette levée de fonds (par exemple "
        "«\u00a0https://www.helloasso.com/associations/mon-asso/evenements/diner-de-soutien\u00a0»), "
        "ou son nom court, ou «\u00a0aucun\u00a0» pour le retirer. Les billets et dons payés sur ce formulaire "
        "compteront dans la collecte."
    ),
    "event.ha_form_invalid": (
        "Je n'ai pas reconnu ce formulaire. Collez l'adresse complète de la page HelloAsso, ou «\u00a0aucun\u00a0»."
    ),
    "event.ha_form_changed": (
        "C'est noté\u00a0: les paiements du formulaire HelloAsso «\u00a0{slug}\u00a0» compteront dans la collecte."
    ),
    "event.ha_form_cleared": "C'est noté\u00a0: plus aucun formulaire HelloAsso n'est lié à cette action.",
    "event.ha_form_taken": "Ce formulaire HelloAsso est déjà lié à une autre action\u00a0: «\u00a0{title}\u00a0».",
}

EN: dict[str, str] = {
    "ha.refund_alert_offline": (
        "⛔ <b>Payment {id} entered on HelloAsso refused</b> ({amount}, {method}): {why}\n"
        "It is recorded “to refund”, without a number. This money did not go through HelloAsso: "
        "give it back to the person yourself, then mark it “refunded” with /dons."
    ),
    "ha.refund_reason_offline": (
        "Refused by the law: payment {id} entered on HelloAsso without being paid there, to give back by hand"
    ),
    "btn.edit_ha_form": "HelloAsso form",
    "event.ask_ha_form": (
        "Paste the address of this fundraiser's HelloAsso form (e.g. "
        "“https://www.helloasso.com/associations/my-org/evenements/support-dinner”), or its short name, "
        "or “aucun” to remove it. Tickets and gifts paid on that form will count toward the fundraiser."
    ),
    "event.ha_form_invalid": "I did not recognise this form. Paste the full address of the HelloAsso page, or “aucun”.",
    "event.ha_form_changed": "Noted: payments on the HelloAsso form “{slug}” will count toward the fundraiser.",
    "event.ha_form_cleared": "Noted: no HelloAsso form is linked to this action any more.",
    "event.ha_form_taken": "This HelloAsso form is already linked to another action: “{title}”.",
}
