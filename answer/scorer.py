"""The fitted answer-selection model: a ranker over candidate sentences and a confidence that the
best one answers. Its weights live in answer/model.json, written by `python -m eval.fit`."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from answer.facts import DATE, NAME, NUMBER, PERSON
from answer.features import FEATURES

MODEL_FILE = Path(__file__).with_name("model.json")
# What the confidence sees: how clearly the ranker prefers its best sentence, and that sentence's rows.
# Not the best one's softmax share: it grows as fewer sentences are retrieved (a small store), so it
# made a one-passage answer look sure.
# The kind of fact asked says how far the fact finder can be trusted: a date or "몇 명" is found
# reliably, a name less so.
ASKED = (DATE, NUMBER, PERSON, NAME)
ANSWER_FEATURES = ("best", "margin", *(f"asks_{kind}" for kind in ASKED), "asks_unit",
                   *(f"fact_{kind}" for kind in ASKED)) + tuple(
    f for f in FEATURES if f not in ("position", "length", "listed", "fact"))


@dataclass(frozen=True)
class Model:
    ranker: dict[str, float]  # weight of each of FEATURES
    confidence: dict[str, float]  # weight of each of ANSWER_FEATURES, and "bias"
    threshold: float  # refuse below this confidence
    fitted_on: str = ""  # the data and command that fitted it

    def scores(self, values: np.ndarray) -> np.ndarray:
        """One ranker score a candidate (a row of FEATURES); higher is a likelier answer."""
        return values @ np.array([self.ranker.get(f, 0.0) for f in FEATURES])

    def answer_features(self, values: np.ndarray, scores: np.ndarray, fact: str | None,
                        units_required: bool) -> dict[str, float]:
        """The confidence's inputs for the best candidate, for a question asking `fact` (a kind of
        facts.py, or None) in a unit that must be there (`units_required`)."""
        order = np.argsort(-scores)
        best = float(scores[order[0]])
        second = float(scores[order[1]]) if len(order) > 1 else best - 5.0
        row = dict(zip(FEATURES, values[order[0]]))
        asked = {f"asks_{kind}": float(fact == kind) for kind in ASKED} | {"asks_unit": float(units_required)}
        found = {f"fact_{kind}": float(row["fact"]) * (fact == kind) for kind in ASKED}
        return {"best": best, "margin": min(best - second, 5.0)} | asked | found | {
            f: float(row[f]) for f in ANSWER_FEATURES if f in row}

    def confidence_of(self, features: dict[str, float]) -> float:
        z = self.confidence.get("bias", 0.0) + sum(self.confidence.get(f, 0.0) * v for f, v in features.items())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> dict:
        return {"fitted_on": self.fitted_on, "threshold": round(self.threshold, 4),
                "ranker": {f: round(self.ranker.get(f, 0.0), 4) for f in FEATURES},
                "confidence": {f: round(self.confidence.get(f, 0.0), 4) for f in ("bias", *ANSWER_FEATURES)}}

    @classmethod
    def from_json(cls, data: dict) -> Model:
        return cls(data["ranker"], data["confidence"], float(data["threshold"]), data.get("fitted_on", ""))


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The shipped model."""
    return Model.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
