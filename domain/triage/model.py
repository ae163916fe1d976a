"""The triage model: rules + naive Bayes + precedence combiner, with incremental learning."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.text import fold_ascii
from domain.triage.bayes import NaiveBayes
from domain.triage.cities import CITIES, canonical_city
from domain.triage.rules import CLEAR, LABELS, Evidence, analyse
from domain.triage.text import word_features

# Confidence at or above which an email is routed without a human look (chosen by
# cross-validation on the public sample and the hand-written cases; see bench/bench_triage.py).
DEFAULT_THRESHOLD = 0.8

NB_SCALE = 3.0  # a fully trusted, certain learner adds this much to a domain's score
NB_HALF = 80.0
NB_CLEAR_CAP = 1.5  # at most this much of the learner's weight counts towards "clearly requested"  # documents after which the learner gets half its full weight
CORRECTION_WEIGHT = 3.0  # a correction counts as this many history emails
MEMORY_LIMIT = 20_000
CORRECTION_LIMIT = 5_000
SIMILAR = 0.55  # Jaccard similarity from which a remembered correction counts
SIMILAR_BONUS = 4.0  # how much a near-identical correction adds to its domain
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Email:
    id: str
    sender: str
    subject: str
    body: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Email:
        def text(value: Any) -> str:
            if value is None:
                return ""
            if isinstance(value, bytes | bytearray):
                return bytes(value).decode("utf-8", errors="replace")
            return value if isinstance(value, str) else str(value)

        return cls(
            id=text(row.get("id")),
            sender=text(row.get("from", row.get("sender"))),
            subject=text(row.get("subject")),
            body=text(row.get("body")),
        )


@dataclass(frozen=True)
class Prediction:
    label: str
    city: str | None
    confidence: float
    reasons: tuple[str, ...]


def _as_email(email: Email | Mapping[str, Any]) -> Email:
    return email if isinstance(email, Email) else Email.from_row(email)


def _fingerprint(email: Email) -> str:
    subject = re.sub(r"^\s*(?:(?:re|tr|fwd?|fw|aw)\s*:\s*)+", "", fold_ascii(email.subject or ""))
    body = re.sub(r"\s+", " ", fold_ascii((email.body or "")[:4000])).strip()
    return hashlib.sha1(f"{subject}\n{body}".encode(), usedforsecurity=False).hexdigest()


def _shingles(folded: str, sender: str) -> frozenset[str]:
    words = [w for w in re.findall(r"[a-z0-9]+", folded[:3000]) if len(w) > 2]
    tokens = set(words[:400])
    if sender:
        tokens.add("@" + sender)
    return frozenset(tokens)


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    z = math.exp(value)
    return z / (1.0 + z)


class Triage:
    """Sorts an email into one of the six domains (and a city for campaign emails).

    `fit(rows)` trains on labelled history (dicts like the JSONL sample), `learn(email, label,
    city)` adds one correction, `predict(email)` never raises.
    """

    def __init__(
        self,
        extra_aliases: Mapping[str, Iterable[str]] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.extra_aliases: dict[str, list[str]] = {}
        for city, aliases in (extra_aliases or {}).items():
            canonical = canonical_city(city)
            if canonical:
                values = [aliases] if isinstance(aliases, str) else list(aliases)
                self.extra_aliases.setdefault(canonical, []).extend(str(a) for a in values if a)
        self.threshold = threshold
        self.nb = NaiveBayes(LABELS)
        self.memory: dict[str, tuple[str, str | None]] = {}
        self.corrections: list[tuple[frozenset[str], str, str | None]] = []
        self._index: dict[str, list[int]] = {}

    # --- training -------------------------------------------------------------------------------
    def fit(self, rows: Iterable[Mapping[str, Any]]) -> Triage:
        """Train from labelled history, replacing what was learnt before."""
        self.nb = NaiveBayes(LABELS)
        self.memory = {}
        self.corrections = []
        self._index = {}
        for row in rows:
            label = row.get("label")
            if label not in LABELS:
                continue
            self._learn(Email.from_row(row), str(label), row.get("city"), weight=1.0)
        return self

    def learn(self, email: Email | Mapping[str, Any], label: str, city: str | None = None) -> None:
        """Learn from one correction: it weighs more than history and is remembered verbatim."""
        if label not in LABELS:
            raise ValueError(f"domaine inconnu : {label!r}")
        self._learn(_as_email(email), label, city, weight=CORRECTION_WEIGHT, correction=True)

    def _learn(self, email: Email, label: str, city: Any, weight: float, correction: bool = False) -> None:
        try:
            evidence = self._analyse(email)
        except Exception:  # pragma: no cover - analysis never raises in practice
            return
        self.nb.learn(self._features(email, evidence), label, weight)
        canonical = canonical_city(city) if isinstance(city, str) and label == "campaign" else None
        if len(self.memory) < MEMORY_LIMIT:
            self.memory[_fingerprint(email)] = (label, canonical)
        if correction:
            self._remember(_shingles(evidence.text, evidence.sender_address), label, canonical)

    def _remember(self, tokens: frozenset[str], label: str, city: str | None) -> None:
        if not tokens:
            return
        if len(self.corrections) >= CORRECTION_LIMIT:
            self.corrections = self.corrections[CORRECTION_LIMIT // 10 :]
            self._rebuild_index()
        self.corrections.append((tokens, label, city))
        position = len(self.corrections) - 1
        for token in tokens:
            self._index.setdefault(token, []).append(position)

    def _rebuild_index(self) -> None:
        self._index = {}
        for position, (tokens, _, _) in enumerate(self.corrections):
            for token in tokens:
                self._index.setdefault(token, []).append(position)

    def _similar_correction(self, tokens: frozenset[str]) -> tuple[float, str, str | None] | None:
        """The most similar remembered correction (Jaccard on words), if similar enough."""
        if not self.corrections or not tokens:
            return None
        overlap: dict[int, int] = {}
        for token in tokens:
            positions = self._index.get(token)
            if positions is None or len(positions) > 200:
                continue
            for position in positions:
                overlap[position] = overlap.get(position, 0) + 1
        best: tuple[float, str, str | None] | None = None
        for position, shared in overlap.items():
            other, label, city = self.corrections[position]
            similarity = shared / (len(tokens) + len(other) - shared)
            if similarity >= SIMILAR and (best is None or similarity > best[0]):
                best = (similarity, label, city)
        return best

    # --- prediction -----------------------------------------------------------------------------
    def _analyse(self, email: Email) -> Evidence:
        return analyse(email.sender, email.subject, email.body, self.extra_aliases or None)

    @staticmethod
    def _features(email: Email, evidence: Evidence) -> list[str]:
        feats = word_features(evidence.text)
        for label in LABELS:
            feats.extend(f"__r:{reason}" for reason in evidence.reasons[label])
        feats.extend(f"__f:{flag}" for flag in evidence.flags)
        if evidence.sender_address:
            feats.append(f"__from:{evidence.sender_address}")
        return feats

    def predict(self, email: Email | Mapping[str, Any]) -> Prediction:
        """The domain, city and confidence for one email. Never raises."""
        try:
            return self._predict(_as_email(email))
        except Exception as exc:  # pragma: no cover - last line of defence
            return Prediction("secretariat", None, 0.0, (f"erreur d'analyse : {type(exc).__name__}",))

    def scores(self, email: Email | Mapping[str, Any]) -> dict[str, float]:
        """Combined score per domain (rules + learner), for inspection."""
        email = _as_email(email)
        evidence = self._analyse(email)
        return self._totals(email, evidence)[0]

    def _totals(self, email: Email, evidence: Evidence) -> tuple[dict[str, float], dict[str, float] | None]:
        totals = dict(evidence.scores)
        documents = self.nb.documents
        posterior = None
        if documents > 0:
            posterior = self.nb.posteriors(self._features(email, evidence))
            weight = NB_SCALE * documents / (documents + NB_HALF)
            for label in LABELS:
                totals[label] += weight * posterior[label]
        return totals, posterior

    def _predict(self, email: Email) -> Prediction:
        remembered = self.memory.get(_fingerprint(email))
        if remembered is not None:
            label, city = remembered
            return Prediction(label, city if label == "campaign" else None, 0.99, ("correction mémorisée",))
        evidence = self._analyse(email)
        totals, posterior = self._totals(email, evidence)
        similar = self._similar_correction(_shingles(evidence.text, evidence.sender_address))
        if similar is not None:
            totals[similar[1]] += SIMILAR_BONUS * similar[0]
            if similar[1] == "campaign" and evidence.city is None and similar[2]:
                evidence.city = similar[2]
        if evidence.city is None:
            totals["campaign"] = min(totals["campaign"], CLEAR - 0.01) * 0.5
        # "clearly requested" is judged on the rules (and remembered corrections), not the learner
        nb_best = max(posterior, key=lambda lab: posterior[lab]) if posterior is not None else None
        requested = dict(evidence.scores)
        if nb_best is not None:
            # the learner can tip its own favourite over the line, never another domain
            requested[nb_best] += min(totals[nb_best] - evidence.scores[nb_best], NB_CLEAR_CAP)
        if similar is not None:
            requested[similar[1]] += SIMILAR_BONUS * similar[0]
        if evidence.city is None:
            requested["campaign"] = 0.0
        clear = [label for label in LABELS if requested[label] >= CLEAR]
        ranked = sorted(LABELS, key=lambda lab: totals[lab], reverse=True)
        chosen = clear[0] if clear else ranked[0]
        runner_up = max(totals[lab] for lab in LABELS if lab != chosen)
        by_precedence = runner_up > totals[chosen] or (len(clear) > 1)
        top = totals[chosen]
        # under precedence, how clearly the winning domain is requested; otherwise the lead
        margin = min(top - CLEAR + 0.8, max(top - runner_up, 0.0) + 1.0) if by_precedence else top - runner_up
        z = 1.05 * margin + 0.12 * min(top, 10.0) - 1.0
        if chosen == "secretariat" and evidence.scores["secretariat"] <= 1.0:
            z -= 1.0  # nothing but the default
        if chosen != "spam":
            z -= 0.5 * min(evidence.scores["spam"], 3.0)  # some commercial or deceptive smell
        if evidence.scores[chosen] < 1.0:
            z -= 0.8  # only the learner speaks for it
        if posterior is not None and self.nb.documents >= 10:
            best_nb = max(posterior, key=lambda lab: posterior[lab])
            z += 0.6 if best_nb == chosen else -0.6
        confidence = round(_sigmoid(z), 4)
        city = evidence.city if chosen == "campaign" else None
        reasons = list(dict.fromkeys(evidence.reasons[chosen]))[:5]
        if by_precedence and len(clear) > 1:
            reasons.append("priorité : " + " > ".join(clear))
        if similar is not None and similar[1] == chosen:
            reasons.append(f"proche d'une correction ({similar[0]:.0%})")
        if posterior is not None:
            reasons.append(f"apprentissage : {chosen} {posterior[chosen]:.0%}")
        if not reasons:
            reasons.append("par défaut")
        return Prediction(chosen, city, confidence, tuple(reasons))

    # --- persistence ----------------------------------------------------------------------------
    def to_json(self) -> str:
        data = {
            "format": "coordo-triage",
            "version": FORMAT_VERSION,
            "threshold": self.threshold,
            "extra_aliases": self.extra_aliases,
            "bayes": self.nb.to_dict(),
            "memory": {key: list(value) for key, value in self.memory.items()},
            "corrections": [[sorted(tokens), label, city] for tokens, label, city in self.corrections],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Triage:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != "coordo-triage":
            raise ValueError("ce JSON n'est pas un modèle de tri coordo")
        model = cls(
            extra_aliases=data.get("extra_aliases") or None,
            threshold=float(data.get("threshold", DEFAULT_THRESHOLD)),
        )
        model.nb = NaiveBayes.from_dict(data["bayes"])
        model.memory = {
            key: (str(value[0]), value[1] if value[1] in CITIES else None)
            for key, value in data.get("memory", {}).items()
            if isinstance(value, list) and len(value) == 2 and value[0] in LABELS
        }
        for item in data.get("corrections", []):
            if isinstance(item, list) and len(item) == 3 and item[1] in LABELS:
                city = item[2] if item[2] in CITIES else None
                model._remember(frozenset(str(t) for t in item[0]), str(item[1]), city)
        return model

    def save(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())

    @classmethod
    def load(cls, path: str) -> Triage:
        with open(path, encoding="utf-8") as handle:
            return cls.from_json(handle.read())
