"""Tests of the email triage (domain/triage): tables of hand-written emails per judgement rule,
cleaning, cities, learning, persistence, evaluation report, CLI and robustness."""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.text import fold_ascii
from domain.triage import (
    CITIES,
    DEFAULT_THRESHOLD,
    LABELS,
    Email,
    Prediction,
    Triage,
    clean_body,
    evaluate,
    find_city,
    format_report,
    load_jsonl,
)
from domain.triage.lexicon import FLAGS, RULES
from domain.triage.prefilter import build, factors, word_prefixes

HERE = Path(__file__).resolve().parent


def _load(name: str, attribute: str) -> list[Any]:
    spec = importlib.util.spec_from_file_location(f"_triage_{name}", HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases: list[Any] = getattr(module, attribute)
    return cases


CASES = _load("test_triage_cases", "CASES")
HOLDOUTS = (
    _load("test_triage_holdout", "HOLDOUT")
    + _load("test_triage_holdout2", "HOLDOUT2")
    + _load("test_triage_holdout3", "HOLDOUT3")
    + _load("test_triage_holdout4", "HOLDOUT4")
)


def _rows(cases: list[Any], prefix: str) -> list[dict[str, Any]]:
    return [
        {"id": f"{prefix}-{i:03d}", "from": c[0], "subject": c[1], "body": c[2], "label": c[3], "city": c[4]}
        for i, c in enumerate(cases)
    ]


def _sample_path() -> Path | None:
    for candidate in (
        HERE.parents[2] / "shared" / "data" / "emails_public_sample.jsonl",
        Path("/work/shared/data/emails_public_sample.jsonl"),
    ):
        if candidate.exists():
            return candidate
    return None


SAMPLE = _sample_path()
needs_sample = pytest.mark.skipif(SAMPLE is None, reason="échantillon public absent")


@pytest.fixture(scope="module")
def rules_model() -> Triage:
    return Triage()


# --- the table of hand-written emails ------------------------------------------------------------


def test_case_table_covers_every_label_and_city() -> None:
    assert len(CASES) >= 60
    assert {c[3] for c in CASES} == set(LABELS)
    assert len({c[4] for c in CASES if c[3] == "campaign"}) >= 6
    for case in CASES:
        assert case[3] in LABELS
        assert (case[4] in CITIES) == (case[3] == "campaign")


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}-{c[1][:30]}" for i, c in enumerate(CASES)])
def test_hand_written_case(case: tuple[str, str, str, str, str | None], rules_model: Triage) -> None:
    sender, subject, body, label, city = case
    prediction = rules_model.predict(Email("t", sender, subject, body))
    assert (prediction.label, prediction.city) == (label, city), prediction.reasons


def test_holdout_batches_reach_a_floor(rules_model: Triage) -> None:
    rows = _rows(HOLDOUTS, "ho")
    report = evaluate(rules_model, rows, DEFAULT_THRESHOLD)
    assert report.accuracy >= 0.9, format_report(report)
    assert report.automatic_accuracy >= 0.95, format_report(report)


# --- targeted judgement rules ----------------------------------------------------------------------


def _predict(sender: str, subject: str, body: str, model: Triage | None = None) -> Prediction:
    return (model or Triage()).predict(Email("x", sender, subject, body))


def test_precedence_finance_over_campaign() -> None:
    p = _predict(
        "Romain <romain@gmail.com>",
        "samedi",
        "Je serai au tractage de samedi à la Croix-Rousse. Par contre je n'ai pas reçu mon reçu fiscal pour mon don.",
    )
    assert p.label == "finance" and p.city is None


def test_precedence_website_over_campaign_for_candidate_bio() -> None:
    p = _predict(
        "Claire <claire@gmail.com>",
        "bio",
        "Candidate à Nantes, pouvez-vous corriger ma bio sur le site ? Mon métier est faux.",
    )
    assert p.label == "website"


def test_press_money_is_communication_but_donor_money_is_finance() -> None:
    press = _predict(
        "A <a.b@20minutes.fr>",
        "dons",
        "Journaliste à 20 Minutes : combien avez-vous récolté et à quoi servent les dons ?",
    )
    donor = _predict(
        "B <b@gmail.com>", "dons", "Avant de renouveler mon don, je voudrais savoir à quoi sert mon argent."
    )
    own = _predict(
        "C <c@lemonde.fr>",
        "reçu",
        "Journaliste, je vous écris pour mon propre don : je n'ai pas eu mon reçu fiscal.",
    )
    assert (press.label, donor.label, own.label) == ("communication", "finance", "finance")


