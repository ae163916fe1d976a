"""domain.donor_input: what a treasurer types about a payment and its donor, as tables of cases."""

from __future__ import annotations

import pytest

from domain.donor_input import (
    is_none_answer,
    is_yes_answer,
    key,
    one_line,
    parse_country,
    parse_donor_type,
    parse_email,
    parse_kind,
    parse_method,
    parse_nationality,
    parse_postcode_city,
    parse_provider,
)


def test_countries_nationalities_and_words() -> None:
    assert parse_country("Allemagne") == "DE" and parse_country("germany") == "DE"
    assert parse_country("be") == "BE" and parse_country("Royaume-Uni") == "GB"
    assert parse_country("Atlantide") is None
    assert parse_nationality("française") == "FR"
    assert parse_nationality("belge et française") == "BE/FR"
    assert parse_nationality("Allemagne") == "DE" and parse_nationality("martienne") is None
    assert parse_method("CB") == ("carte", "") and parse_method("HelloAsso") == ("plateforme", "HelloAsso")
    assert parse_method("especes") == ("espèces", "") and parse_method("troc") is None
    assert (
        parse_kind("cotisation_élu") == "cotisation_élu"
        and parse_kind("Cotisation d'élu") == "cotisation_élu"
    )
    assert parse_kind("adhésion") == "cotisation" and parse_kind("prêt") is None
    assert parse_postcode_city("69001 Lyon") == ("69001", "Lyon")
    assert parse_postcode_city("SW1A 1AA London") is None or parse_postcode_city("SW1A London")
    assert parse_postcode_city("Lyon") is None
    assert parse_email("Jean@Exemple.fr ") == "jean@exemple.fr" and parse_email("jean@") is None
    assert parse_provider("helloasso 123") == ("HelloAsso", "123") and parse_provider("HelloAsso") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chèque", ("chèque", "")),
        ("chq", ("chèque", "")),
        ("Virement bancaire", ("virement", "")),
        ("bank  transfer", ("virement", "")),
        ("carte bleue", ("carte", "")),
        ("Prélèvement SEPA", ("prélèvement", "")),
        ("liquide", ("espèces", "")),
        ("Espèces", ("espèces", "")),
        ("en ligne", ("plateforme", "")),
        ("Stripe", ("plateforme", "Stripe")),
        ("paypal", ("plateforme", "PayPal")),
        ("bitcoin", None),
        ("", None),
    ],
)
def test_parse_method(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_method(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("don", "don"),
        ("Dons", "don"),
        ("donation", "don"),
        ("Cotisation", "cotisation"),
        ("membership", "cotisation"),
        ("cotisation élu", "cotisation_élu"),
        ("cotisation-elu", "cotisation_élu"),
        ("cotisation d’élu", "cotisation_élu"),
        ("prêt", None),
        ("", None),
    ],
)
def test_parse_kind(text: str, expected: str | None) -> None:
    assert parse_kind(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("physique", "physique"),
        ("Personne physique", "physique"),
        ("particulier", "physique"),
        ("PM", "morale"),
        ("Société", "morale"),
        ("association", "morale"),
        ("robot", None),
        ("", None),
    ],
)
def test_parse_donor_type(text: str, expected: str | None) -> None:
    assert parse_donor_type(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("France", "FR"),
        ("fra", "FR"),
        ("Belgique", "BE"),
        ("Etats-Unis", "US"),
        ("USA", "US"),
        ("UK", "GB"),
        ("Côte d’Ivoire", "CI"),
        ("de", "DE"),
        ("Narnia", None),
    ],
)
def test_parse_country(text: str, expected: str | None) -> None:
    assert parse_country(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Française", "FR"),
        ("french", "FR"),
        ("FR", "FR"),
        ("franco-allemande", None),
        ("belge, française", "BE/FR"),
        ("française / allemande", "FR/DE"),
        ("française + française", "FR"),
        ("Suisse and Italian", "CH/IT"),
        ("", None),
    ],
)
def test_parse_nationality(text: str, expected: str | None) -> None:
    assert parse_nationality(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("69001 Lyon", ("69001", "Lyon")),
        ("  75011, Paris ", ("75011", "Paris")),
        ("10115 Berlin", ("10115", "Berlin")),
        ("sw1a London", ("SW1A", "London")),
        ("L-1234 Luxembourg", None),
        ("Lyon 69001", None),
        ("69001", None),
        ("69001 " + "x" * 101, None),
    ],
)
def test_parse_postcode_city(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_postcode_city(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("léa.martin@exemple.fr", "léa.martin@exemple.fr"),
        (" Jo@Ex.org", "jo@ex.org"),
        ("jo@ex", None),
        ("jo ex@ex.org", None),
        ("<jo@ex.org>", None),
        ("a@b.c" + "c" * 320, None),
    ],
)
def test_parse_email(text: str, expected: str | None) -> None:
    assert parse_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HelloAsso 12345678", ("HelloAsso", "12345678")),
        ("stripe  ch_1 2", ("Stripe", "ch_1 2")),
        ("Lydia 42", ("Lydia", "42")),
        ("HelloAsso", None),
        ("", None),
        ("HelloAsso 1\n2", None),
        ("x" * 41 + " 1", None),
    ],
)
def test_parse_provider(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_provider(text) == expected


@pytest.mark.parametrize(
    ("text", "none", "yes"),
    [
        ("Aucun", True, False),
        ("aucune", True, False),
        ("-", True, False),
        ("Non", True, False),
        ("Oui", False, True),
        ("x", False, True),
        ("VRAI", False, True),
        ("peut-être", False, False),
    ],
)
def test_none_and_yes_answers(text: str, none: bool, yes: bool) -> None:
    assert (is_none_answer(text), is_yes_answer(text)) == (none, yes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Jean   Dupont ", "Jean Dupont"),
        ("Jean\tDupont", "Jean Dupont"),
        ("Jean\nDupont", None),  # a pasted paragraph is not one line
        ("   ", None),
        ("x" * 20, "x" * 20),
        ("x" * 21, None),
    ],
)
def test_one_line(text: str, expected: str | None) -> None:
    assert one_line(text, 20) == expected


