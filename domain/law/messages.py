"""The findings in words: one template per code, French and English, with the same placeholders.

`finding_params(f, lang)` turns a finding's raw params into text for a language (amounts via
`format_eur`, dates via babel, field names translated); `finding_message(f, lang)` does the whole
thing. Pure.
"""

from __future__ import annotations

from datetime import date

from domain.dates.formatting import format_date_babel as format_date  # babel: lazily
from domain.law.model import Finding
from domain.money import format_eur

_PENALTY_FR = "Peine encourue : 3 ans d'emprisonnement et 45 000 € d'amende."
_PENALTY_EN = "Penalty: 3 years' imprisonment and a €45,000 fine."

FINDING_CODES: dict[str, str] = {
    # Blocks.
    "invalid_amount": "Montant invalide ({amount}) : un versement doit être strictement positif.",
    "invalid_kind": "Type de versement inconnu « {kind} » : don, cotisation ou cotisation d'élu (une quête est en espèces, sans donateur).",
    "invalid_method": "Mode de paiement inconnu « {method} » : chèque, virement, carte, prélèvement, espèces ou plateforme.",
    "cotisation_on_campaign": "Une cotisation ne peut pas être versée à la liste de {city} : enregistrez-la au parti, ou comme don à la liste ({article}).",
    "legal_person": f"{{name}} est une personne morale : seules les personnes physiques peuvent donner ou cotiser ({{article}}). {_PENALTY_FR}",
    "party_money_not_1988": f"{{name}} n'est pas un parti au sens de la loi 88-227 : personne morale, il ne peut pas financer la liste de {{city}} ({{article}}). {_PENALTY_FR}",
    "paid_by_legal_person": f"Versement payé depuis le compte ou la carte d'une société ou d'une association : le payeur doit être le donateur ({{article}}). {_PENALTY_FR}",
    "donor_unidentified": f"Versement de {{amount}} sans donateur identifié : les dons anonymes sont interdits ({{article}}). {_PENALTY_FR}",
    "donor_identity_incomplete": "Donateur insuffisamment identifié, il manque : {missing}. Prénom, nom, adresse fiscale complète et nationalité sont obligatoires ({article}).",
    "donor_not_eligible": f"Donateur ni de nationalité française ni résident en France (nationalité : {{nationality}} ; résidence : {{residence}}) : don interdit ({{article}}). {_PENALTY_FR}",
    "cash_over_max": f"Versement en espèces de {{amount}} : au-delà de {{max}}, seuls chèque, virement, prélèvement ou carte sont autorisés ({{article}}). {_PENALTY_FR}",
    "wrong_account": "Versement reçu sur le compte {account} au lieu du compte unique du mandataire ({expected}) ({article}).",
    "party_cap_exceeded": f"Avec ce versement de {{amount}}, ce donateur atteint {{total}} de dons et cotisations au parti en {{year}} : le plafond légal est de {{cap}} par personne et par an ({{article}}). {_PENALTY_FR}",
    "campaign_no_mandataire": f"{{city}} compte {{population}} habitants (seuil {{threshold}}) : aucun don ne peut être recueilli sans mandataire financier déclaré ({{article}}). {_PENALTY_FR}",
    "campaign_before_window": "Don du {date} avant l'ouverture de la période de collecte le {start} ({article}).",
    "campaign_after_window": "Don du {date} après la fin de la période de collecte le {end} ({article}).",
    "campaign_account_filed": "Don du {date} reçu après le dépôt du compte de campagne le {filed} : la liste ne peut plus recevoir de dons ({article}).",
    "campaign_cap_exceeded": f"Avec ce don de {{amount}}, ce donateur atteint {{total}} pour l'élection {{election}}, toutes listes du mouvement confondues : le plafond est de {{cap}} par personne et par élection ({{article}}). {_PENALTY_FR}",
    "campaign_cash_total_exceeded": f"Avec ces espèces, la liste de {{city}} atteint {{total}} reçus en espèces, au-delà de {{cap}} ({{share}} % du plafond de dépenses de {{ceiling}}) ({{article}}). {_PENALTY_FR}",
    # Warnings.
    "received_in_future": "Date de réception ({date}) postérieure à aujourd'hui : vérifiez la date.",
    "party_cap_near": "Ce donateur atteint {total} de dons et cotisations au parti en {year}, pour un plafond légal de {cap} tous partis confondus : vérifiez avant tout nouveau versement ({article}).",
    "cash_split_suspected": "Plusieurs versements en espèces de ce donateur en {days} jours, {total} au total : possible fractionnement pour contourner la limite de {max} ({article}).",
    "campaign_cash_total_near": "Avec ces espèces, la liste de {city} atteint {total} reçus en espèces, soit {percent} % de la limite de {cap} ({share} % du plafond de dépenses) ({article}).",
    "campaign_ceiling_unknown": "Plafond officiel de dépenses de {city} non renseigné : impossible de vérifier la limite des espèces ; saisissez celui de l'arrêté préfectoral ({article}).",
    "campaign_population_unknown": "Population de {city} non renseignée : impossible de savoir si mandataire, plafond et compte de campagne sont obligatoires (seuil {threshold} habitants, {article}).",
    "campaign_no_tax_reduction": "{city} compte moins de {threshold} habitants : ce don n'ouvre droit à aucune réduction d'impôt ({article}).",
    "no_tax_receipt": "Le mouvement n'est pas un parti au sens de la loi 88-227 : aucun reçu fiscal, donc aucune réduction d'impôt pour ce versement ({article}).",
    "tax_reduction_suspended": "Réduction d'impôt suspendue jusqu'au {until} (sanction de la CNCCFP) : le reçu doit le mentionner ({article}).",
    "no_tax_reduction_consideration": "Versement avec contrepartie (billet, objet…) : il n'ouvre pas droit à réduction d'impôt ({article}).",
    "list_member_apport": "Le donateur est membre de la liste de {city} : son versement est un apport personnel, à reclasser comme tel (sans plafond, mais via le mandataire) ({article}).",
    "elu_cotisation_without_mandate": "Cotisation d'élu sans mandat électif enregistré : elle reste hors du plafond de {cap}, mais notez le mandat de l'élu (fonction et assemblée), il figure sur le reçu et dans la liste CNCCFP ({article}).",
    "cotisation_above_fee": "Cotisation de {amount} supérieure à la cotisation statutaire de {fee} : l'excédent de {excess} est à traiter comme un don ({article}).",
    "earmarked_party_don": "Don au parti fléché vers la liste {target} : le traitement des dons fléchés par la CNCCFP n'est pas confirmé, vérifiez avec le mandataire ({article}).",
    "unidentified_cash_party": "Quête en espèces sans donateur identifié : ce n'est pas un don au parti, elle est enregistrée à part (sans reçu, hors totaux des dons) ; les textes ne prévoient pas les quêtes pour un parti, faites valider ce choix par le mandataire ({article}).",
    "campaign_collection": "Espèces sans donateur identifié : si c'est une quête (réunion, marché), elle est permise mais compte dans la limite des espèces ; sinon identifiez le donateur ({article}).",
    "platform_tx_missing": "Paiement par plateforme sans identifiant de transaction : il est indispensable pour la traçabilité et le rapprochement bancaire ({article}).",
    "sworn_declaration_missing": "Déclaration sur l'honneur du donateur non enregistrée ({statement}) : recueillez-la et notez sa date ({article}).",
}