def test_cold_pitch_is_spam_but_ordered_printer_is_finance() -> None:
    pitch = _predict(
        "Imprim Pro <commercial@imprim-pro.fr>",
        "Offre tracts Lille",
        "Nous avons vu que votre liste se présente à Lille : 5 000 tracts pour 99 € HT, devis gratuit !",
    )
    invoice = _predict(
        "Imprimerie Dupont <compta@imprimerie-dupont.fr>",
        "Facture commande 221",
        "Bonjour, suite à votre commande du 3 décembre, voici la facture n° 221 de 480 € TTC pour les tracts.",
    )
    assert (pitch.label, invoice.label) == ("spam", "finance")


def test_genuine_registrar_is_website_lookalike_is_spam() -> None:
    real = _predict(
        "Gandi <noreply@gandi.net>",
        "Expiration",
        "Votre domaine anouslademocratie.fr expire dans 30 jours, renouvelez-le depuis votre compte Gandi.",
    )
    fake = _predict(
        "Domain Services <renew@domain-renewal-center.com>",
        "Expiration",
        "Avis final : votre nom de domaine expire. Payez 89 € maintenant sinon il sera attribué à un tiers.",
    )
    assert (real.label, fake.label) == ("website", "spam")


def test_free_offers_are_not_spam() -> None:
    p = _predict(
        "Avocate <avocate@gmail.com>",
        "aide juridique",
        "Avocate, je vous propose bénévolement de relire vos statuts, gratuitement.",
    )
    assert p.label != "spam"


def test_own_failed_payment_is_finance_site_problem_is_website() -> None:
    own = _predict(
        "D <d@gmail.com>",
        "erreur",
        "J'ai voulu payer ma cotisation sur le site, erreur 500, et j'ai été débité.",
    )
    site = _predict(
        "E <e@gmail.com>",
        "certificat",
        "Le certificat de la page d'adhésion est expiré, le navigateur affiche une alerte.",
    )
    assert (own.label, site.label) == ("finance", "website")


def test_newsletter_vs_rgpd() -> None:
    unsubscribe = _predict("F <f@gmail.com>", "stop", "Merci de me désinscrire de la newsletter.")
    erase = _predict(
        "G <g@gmail.com>",
        "RGPD",
        "En vertu du RGPD, je demande l'effacement de toutes mes données personnelles.",
    )
    assert (unsubscribe.label, erase.label) == ("website", "secretariat")


def test_city_outside_the_eight_is_secretariat() -> None:
    for city in ("Bordeaux", "Montpellier", "Dijon", "Brest", "Angers"):
        p = _predict(
            "H <h@gmail.com>", "aider", f"Je voudrais faire du porte-à-porte pour la liste à {city}."
        )
        assert p.label == "secretariat" and p.city is None, city


def test_media_debate_is_communication_local_association_debate_is_campaign() -> None:
    media = _predict(
        "France 3 <redaction@francetv.fr>",
        "débat",
        "France 3 organise un débat télévisé entre les têtes de liste de Rennes.",
    )
    local = _predict(
        "Asso Vélo <contact@velo-rennes.org>",
        "débat",
        "Notre association invite les listes rennaises à un débat sur le vélo au Blosne.",
    )
    assert media.label == "communication"
    assert (local.label, local.city) == ("campaign", "Rennes")


def test_tribune_vs_petition() -> None:
    tribune = _predict(
        "I <i@collectif.org>", "tribune", "Voulez-vous cosigner notre tribune qui paraîtra dans la presse ?"
    )
    petition = _predict(
        "J <j@collectif.org>", "pétition", "Notre collectif vous invite à signer notre pétition nationale."
    )
    assert (tribune.label, petition.label) == ("communication", "secretariat")


def test_channels_public_vs_local_group() -> None:
    public = _predict(
        "K <k@gmail.com>", "whatsapp", "Avez-vous une chaîne WhatsApp publique pour suivre le mouvement ?"
    )
    local = _predict(
        "L <l@gmail.com>", "whatsapp", "Ajoutez-moi au groupe WhatsApp des bénévoles de Toulouse svp."
    )
    assert public.label == "communication"
    assert (local.label, local.city) == ("campaign", "Toulouse")


