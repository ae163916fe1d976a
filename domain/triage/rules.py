"""Rule engine: lexicon scores per domain plus the judgement rules of docs/inbox-labels.md."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from domain.text import fold_ascii, lazy_compile
from domain.triage.cities import CITIES, city_scores
from domain.triage.cleaning import BodyParts, split_body
from domain.triage.lexicon import BRANDS, FLAGS, PRESS_DOMAINS, RULES, WEBMAIL_DOMAINS
from domain.triage.prefilter import Matcher, build, word_prefixes
from domain.triage.text import MAX_CLASSIFY_CHARS

LABELS: tuple[str, ...] = ("spam", "finance", "communication", "website", "campaign", "secretariat")
PRECEDENCE = {label: rank for rank, label in enumerate(LABELS)}  # lower rank wins

CLEAR = 3.0  # a domain whose score reaches this is "clearly requested"

_PITCH_REASONS = frozenset(
    {
        "vente de produits",
        "prise de rendez-vous commercial",
        "conditions de vente",
        "offre de prestataire",
        "grille tarifaire",
        "vente de fichiers",
        "offre commerciale",
        "prix annoncé",
        "appel commercial",
        "démarchage",
        "prospection à froid",
        "produit de démarchage",
        "promesse commerciale",
        "pied de page marketing",
    }
)


@dataclass(frozen=True)
class _Rule:
    label: str
    weight: float
    reason: str
    regex: Matcher


_RULES: tuple[_Rule, ...] = tuple(_Rule(lab, w, why, build(p)) for lab, w, why, p in RULES)
_FLAGS: dict[str, Matcher] = {name: build(p) for name, p in FLAGS.items()}
newsroom_words = frozenset(
    {"presse", "interview", "adresse d'un média", "débat médiatique", "étudiant journaliste"}
)
_REPLY_SUBJECT = lazy_compile(r"^\s*(?:re|tr|fwd?|fw|aw|rep)\s*:")
# A brand named as a word of the display name (compiled once: this loop runs for every email).
_BRAND_WORDS = {brand: re.compile(r"(?<![a-z])" + re.escape(brand) + r"(?![a-z])") for brand in BRANDS}
_ADDRESS = lazy_compile(r"<?([\w.+'-]+)@([\w-]+(?:\.[\w-]+)+)>?")
_COMMERCIAL_LOCAL = lazy_compile(
    r"^(?:commercial|commerciale|sales|vente|ventes|marketing|business|offre|offres|promo|deals?|growth|bizdev"
    r"|partenariats?|partners?|prospection|devis|hello|bonjour|info|infos|newsletter|news|noreply|no-reply|contact|booking)$"
)
_BUSINESS_WORDS = lazy_compile(
    r"(?:agency|agence|studio|digital|media|marketing|conseil|consulting|solutions?|pro|print|imprim|express|"
    r"services?|group|groupe|factory|lab|web|sms|data|leads?|boost|growth|promo|goodies|sarl|sas|ltd|inc|llc)"
)


@dataclass
class Evidence:
    scores: dict[str, float]
    reasons: dict[str, list[str]]
    flags: set[str]
    city: str | None
    city_scores: dict[str, float]
    parts: BodyParts
    text: str  # folded text used for the learner
    sender_domain: str = ""
    sender_address: str = ""
    notes: list[str] = field(default_factory=list)


def _sender_info(sender: str) -> tuple[str, str, str]:
    """(display name folded, address, domain)."""
    folded = fold_ascii(sender or "")[:300]
    match = _ADDRESS.search(folded)
    if not match:
        return folded, "", ""
    address = f"{match.group(1)}@{match.group(2)}"
    display = folded[: match.start()].strip(' "<')
    return display, address, match.group(2)


def _domain_matches(domain: str, genuine: Iterable[str]) -> bool:
    return any(domain == g or domain.endswith("." + g) for g in genuine)


def analyse(
    sender: str,
    subject: str,
    body: object,
    extra_aliases: Mapping[str, Iterable[str]] | None = None,
) -> Evidence:
    subject = subject if isinstance(subject, str) else ("" if subject is None else str(subject))
    sender = sender if isinstance(sender, str) else ("" if sender is None else str(sender))
    subject = subject[:1000]
    parts = split_body(body, subject)
    subject_f = fold_ascii(subject)
    main_f = fold_ascii(parts.main[:MAX_CLASSIFY_CHARS])
    fwd_f = fold_ascii(parts.forwarded[: MAX_CLASSIFY_CHARS // 2])
    sig_f = fold_ascii(parts.signature[:600])
    context = ""
    if len(main_f.strip()) < 160 and not fwd_f.strip() and parts.quoted:
        # a one-line answer ("oui je viens") is about the message it answers
        context = parts.quoted[:1500]
    if _REPLY_SUBJECT.match(subject_f) and len(main_f.strip()) >= 120:
        # "Re: Votre reçu fiscal" names the old thread; what is asked now is in the new text (rule 1)
        context = f"{subject}\n{context}"
        text_f = f"{main_f}\n{fwd_f}"
    else:
        text_f = f"{subject_f}\n{main_f}\n{fwd_f}"
    context_f = fold_ascii(context)
    display, address, domain = _sender_info(sender)
    identity_f = f"{display}\n{sig_f}"

    text_p = word_prefixes(text_f)
    subject_p = word_prefixes(subject_f)
    context_p = word_prefixes(context_f) if context_f else set()
    identity_p = word_prefixes(identity_f)
    scores = dict.fromkeys(LABELS, 0.0)
    reasons: dict[str, list[str]] = {label: [] for label in LABELS}
    pitch = 0.0
    for rule in _RULES:
        if rule.regex.search(text_f, text_p):
            weight = rule.weight
            if rule.weight >= 2.5 and rule.regex.search(subject_f, subject_p):
                weight += 0.5
            scores[rule.label] += weight
            reasons[rule.label].append(rule.reason)
            if rule.reason in _PITCH_REASONS:
                pitch += weight
        elif context and rule.regex.search(context_f, context_p):
            scores[rule.label] += rule.weight * 0.5
            reasons[rule.label].append(rule.reason + " (message cité)")
        elif (
            rule.label in ("spam", "communication")
            and rule.weight >= 1.5
            and rule.regex.search(identity_f, identity_p)
        ):
            # signature and display name tell who writes (a newsroom, a sales team)
            scores[rule.label] += rule.weight * 0.5
            reasons[rule.label].append(rule.reason + " (signature)")
            if rule.reason in _PITCH_REASONS:
                pitch += rule.weight * 0.5
    flags = {name for name, regex in _FLAGS.items() if regex.search(text_f, text_p)}
    if _FLAGS["press"].search(identity_f, identity_p):
        flags.add("press")

    # --- the sender ---------------------------------------------------------------------------
    local = address.split("@", 1)[0] if address else ""
    if domain:
        if domain.endswith(PRESS_DOMAINS) or any(domain == d for d in PRESS_DOMAINS):
            flags.add("press")
            scores["communication"] += 1.5
            reasons["communication"].append("adresse d'un média")
        commercial_domain = domain not in WEBMAIL_DOMAINS and not domain.endswith(
            (".gouv.fr", ".edu", ".ac.fr", "univ-", "anouslademocratie.fr")
        )
        if commercial_domain and (_COMMERCIAL_LOCAL.match(local) or _BUSINESS_WORDS.search(domain)):
            flags.add("business_sender")
        for brand, genuine in BRANDS.items():
            in_display = brand in display and _BRAND_WORDS[brand].search(display) is not None
            in_domain = domain not in WEBMAIL_DOMAINS and brand.replace(" ", "") in domain.replace("-", "")
            if in_display or in_domain:
                if not _domain_matches(domain, genuine):
                    flags.add("lookalike")
                    scores["spam"] += 3.0
                    reasons["spam"].append(f"expéditeur se faisant passer pour {brand}")
                else:
                    flags.add("genuine_brand")
                break
        if re.search(
            r"domain|registr|renew|dns|hosting|heberg|nomdedomaine|renouvel", domain + " " + display
        ) and not _domain_matches(
            domain,
            (
                "gandi.net",
                "ovh.com",
                "ovh.net",
                "ionos.fr",
                "o2switch.fr",
                "infomaniak.com",
                "cloudflare.com",
            ),
        ):
            flags.add("lookalike")
            scores["spam"] += 2.0
            reasons["spam"].append("faux bureau d'enregistrement")
        if "univ" in domain or domain.endswith((".edu", ".ac.uk")) or domain.startswith("etu."):
            flags.add("academic_sender")

    if re.search(r"gouv|interieur|impots|ameli|prefecture|franceconnect", domain) and not domain.endswith(
        (".gouv.fr", "ameli.fr", "franceconnect.fr")
    ):
        flags.add("lookalike")
        scores["spam"] += 3.0
        reasons["spam"].append("faux service public")
    if "audience_feedback" in flags and "press" not in flags:
        scores["communication"] *= 0.3  # someone who heard us on the radio is not the radio
    if "local_group" in flags and scores["communication"] > 0:
        scores["communication"] = max(scores["communication"] - 3.0, 0.0)
    if (
        re.search(r"presiden|tresori|direct(?:eur|rice|ion)|coordinat|secretaire general|comptab", display)
        and (domain in WEBMAIL_DOMAINS)
        and re.search(r"virement|carte cadeau|cartes cadeaux|\brib\b|iban|paiement|reglement", text_f)
    ):
        scores["spam"] += 3.0
        reasons["spam"].append("usurpation d'un responsable")
    # --- spam is decided on the sender and intent ------------------------------------------------
    if domain and (domain.endswith(PRESS_DOMAINS) or domain in PRESS_DOMAINS):
        scores["spam"] -= pitch  # a newsroom offering a slot is not selling
        pitch = 0.0
    fraud = scores["spam"] - pitch
    if "business_sender" in flags and pitch > 0:
        pitch += 1.0
        reasons["spam"].append("expéditeur commercial")
    priced = {"prix annoncé", "grille tarifaire", "conditions de vente"}.intersection(reasons["spam"])
    if "volunteer_offer" in flags and not priced:  # "a free audit" in a priced pitch is no gift
        pitch -= 2.5
    if "own_money" in flags:
        pitch -= 1.5
    if "risky_attachment" in flags and "fausse facture" in reasons["spam"]:
        fraud += 2.0  # an "invoice" in a .zip is never a real supplier's
        flags.discard("legit_relation")
    if "legit_relation" in flags:
        pitch -= 3.0
        # fraudsters quote real-looking invoice numbers: that is no relation
        scam = {
            "fraude au changement de RIB",
            "renouvellement factice",
            "fausse facture",
            "facture à payer par lien",
        }.intersection(reasons["spam"])
        fraud -= 1.0 if "lookalike" not in flags and not scam else 0.0
    if "genuine_brand" in flags:
        fraud -= 2.0
    pitch = max(pitch, 0.0)
    if pitch < 2.5:
        pitch *= 0.5  # one commercial word is not a pitch
    spam = pitch + max(fraud, 0.0)
    if "suspicious_report" in flags:
        spam *= 0.2
        scores["secretariat"] += 1.0
    scores["spam"] = spam

    # --- money: the press asks for publication, donors for an operation (rule 4) -----------------
    if "press" in flags and "own_money" not in flags and scores["finance"] > 0:
        moved = min(scores["finance"], 3.0)
        scores["finance"] *= 0.15
        scores["communication"] += 0.5 * moved
        reasons["communication"].append("question d'argent posée par la presse")
    # --- a free offer is neither an invoice nor a pitch (rule 3) ---------------------------------
    if "no_charge" in flags and "own_money" not in flags:
        scores["finance"] *= 0.3
        scores["spam"] *= 0.3
    # --- a member's own new bank details are finance, not "new bank details" fraud ---------------
    if (
        "fraude au changement de RIB" in reasons["spam"]
        and re.search(
            r"(?:mon|ma|mes) (?:prelevement|cotisation|adhesion|don|nouveau rib|nouvel iban)|prelever ma|mandat sepa",
            text_f,
        )
        and not re.search(r"(?:notre|nos) (?:facture|reglement)|reglement de (?:la|notre) facture", text_f)
    ):
        scores["spam"] = max(scores["spam"] - 3.0, 0.0)
        reasons["spam"].remove("fraude au changement de RIB")
    # --- own failed payment on the site is finance (rule 5) -------------------------------------
    if "nothing_paid" in flags:
        flags.discard("own_payment_problem")
        scores["finance"] *= 0.3
    if "own_payment_problem" in flags:
        scores["finance"] += 2.5
        reasons["finance"].append("paiement personnel en échec")
    elif "own_money" in flags and scores["finance"] > 0:
        scores["finance"] += 1.0
    elif "bug du site" in reasons["website"] and "own_money" not in flags and scores["finance"] > 0:
        # a site problem reported without a payment of one's own is website
        scores["finance"] *= 0.4
    # --- newsletter vs personal data (rule 6) ----------------------------------------------------
    if "rgpd" in flags and re.search(
        r"effac|suppr|acces|toutes? (?:mes|les) donnees|ensemble de mes|article (?:15|17)|copie", text_f
    ):
        scores["website"] *= 0.3
        scores["finance"] *= 0.3  # "l'historique des dons" is data to erase, not a money operation
        scores["secretariat"] += 2.0
        reasons["secretariat"].append("demande RGPD formelle")
    # --- researchers vs publishers (rule 11) -----------------------------------------------------
    if "research" in flags and ("press" not in flags or "not_published" in flags):
        scores["communication"] *= 0.35
        scores["secretariat"] += 1.0
        if not re.search(
            r"(?:me|se) (?:porter|presenter) candidat|(?:sur|rejoindre) (?:votre|la) liste", text_f
        ):
            scores["campaign"] *= 0.35
    # --- co-signing a press text vs joining a petition (rule 9) ---------------------------------
    if "co_sign_press" in flags:
        scores["communication"] += 1.0
        if scores["secretariat"] > 0 and "petition" in flags:
            scores["secretariat"] -= 1.5
    elif "petition" in flags and "press" not in flags:
        scores["communication"] *= 0.5

    # --- the press as where the sender read the news, not as who writes (rule 1) -----------------
    if "press_mention" in flags and "press" not in flags and set(reasons["communication"]) <= {"presse"}:
        scores["communication"] *= 0.3
    # --- an opinion on a published national text is about the movement, not a press request ------
    if (
        "position nationale" in reasons["secretariat"]
        and "press" not in flags
        and set(reasons["communication"]) <= {"communiqué / tribune"}
    ):
        scores["communication"] *= 0.3
    # --- a bounce forwarded by a person is a mail-delivery problem, not phishing (rule 3) ---------
    if "bounce" in flags and not re.search(r"mailer-daemon|postmaster|no-?reply", address):
        scores["spam"] *= 0.3
    # --- co-signatories of a motion are the association's governance, not a press text ----------
    if "gouvernance" in reasons["secretariat"] and re.search(r"\bmotions?\b", text_f):
        scores["communication"] *= 0.3
    # --- the member file, not the newsletter, holds postal addresses (rule 6) --------------------
    if "fichier des adhérents" in reasons["secretariat"] and "newsletter" not in flags:
        scores["website"] *= 0.3
    elif "fichier des adhérents" in reasons["secretariat"] and "rgpd" not in flags:
        # ...and the newsletter's own address file is the website's
        scores["secretariat"] *= 0.3
        scores["website"] += 1.5
    # --- a text or a bug of the site (bio, banner) is the website's, however visual (rule 1) ----
    site_text = {"contenu du site", "bug du site"}.intersection(reasons["website"])
    if site_text and set(reasons["communication"]) <= {
        "visuels et vidéos",
        "image",
    }:
        scores["communication"] *= 0.3
    # --- a lawyer's letter is the secretariat's, whatever it mentions (rule 12) ------------------
    if "legal_letter" in flags and scores["spam"] < CLEAR:
        for label in ("communication", "website", "campaign"):
            scores[label] *= 0.3
        if not re.search(r"(?:montant|somme|facture|reglement) (?:de|d'un montant de) \d", text_f):
            scores["finance"] *= 0.3
        scores["secretariat"] += 2.0
        reasons["secretariat"].append("courrier d'avocat")
    # --- a local association's questionnaire or debate is the campaign's (rules 7 and 8) --------
    broadcaster = re.search(r"radio|\btv\b|tele|\bfm\b|media|journal|magazine|presse", display + " " + domain)
    if (
        "débat local" in reasons["campaign"]
        and not newsroom_words.intersection(reasons["communication"])
        and not broadcaster
    ):
        scores["communication"] *= 0.4  # an association's blog or leaflet is not the press
    if "not_joining" in flags:
        scores["campaign"] *= 0.3
    # --- campaign needs one of the eight cities as the object (rule 7) ---------------------------
    city_text = f"{subject}\n{parts.main[:MAX_CLASSIFY_CHARS]}\n{parts.forwarded[: MAX_CLASSIFY_CHARS // 2]}\n{context}"
    cscores = city_scores(city_text, extra_aliases, original=city_text)
    best_city = None
    best = 0.0
    for city in CITIES:
        value = cscores.get(city, 0.0)
        if value > best:
            best_city, best = city, value
    outside = cscores.get("", 0.0)
    if best_city is None or outside > best + 0.25:
        if scores["campaign"] > 0:
            scores["secretariat"] += min(scores["campaign"], 4.0) * 0.5
            reasons["secretariat"].append("ville hors des huit" if outside else "aucune ville précise")
        scores["campaign"] *= 0.15
        best_city = None if best_city is None or outside > best + 0.25 else best_city
    else:
        scores["campaign"] += 1.0 if best >= 1.0 else 0.5
        reasons["campaign"].append(f"ville : {best_city}")
        named = [c for c in CITIES if cscores.get(c, 0.0) >= 0.9]
        local_debate = "débat local" in reasons["campaign"] and len(named) == 1
        if ("all_lists" in flags and not local_debate) or len(named) >= 3:
            scores["campaign"] *= 0.35
            scores["secretariat"] += 1.5
            reasons["secretariat"].append("question générale sur les listes")
    if "not_campaign" in flags:
        scores["campaign"] *= 0.2
        scores["secretariat"] += 2.0

    # secretariat is the default domain
    scores["secretariat"] += 1.0
    for label in LABELS:
        scores[label] = max(scores[label], 0.0)
    return Evidence(
        scores=scores,
        reasons=reasons,
        flags=flags,
        city=best_city,
        city_scores=cscores,
        parts=parts,
        text=text_f,
        sender_domain=domain,
        sender_address=address,
    )