FINDING_CODES_EN: dict[str, str] = {
    "invalid_amount": "Invalid amount ({amount}): a payment must be positive.",
    "invalid_kind": "Unknown payment kind “{kind}”: don, cotisation or elected official's cotisation (a collection is cash, with no donor).",
    "invalid_method": "Unknown payment method “{method}”: cheque, transfer, card, direct debit, cash or platform.",
    "cotisation_on_campaign": "A membership fee cannot be paid to the {city} list: book it to the party, or as a gift to the list ({article}).",
    "legal_person": f"{{name}} is a legal person: only natural persons may give or pay fees ({{article}}). {_PENALTY_EN}",
    "party_money_not_1988": f"{{name}} is not a party under loi 88-227: as a legal person it may not fund the {{city}} list ({{article}}). {_PENALTY_EN}",
    "paid_by_legal_person": f"Paid from a company's or association's account or card: the payer must be the donor ({{article}}). {_PENALTY_EN}",
    "donor_unidentified": f"Payment of {{amount}} with no identified donor: anonymous gifts are forbidden ({{article}}). {_PENALTY_EN}",
    "donor_identity_incomplete": "Donor not fully identified, missing: {missing}. First name, last name, full tax address and nationality are required ({article}).",
    "donor_not_eligible": f"Donor neither French nor resident in France (nationality: {{nationality}}; residence: {{residence}}): gift forbidden ({{article}}). {_PENALTY_EN}",
    "cash_over_max": f"Cash payment of {{amount}}: above {{max}}, only cheque, transfer, direct debit or card are allowed ({{article}}). {_PENALTY_EN}",
    "wrong_account": "Paid into account {account} instead of the mandataire's single account ({expected}) ({article}).",
    "party_cap_exceeded": f"With this payment of {{amount}}, this donor reaches {{total}} in gifts and fees to the party in {{year}}: the legal cap is {{cap}} per person per year ({{article}}). {_PENALTY_EN}",
    "campaign_no_mandataire": f"{{city}} has {{population}} inhabitants (threshold {{threshold}}): no gift may be collected without a declared mandataire ({{article}}). {_PENALTY_EN}",
    "campaign_before_window": "Gift of {date} before the collection period opens on {start} ({article}).",
    "campaign_after_window": "Gift of {date} after the collection period ended on {end} ({article}).",
    "campaign_account_filed": "Gift of {date} received after the campaign account was filed on {filed}: the list may no longer receive gifts ({article}).",
    "campaign_cap_exceeded": f"With this gift of {{amount}}, this donor reaches {{total}} for election {{election}}, across all the movement's lists: the cap is {{cap}} per person per election ({{article}}). {_PENALTY_EN}",
    "campaign_cash_total_exceeded": f"With this cash, the {{city}} list reaches {{total}} received in cash, above {{cap}} ({{share}} % of the {{ceiling}} spending ceiling) ({{article}}). {_PENALTY_EN}",
    "received_in_future": "Date received ({date}) is after today: check the date.",
    "party_cap_near": "This donor reaches {total} in gifts and fees to the party in {year}, against a legal cap of {cap} across all parties: check before any further payment ({article}).",
    "cash_split_suspected": "Several cash payments by this donor within {days} days, {total} in all: possible splitting to get round the {max} limit ({article}).",
    "campaign_cash_total_near": "With this cash, the {city} list reaches {total} received in cash, {percent} % of the {cap} limit ({share} % of the spending ceiling) ({article}).",
    "campaign_ceiling_unknown": "Official spending ceiling for {city} not set: the cash limit cannot be checked; enter the one from the préfecture's order ({article}).",
    "campaign_population_unknown": "Population of {city} not set: cannot tell whether a mandataire, ceiling and campaign account are required (threshold {threshold} inhabitants, {article}).",
    "campaign_no_tax_reduction": "{city} has fewer than {threshold} inhabitants: this gift gives no tax reduction ({article}).",
    "no_tax_receipt": "The movement is not a party under loi 88-227: no tax receipt, so no tax reduction for this payment ({article}).",
    "tax_reduction_suspended": "Tax reduction suspended until {until} (CNCCFP sanction): the receipt must say so ({article}).",
    "no_tax_reduction_consideration": "Payment with something in return (ticket, goods…): no tax reduction ({article}).",
    "list_member_apport": "The donor is a member of the {city} list: the payment is a personal contribution (apport personnel), to be reclassified as such (no cap, but through the mandataire) ({article}).",
    "elu_cotisation_without_mandate": "Elected official's fee with no elected mandate recorded: it stays outside the {cap} cap, but record the mandate (office and body): it goes on the receipt and the CNCCFP list ({article}).",
    "cotisation_above_fee": "Fee of {amount} above the statutory fee of {fee}: the excess of {excess} is to be treated as a gift ({article}).",
    "earmarked_party_don": "Party gift earmarked for the {target} list: how the CNCCFP treats earmarked gifts is not confirmed, check with the mandataire ({article}).",
    "unidentified_cash_party": "Cash collection with no identified donor: it is not a gift to the party and is recorded apart (no receipt, outside the gift totals); the texts do not cover collections for a party, have the mandataire confirm this choice ({article}).",
    "campaign_collection": "Cash with no identified donor: a collection (meeting, market) is allowed but counts towards the cash limit; otherwise identify the donor ({article}).",
    "platform_tx_missing": "Platform payment without a transaction id: it is required for traceability and bank reconciliation ({article}).",
    "sworn_declaration_missing": "Donor's sworn declaration not recorded ({statement}): collect it and note its date ({article}).",
}