def test_researcher_vs_student_journalist() -> None:
    research = _predict(
        "M <m@univ-lyon2.fr>",
        "mémoire",
        "Étudiante en master, je rédige un mémoire et souhaite un entretien.",
    )
    journalist = _predict(
        "N <n@gmail.com>",
        "reportage",
        "Étudiant en école de journalisme, je prépare un reportage radio sur vous.",
    )
    assert (research.label, journalist.label) == ("secretariat", "communication")


def test_moving_city_goes_to_the_destination() -> None:
    p = _predict(
        "O <o@gmail.com>",
        "déménagement",
        "Je quitte Lyon pour Nantes en janvier et je veux aider la liste nantaise.",
    )
    assert (p.label, p.city) == ("campaign", "Nantes")


def test_signature_city_does_not_make_campaign() -> None:
    p = _predict(
        "P <p@gmail.com>",
        "question",
        "Comment adhérer au mouvement ?\n\nCordialement,\nPaul\nBénévole liste de Lyon\n06 12 34 56 78",
    )
    assert p.label == "secretariat"


def test_prediction_shape(rules_model: Triage) -> None:
    p = rules_model.predict(
        {"id": "1", "from": "a <a@b.fr>", "subject": "reçu fiscal", "body": "mon reçu fiscal ?"}
    )
    assert p.label in LABELS and 0.0 <= p.confidence <= 1.0 and isinstance(p.reasons, tuple) and p.reasons


# --- cleaning -------------------------------------------------------------------------------------


def test_clean_removes_quoted_reply_and_gmail_header() -> None:
    body = "Oui, je viens samedi.\n\nLe lun. 1 déc. 2026 à 09:00, Liste Lyon <lyon@x.fr> a écrit :\n> Qui vient samedi ?\n> Merci"
    assert clean_body(body) == "Oui, je viens samedi."


def test_clean_removes_english_and_outlook_history() -> None:
    body = "Thanks, see you.\n\nOn Mon, Dec 1, 2026 at 9:00 AM Bob <bob@x.org> wrote:\n> Hello"
    assert clean_body(body) == "Thanks, see you."
    body = "Bien reçu.\n\n-----Original Message-----\nFrom: Bob\nSent: Monday\nSubject: test\n\nold text"
    assert clean_body(body) == "Bien reçu."
    body = "Parfait.\n\nDe : Jean Dupont <j@x.fr>\nEnvoyé : lundi 1 décembre 2026 09:00\nÀ : contact\nObjet : RE: salle\n\nancien message"
    assert clean_body(body) == "Parfait."


def test_clean_removes_signatures_phones_and_footers() -> None:
    body = (
        "Je peux tenir le stand dimanche.\n\nCordialement,\nMarie Durand\nListe de Lille\nTél. : 06 12 34 56 78\n\n"
        "Ce message et toutes les pièces jointes sont confidentiels."
    )
    assert clean_body(body) == "Je peux tenir le stand dimanche."
    body = "Voici ma question sur le reçu.\n-- \nJean\nwww.example.org"
    assert clean_body(body) == "Voici ma question sur le reçu."
    body = "Merci pour l'info.\n\nEnvoyé de mon iPhone"
    assert clean_body(body) == "Merci pour l'info."


def test_clean_keeps_forwarded_content_marked() -> None:
    body = (
        "Pouvez-vous régler cette facture ?\n\n---------- Forwarded message ---------\n"
        "De : Imprimerie <compta@imprimerie.fr>\nDate : 2 déc. 2026\nObjet : Facture 311\n\n"
        "Veuillez trouver la facture 311 de 640 €.\n\nCordialement,\nLa compta"
    )
    cleaned = clean_body(body, "TR: Facture")
    assert cleaned.startswith("Pouvez-vous régler cette facture ?")
    assert "[transféré] De : Imprimerie <compta@imprimerie.fr>" in cleaned
    assert "[transféré] Objet : Facture 311" in cleaned
    assert "Veuillez trouver la facture 311 de 640 €." in cleaned
    assert "La compta" not in cleaned


def test_clean_keeps_ps_after_signature() -> None:
    body = "Je viens samedi.\n\nBises,\nAnne\n\nPS : je n'ai pas reçu mon reçu fiscal, vous pouvez vérifier s'il vous plaît ?"
    cleaned = clean_body(body)
    assert "Je viens samedi." in cleaned and "reçu fiscal" in cleaned and "Anne" not in cleaned