def test_key_folds_case_accents_and_apostrophes() -> None:
    assert key("  Cotisation   d’Élu ") == "cotisation d elu"


def test_donor_identity_ignores_case_accents_spaces_and_street_abbreviations() -> None:
    from domain.donor_input import address_identity, name_identity

    assert name_identity("Lefèvre", "Hélène") == name_identity("LEFEVRE ", "helene")
    assert name_identity("Le Gall", "Jean-Pierre") == name_identity("LEGALL", "jean pierre")
    assert name_identity("Dupont", "Jean") != name_identity("Jean", "Dupont")  # order kept
    assert address_identity("12, R. de la  Paix", "LYON") == address_identity("12 rue de la Paix", "Lyon")
    assert address_identity("1 pl. Bellecour", "Lyon") == address_identity("1 place Bellecour", "lyon")
    assert address_identity("12 rue de la Paix", "Lyon") != address_identity("12 rue de la Paix", "Paris")
    assert address_identity("3 avenue Foch", "Lyon") != address_identity("12 rue de la Paix", "Lyon")


# --- The whole gift on one line (issue 13): a table of cases ----------------------------------

from domain.donor_input import GiftLine, name_splits, parse_gift_line  # noqa: E402

_LINES = [
    (
        "50 € chèque Jean Martin 12 rue X 69001 Lyon",
        GiftLine(5000, "chèque", None, ("Jean", "Martin"), None, None, "12 rue X", "69001", "Lyon"),
    ),
    (
        "200€ virement Mme Durand Claire, 3 place Bellecour 69002 Lyon",
        GiftLine(
            20000, "virement", "Mme", ("Durand", "Claire"), None, None, "3 place Bellecour", "69002", "Lyon"
        ),
    ),
    # The family name in capitals tells the names apart.
    ("300 espèces DURAND Claire", GiftLine(30000, "espèces", None, ("DURAND", "Claire"), "Claire", "DURAND")),
    (
        "1 000,50 € CB M. Paul DE LA TOUR 4 bis av. Foch 75016 Paris",
        GiftLine(
            100050,
            "carte",
            "M.",
            ("Paul", "DE", "LA", "TOUR"),
            "Paul",
            "DE LA TOUR",
            "4 bis av. Foch",
            "75016",
            "Paris",
        ),
    ),
    # A method right after a bare number makes it an amount.
    ("50 chèque Martin", GiftLine(5000, "chèque", None, ("Martin",))),
    ("20 euros", GiftLine(2000)),
    ("12,50\u202f€ carte bancaire Léa Roux", GiftLine(1250, "carte", None, ("Léa", "Roux"))),
    # A foreign postcode is not guessed: left in the address, the town asked.
    (
        "80 € virement Hans Müller 1 Hauptstraße",
        GiftLine(8000, "virement", None, ("Hans", "Müller"), None, None, "1 Hauptstraße"),
    ),
    ("25 € Sainte-Foy-lès-Lyon", GiftLine(2500, None, None, ("Sainte-Foy-lès-Lyon",))),
]
_NOT_LINES = [
    "jean martin",  # a name to search
    "Martin",
    "12 rue X 69001 Lyon",  # street number and postcode, no currency nor method
    "jean.dupont@exemple.fr",
    "",
    "50 € chèque\nJean Martin",  # a pasted paragraph
    "douze euros",
]


@pytest.mark.parametrize(("text", "expected"), _LINES)
def test_a_gift_typed_on_one_line(text: str, expected: GiftLine) -> None:
    assert parse_gift_line(text) == expected


@pytest.mark.parametrize("text", _NOT_LINES)
def test_a_line_without_an_amount_is_no_gift(text: str) -> None:
    assert parse_gift_line(text) is None


def test_name_readings_offered_never_guessed() -> None:
    assert name_splits(("Jean", "Martin")) == [("Jean", "Martin"), ("Martin", "Jean")]
    assert name_splits(["Jean", "Pierre", "Martin"]) == [
        ("Jean", "Pierre Martin"),
        ("Pierre Martin", "Jean"),
        ("Jean Pierre", "Martin"),
        ("Martin", "Jean Pierre"),
    ]
    assert name_splits(("Martin",)) == [] and name_splits(("a", "b", "c", "d", "e")) == []