# Params holding cents or dates, rendered per language by `finding_params`.
MONEY_PARAMS = frozenset({"amount", "total", "cap", "max", "ceiling", "fee", "excess"})
DATE_PARAMS = frozenset({"date", "start", "end", "filed", "until"})

_FIELD_LABELS = {
    "first_name": ("prénom", "first name"),
    "last_name": ("nom", "last name"),
    "address": ("adresse", "address"),
    "postcode": ("code postal", "postcode"),
    "city": ("ville", "town"),
    "country": ("pays", "country"),
    "nationality": ("nationalité", "nationality"),
}
_STATEMENTS = {
    "party": (
        "total de ses dons et cotisations à tous les partis ≤ 7 500 € par an",
        "total to all parties ≤ €7,500 a year",
    ),
    "campaign": ("personne physique, fonds personnels", "natural person, own funds"),
}


def finding_params(finding: Finding, lang: str = "fr") -> dict[str, str]:
    """`finding.params` as text for `lang`: cents as euros, dates in words, field names translated."""
    en = lang == "en"
    out: dict[str, str] = {}
    for key, value in finding.params.items():
        if key in MONEY_PARAMS and isinstance(value, int):
            out[key] = format_eur(value, lang)
        elif key in DATE_PARAMS and isinstance(value, date | str):
            out[key] = _format_day(value, lang)
        elif key == "missing" and isinstance(value, list | tuple):
            out[key] = ", ".join(_FIELD_LABELS.get(f, (f, f))[en] for f in value)
        elif key == "statement":
            out[key] = _STATEMENTS.get(value, (value, value))[en]
        elif value is None:
            out[key] = "?"
        else:
            out[key] = str(value)
    return out


def finding_message(finding: Finding, lang: str = "fr") -> str:
    templates = FINDING_CODES_EN if lang == "en" else FINDING_CODES
    return templates[finding.code].format(**finding_params(finding, lang))


def _format_day(value: date | str, lang: str) -> str:
    try:
        day = value if isinstance(value, date) else date.fromisoformat(value)
    except ValueError:
        return str(value)
    return format_date(day, "long", locale="en_US" if lang == "en" else "fr_FR")