def test_clean_html_only_and_odd_encodings() -> None:
    html = "<html><body><p>Bonjour,<br>je veux me d&eacute;sinscrire.</p><blockquote>ancien</blockquote></body></html>"
    assert clean_body(html) == "Bonjour,\nje veux me désinscrire."
    assert (
        clean_body("Je voudrais un re=C3=A7u fiscal pour mon don =C3=A0 la liste")
        == "Je voudrais un reçu fiscal pour mon don à la liste"
    )
    assert clean_body("Je voudrais un reÃ§u fiscal") == "Je voudrais un reçu fiscal"
    assert clean_body("reçu".encode()) == "reçu"
    assert clean_body("re\xe7u".encode("latin-1")) == "reçu"
    assert clean_body(None) == "" and clean_body("") == ""


def test_huge_body_is_capped() -> None:
    body = "Bonjour, " + "x" * 1_000_000
    assert len(clean_body(body)) <= 4000
    p = Triage().predict(Email("big", "a <a@b.fr>", "gros", body))
    assert p.label in LABELS


# --- cities ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("J'habite Paris 11e", "Paris"),
        ("bureau de vote du 75011", "Paris"),
        ("dans le XIe arrondissement", "Paris"),
        ("vers Belleville et Ménilmontant", "Paris"),
        ("au marché d'Aligre", "Paris"),
        ("je suis parisienne", "Paris"),
        ("stand à la Croix-Rousse", "Lyon"),
        ("la liste lyonnaise", "Lyon"),
        ("69003", "Lyon"),
        ("Lyon 7e", "Lyon"),
        ("tractage sur le Vieux-Port", "Marseille"),
        ("13e et 14e, à Château-Gombert", "Marseille"),
        ("les Marseillais", "Marseille"),
        ("place du Capitole", "Toulouse"),
        ("liste toulousaine", "Toulouse"),
        ("sur l'Île de Nantes", "Nantes"),
        ("44000", "Nantes"),
        ("marché de Wazemmes", "Lille"),
        ("les Lillois", "Lille"),
        ("habitant de l'Île Verte", "Grenoble"),
        ("quartier Berriat", "Grenoble"),
        ("à Villejean", "Rennes"),
        ("la liste rennaise", "Rennes"),
        ("Je quitte Lyon pour Nantes", "Nantes"),
        ("Je déménage de Rennes à Lille", "Lille"),
        ("gare de Lyon", "Paris"),
        ("à Bordeaux", None),
        ("en région parisienne", None),
        ("mes élèves de 4e", None),
        ("le 2e tour", None),
        ("Ma vie est belle", None),
        ("", None),
    ],
)
def test_find_city(text: str, city: str | None) -> None:
    assert find_city(text) == city


def test_extra_aliases_from_configuration() -> None:
    assert find_city("réunion à la Maison Pop des Tilleuls") is None
    assert (
        find_city("réunion à la Maison Pop des Tilleuls", {"Rennes": ["Maison Pop des Tilleuls"]}) == "Rennes"
    )
    assert find_city("au Bois Joli", {"lyon": "Bois Joli", "Atlantis": ["Bois Joli"]}) == "Lyon"
    model = Triage(extra_aliases={"Grenoble": ["Quartier Zorglub"]})
    p = model.predict(
        Email("z", "a <a@gmail.com>", "tractage", "Je veux tracter au Quartier Zorglub samedi avec la liste.")
    )
    assert (p.label, p.city) == ("campaign", "Grenoble")
    assert (
        Triage.from_json(model.to_json())
        .predict(
            Email(
                "z",
                "a <a@gmail.com>",
                "tractage",
                "Je veux tracter au Quartier Zorglub samedi avec la liste.",
            )
        )
        .city
        == "Grenoble"
    )


# --- learning and persistence ----------------------------------------------------------------------


def test_learning_a_correction_changes_later_predictions() -> None:
    model = Triage()
    email = Email(
        "k1",
        "Club Kermesse <club@kermesse-asso.fr>",
        "Tombola",
        "Nous organisons la tombola du club, voulez-vous des billets pour vos militants ?",
    )
    assert model.predict(email).label == "secretariat"
    model.learn(email, "finance")
    assert model.predict(email).label == "finance"
    similar = Email(
        "k2",
        "Club Kermesse <club@kermesse-asso.fr>",
        "Tombola 2027",
        "Nous organisons la tombola annuelle du club, voulez-vous des billets pour vos bénévoles ?",
    )
    assert model.predict(similar).label == "finance"
    with pytest.raises(ValueError):
        model.learn(email, "nimporte")


