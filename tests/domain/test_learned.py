"""The learned reader of replies (domain/learned): features, the model, its combination with the
rules and the cross-validation that decides where it may override them. Plain tables."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.learned import (
    LABELS,
    OFF,
    Model,
    Policy,
    choose_policy,
    combine,
    cross_validate,
    key_of,
    predict,
    train,
)
from domain.learned.combine import MIN_GAIN, accuracy, folds_of
from domain.learned.features import features, tokens

# (typed, key): what a correction is remembered under.
KEYS: list[tuple[str, str]] = [
    ("je viens", "je viens"),
    ("Je viens !", "je viens"),
    ("JE  VIENS.", "je viens"),
    ("Ça marche", "ca marche"),
    ("J’y serai", "j y serai"),
    ("je viens ?", "je viens ?"),  # a question is another text
    ("+1", "+ 1"),
    ("-1", "- 1"),
    ("👍🏽", "👍"),  # a skin tone is the same sign
    ("👍", "👍"),
    ("cœur", "coeur"),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "key"), KEYS)
def test_keys(typed: str, key: str) -> None:
    assert key_of(typed) == key


def test_features_share_letter_groups_across_typos() -> None:
    typo, right = features("vendreid je viens"), features("vendredi je viens")
    assert "w:viens" in typo and "b:je_viens" in right and "f:vendredi" in right
    assert len({f for f in typo & right if f.startswith("c:")}) >= 8
    assert features("") == {"e:empty"}
    assert tokens("Dispo ?!") == ["dispo", "?", "!"]


# A small labelled table, and replies the model never saw with what they mean.
TRAIN: list[tuple[str, str]] = [
    *[
        (t, "yes")
        for t in (
            "je viens",
            "j'y serai",
            "présent",
            "je serai là",
            "ok pour moi",
            "je viens avec plaisir",
            "compte sur moi",
            "je viens samedi",
        )
    ],
    *[
        (t, "no")
        for t in (
            "je peux pas",
            "pas dispo",
            "je ne viens pas",
            "désolé je peux pas",
            "pas possible pour moi",
            "je serai pas là",
            "pas dispo samedi matin",
        )
    ],
    *[
        (t, "maybe")
        for t in (
            "peut-être",
            "je sais pas encore",
            "je verrai",
            "peut-être, je te dis",
            "pas encore sûr",
            "je sais pas",
        )
    ],
    *[
        (t, "other")
        for t in (
            "c'est où ?",
            "merci !",
            "à quelle heure ?",
            "super initiative",
            "c'est où le départ ?",
            "merci pour l'orga",
        )
    ],
]
UNSEEN: list[tuple[str, str]] = [
    ("je viens !", "yes"),
    ("je serai là samedi", "yes"),
    ("pas dispo ce jour-là", "no"),
    ("désolé, je peux pas", "no"),
    ("je sais pas encore trop", "maybe"),
    ("peut être", "maybe"),
    ("c'est où exactement ?", "other"),
    ("merci beaucoup", "other"),
]


@pytest.mark.parametrize(("text", "label"), UNSEEN)
def test_model_reads_unseen_variants(text: str, label: str) -> None:
    got, confidence = predict(train(TRAIN), text)
    assert got == label and 0.25 < confidence <= 1.0


def test_exact_correction_wins_whatever_the_case_and_punctuation() -> None:
    model = train(TRAIN, memory={key_of("pas dispo pour rater ça"): "yes"})
    assert predict(model, "PAS DISPO POUR RATER ÇA !") == ("yes", 1.0)
    assert predict(model, "pas dispo")[0] == "no"  # only the same text


def test_rows_with_unknown_labels_are_skipped_and_empty_model_is_uniform() -> None:
    model = train([("je viens", "yes"), ("??", "unknown")])
    assert model.docs == [1, 0, 0, 0]
    empty = train([])
    assert not empty.trained and predict(empty, "je viens")[1] == pytest.approx(0.25)


def test_json_round_trip_reads_the_same() -> None:
    model = train(TRAIN, memory={"on dit pas non": "yes"}, policy=Policy(frozenset({"other"}), 0.9))
    again = Model.from_json(json.loads(json.dumps(model.to_json())))
    assert again.policy == model.policy and again.memory == model.memory
    for text, _ in UNSEEN:
        assert predict(again, text) == predict(model, text)


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {"format": 99, "labels": list(LABELS)},
        {"format": 1, "labels": ["yes", "no"], "docs": [1, 1], "counts": {}},
        {"format": 1, "labels": list(LABELS), "docs": [1, 2], "counts": {}},
        {"format": 1, "labels": list(LABELS), "docs": [1, 1, 1, 1], "counts": {"w:x": [1]}},
        {"format": 1, "labels": list(LABELS), "docs": [1, 1, 1, 1], "counts": "nope"},
    ],
)
def test_unreadable_models_are_refused(broken: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Model.from_json(broken)


def test_memory_keeps_only_known_labels() -> None:
    data = train(TRAIN).to_json()
    data["memory"] = {"je viens": "yes", "bof": "waitlist"}
    assert Model.from_json(data).memory == {"je viens": "yes"}


# --- Combination with the rules -------------------------------------------------------------------

MODEL = train(TRAIN, memory={key_of("on dit pas non"): "yes"})
ON_OTHER = Policy(frozenset({"other"}), 0.5)

# (text, rules' intent, rules' role, policy, expected intent, role, source)
COMBINED: list[tuple[str, str, str | None, Policy, str, str | None, str]] = [
    # The exact correction wins over the rules, whatever the policy; a role survives yes ↔ maybe.
    ("on dit pas non", "no", None, OFF, "yes", None, "correction"),
    ("On dit pas non !", "maybe", "stand", OFF, "yes", "stand", "correction"),
    # Off: the rules decide.
    ("je viens", "other", None, OFF, "other", None, "rules"),
    # On for "other": the model replaces what the rules left aside, with no role.
    ("je viens", "other", None, ON_OTHER, "yes", None, "model"),
    # … but not another intent of the rules.
    ("je viens", "no", None, ON_OTHER, "no", None, "rules"),
    # The same reading: the rules' (and their role).
    ("je viens", "yes", "tractage", ON_OTHER, "yes", "tractage", "rules"),
    # Not sure enough: the rules.
    ("je viens", "other", None, Policy(frozenset({"other"}), 1.0), "other", None, "rules"),
]


@pytest.mark.parametrize(("text", "rule", "role", "policy", "intent", "out_role", "source"), COMBINED)
def test_combine(
    text: str, rule: str, role: str | None, policy: Policy, intent: str, out_role: str | None, source: str
) -> None:
    model = Model(MODEL.docs, MODEL.counts, MODEL.alpha, MODEL.memory, policy)
    got = combine(text, rule, role, model)
    assert (got.intent, got.role, got.source) == (intent, out_role, source)


def test_rules_alone_without_a_model() -> None:
    got = combine("je viens", "maybe", "stand", None)
    assert (got.intent, got.role, got.source, got.doubtful) == ("maybe", "stand", "rules", False)


def test_a_reading_the_model_disagrees_with_is_doubtful() -> None:
    assert combine("je peux pas", "yes", None, MODEL).doubtful
    assert not combine("je peux pas", "no", None, MODEL).doubtful
    assert not combine("on dit pas non", "no", None, MODEL).doubtful  # a correction is sure


# --- Choosing where the model may override --------------------------------------------------------


def test_rules_that_read_everything_right_keep_the_model_off() -> None:
    gold = ["yes", "no", "maybe", "other"] * 25
    oof = [("yes", 0.99)] * 100
    assert choose_policy(gold, gold, oof) == (OFF, 1.0, 1.0)


def test_model_is_switched_on_where_it_helps() -> None:
    # The rules leave 10 yes as "other"; the model reads them (0.9 sure) and agrees elsewhere, but
    # says "yes" at 0.6 on 5 true "other".
    gold = ["yes"] * 10 + ["other"] * 40 + ["no"] * 50
    rules = ["other"] * 10 + ["other"] * 40 + ["no"] * 50
    oof = [("yes", 0.9)] * 10 + [("yes", 0.6)] * 5 + [("other", 0.8)] * 35 + [("no", 0.9)] * 50
    policy, base, best = choose_policy(gold, rules, oof)
    assert policy.overridable == frozenset({"other"}) and 0.6 < policy.threshold <= 0.9
    assert (base, best) == (0.9, 1.0)
    assert accuracy(policy, gold, rules, oof) == 1.0


def test_a_gain_of_one_row_is_noise() -> None:
    gold = ["yes"] + ["no"] * 299
    rules = ["other"] + ["no"] * 299
    oof = [("yes", 0.9)] + [("no", 0.9)] * 299
    assert MIN_GAIN > 1 / 300
    assert choose_policy(gold, rules, oof)[0] == OFF


def test_folds_are_balanced_and_stable() -> None:
    folds = folds_of(103)
    assert folds == folds_of(103)
    sizes = [folds.count(k) for k in range(5)]
    assert max(sizes) - min(sizes) <= 1 and sum(sizes) == 103


def test_cross_validation_never_reads_a_row_with_itself() -> None:
    # Each text is unique and says the opposite of its neighbours: a model that saw the row
    # would answer its label for sure; out of fold it cannot.
    rows = [(f"mot{i}", "yes" if i % 2 else "no") for i in range(20)]
    for (text, label), (got, confidence) in zip(rows, cross_validate(rows), strict=True):
        assert confidence < 0.99 or got != label, text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    label, confidence = predict(MODEL, text)
    assert label in LABELS and 0.0 < confidence <= 1.0
    assert combine(text, "other", None, MODEL).intent in LABELS