def test_json_round_trip_keeps_predictions() -> None:
    model = Triage(threshold=0.7).fit(_rows(CASES[:40], "c"))
    model.learn(Email("x", "a <a@b.fr>", "kermesse", "la kermesse de l'école"), "campaign", "Lille")
    text = model.to_json()
    again = Triage.from_json(text)
    assert again.threshold == 0.7
    assert again.to_json() == text
    for case in CASES[40:70]:
        email = Email("y", *case[:3])
        assert again.predict(email) == model.predict(email)
    with pytest.raises(ValueError):
        Triage.from_json('{"format": "autre"}')


def test_fit_replaces_previous_training() -> None:
    model = Triage().fit(_rows(CASES[:10], "a"))
    model.fit(_rows(CASES[10:12], "b"))
    assert model.nb.documents == 2


# --- evaluation -----------------------------------------------------------------------------------


def test_evaluation_report_and_format() -> None:
    train = _rows(CASES[::2], "tr")
    test = _rows(CASES[1::2], "te")
    report = evaluate(train, test, 0.8)
    assert report.total == len(test)
    assert sum(sum(row.values()) for row in report.confusion.values()) == report.total
    assert 0.0 <= report.accuracy <= 1.0 and report.automatic <= report.total
    text = format_report(report)
    for needle in (
        "Exactitude globale",
        "Par domaine",
        "campagne",
        "secrétariat",
        "Ville des emails de campagne",
        "Matrice de confusion",
        "Seuil de confiance : 0.80",
        "Routés automatiquement",
    ):
        assert needle in text
    assert re.search(r"Exactitude globale : \d+\.\d %", text)
    # a factory and a trained model are accepted too
    assert evaluate(lambda: Triage().fit(train), test, 0.8).correct == report.correct
    assert evaluate(Triage().fit(train), test).threshold == DEFAULT_THRESHOLD


@needs_sample
def test_two_fold_split_of_the_public_sample() -> None:
    assert SAMPLE is not None
    rows = load_jsonl(SAMPLE)
    first, second = rows[:20], rows[20:]
    for train, test in ((first, second), (second, first)):
        report = evaluate(train, test, DEFAULT_THRESHOLD)
        # measured 1.00 both ways when written; the floor leaves room for lexicon changes
        assert report.accuracy >= 0.8, format_report(report)
        assert report.city_accuracy >= 0.8


def test_load_jsonl_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a"}\n\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":3"):
        load_jsonl(path)


# --- CLI -------------------------------------------------------------------------------------------


def _cli() -> argparse.ArgumentParser:
    from bot.cli.triage import add_parser

    parser = argparse.ArgumentParser(prog="coordo")
    add_parser(parser.add_subparsers(dest="command"))
    return parser


def test_cli_evaluate_and_train(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    train, test = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    train.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows(CASES[::2], "tr")), encoding="utf-8"
    )
    test.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows(CASES[1::2], "te")), encoding="utf-8"
    )
    out = tmp_path / "pred.jsonl"
    args = _cli().parse_args(
        [
            "triage",
            "evaluate",
            "--train",
            str(train),
            "--test",
            str(test),
            "--predictions",
            str(out),
            "--threshold",
            "0.75",
        ]
    )
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "Exactitude globale" in printed and "Seuil de confiance : 0.75" in printed
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(CASES[1::2])
    assert set(lines[0]) == {"id", "label", "city"} and lines[0]["id"] == "te-000"

    model_path = tmp_path / "sub" / "model.json"
    args = _cli().parse_args(["triage", "train", str(train), "--out", str(model_path)])
    assert args.func(args) == 0
    assert "enregistré" in capsys.readouterr().out
    assert Triage.load(str(model_path)).nb.documents == len(CASES[::2])

    args = _cli().parse_args(
        ["triage", "evaluate", "--train", str(tmp_path / "absent.jsonl"), "--test", str(test)]
    )
    assert args.func(args) == 1
    assert "Erreur" in capsys.readouterr().err


def test_cli_default_model_path() -> None:
    args = _cli().parse_args(["triage", "train", "f.jsonl"])
    assert args.out == str(Path("data") / "triage_model.json")


# --- robustness -----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sender=st.text(max_size=80), subject=st.text(max_size=120), body=st.text(max_size=3000))
def test_predict_never_raises(sender: str, subject: str, body: str) -> None:
    prediction = Triage().predict(Email("h", sender, subject, body))
    assert prediction.label in LABELS
    assert 0.0 <= prediction.confidence <= 1.0
    assert prediction.city is None or prediction.city in CITIES
    assert isinstance(clean_body(body, subject), str)
    assert find_city(body) in (None, *CITIES)


_WORDS = sorted(
    {w for _, _, _, p in RULES for w in re.findall(r"[a-z]{3,}", p)} | {"eur", "le", "la", "de", "12", "2026"}
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=25), st.sampled_from([" ", "-", "'", ", "]))
def test_prefilter_agrees_with_plain_regex(words: list[str], sep: str) -> None:
    text = sep.join(words)
    prefixes = word_prefixes(text)
    for pattern in [p for _, _, _, p in RULES] + list(FLAGS.values()):
        plain = re.search(r"(?<![a-z0-9])(?:" + pattern + r")(?![a-z0-9])", text)
        assert bool(build(pattern).search(text, prefixes)) == bool(plain), pattern[:60]


def test_prefilter_agrees_with_plain_regex_on_the_labelled_emails() -> None:
    matchers = [(p, build(p)) for p in [p for _, _, _, p in RULES] + list(FLAGS.values())]
    for path in sorted((HERE / "data").glob("triage_set_*.jsonl")):
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            text = fold_ascii(f"{row['subject']}\n{row['body']}")
            prefixes = word_prefixes(text)
            for pattern, matcher in matchers:
                plain = re.search(r"(?<![a-z0-9])(?:" + pattern + r")(?![a-z0-9])", text)
                assert bool(matcher.search(text, prefixes)) == bool(plain), (row["id"], pattern[:60])


_PIECES = st.recursive(
    st.sampled_from(["ab", "abc", "bca", "c", "x y", r"\d", "[ab]", "."]),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map(lambda p: f"(?:{p[0]}|{p[1]})"),
        inner.map(lambda p: f"(?:{p})?"),
        inner.map(lambda p: f"(?:{p})+"),
        inner.map(lambda p: f"(?:{p}){{2,3}}"),
        inner.map(lambda p: rf"\b{p}"),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(_PIECES, st.text(alphabet="abcxy 1", max_size=30))
def test_every_match_contains_one_of_the_factors(pattern: str, text: str) -> None:
    needs = factors(pattern)
    if needs is not None and re.search(pattern, text):
        assert any(need in text for need in needs), (pattern, needs, text)


def test_weird_inputs_never_raise() -> None:
    model = Triage()
    for body in (
        None,
        b"\xff\xfe\x00bytes",
        "<div>" * 5000,
        "\x00\x01\x02",
        "é" * 100_000,
        "> quoted only\n> more",
    ):
        p = model.predict({"id": 1, "from": None, "subject": None, "body": body})
        assert p.label in LABELS


# --- labelled sets in the format of the public sample (150-160 emails each, written apart from the code)

LABELLED_SETS = sorted((HERE / "data").glob("triage_set_*.jsonl"))


def test_labelled_sets_are_present() -> None:
    assert len(LABELLED_SETS) >= 5  # an empty glob would silently skip the test below


@pytest.mark.parametrize("path", LABELLED_SETS, ids=[p.stem for p in LABELLED_SETS])
def test_labelled_sets_reach_a_floor(path: Path) -> None:
    import json

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = Triage()
    if SAMPLE is not None:
        model.fit(
            json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()
        )
    report = evaluate(model, rows, DEFAULT_THRESHOLD)
    # Sets A to E were each measured once unseen, then used to correct the rules: they now guard
    # against regressions (first-look figures are in the inbox issue's note).
    assert report.accuracy >= 0.97, format_report(report)
    assert report.automatic_accuracy >= 0.98, format_report(report)
    assert report.automatic_share >= 0.7, format_report(report)


def test_every_lexicon_alternative_ends_at_a_word_end() -> None:
    """Patterns are wrapped in word guards: an alternative ending in a space or an apostrophe never matches."""
    from domain.triage.lexicon import FLAGS, RULES
    from domain.triage.prefilter import split_alternatives

    patterns = [(reason, pattern) for _, _, reason, pattern in RULES] + list(FLAGS.items())
    broken = [
        (name, alternative[-40:])
        for name, pattern in patterns
        for alternative in split_alternatives(pattern)
        if re.search(r"(?:'|\s|\\ |\(\?:[^()]*(?:'| )\))$", alternative)
    ]
    assert broken == []
