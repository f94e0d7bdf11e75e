"""Fitting the answer model: the ranker finds the feature that marks the answer, the confidence its
sign, and the threshold keeps false refusals within the budget."""

import json
import pickle

import numpy as np

from answer.features import FEATURES
from answer.scorer import ANSWER_FEATURES, Model
from eval.fit import FALSE_REFUSAL_BUDGET, Group, fit, fit_logistic, fit_ranker

EXACT = FEATURES.index("exact")


def groups(n: int, seed: int = 0, unanswerable: int = 0) -> list[Group]:
    """Questions with 8 noisy candidates each; the answer's `exact` is higher, but not always."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n + unanswerable):
        values = rng.random((8, len(FEATURES))) * 0.3
        labels = np.zeros(8, bool)
        if i < n:
            labels[rng.integers(8)] = True
            values[labels, EXACT] += 0.5
        source = "korquad" if i < n else "korquad-absent"
        out.append(Group(source, i % 2, i < n, values, labels, "date", False))
    return out


def test_the_ranker_weighs_the_feature_that_marks_the_answer():
    fitted = fit_ranker(groups(200))
    assert fitted[EXACT] > 2 * np.abs(np.delete(fitted, EXACT)).max()
    held_out = groups(200, seed=1)
    assert np.mean([g.labels[np.argmax(g.values @ fitted)] for g in held_out]) > 0.8


def test_logistic_regression_recovers_the_signs():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2000, 2))
    y = (rng.random(2000) < 1 / (1 + np.exp(-(2 * x[:, 0] - 1 * x[:, 1])))).astype(float)
    bias, a, b = fit_logistic(x, y, np.ones(2000))
    assert a > 1.5 and -1.5 < b < -0.5


def test_fit_keeps_false_refusals_within_the_budget_and_refuses_the_absent():
    model, report = fit(groups(300, unanswerable=150), "test")
    assert isinstance(model, Model) and set(model.confidence) == {"bias", *ANSWER_FEATURES}
    row = next(line for line in report if line.startswith(f"{model.threshold:.2f} "))
    false_refusals = float(row.split("korquad: c=")[1].split("fr=")[1].split()[0])
    absent_refused = float(row.split("korquad-absent: r=")[1].split()[0])
    assert false_refusals <= FALSE_REFUSAL_BUDGET and absent_refused > 0.5


def test_fit_without_korquad_or_saved_features_says_so_in_one_line(capsys):
    from eval.fit import main

    assert main(["--qa", "tests/data/samples_qa.jsonl", "--docs", "data/samples"]) == 2
    assert capsys.readouterr().err.strip().startswith("error: nothing to fit on")


def test_fit_on_a_missing_squad_file_is_one_line(tmp_path, capsys):
    from eval.fit import main

    assert main(["--squad", str(tmp_path / "none.json"), "--out", str(tmp_path / "model.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read") and err.count("\n") == 1 and not (tmp_path / "model.json").exists()


def test_a_fit_on_a_squad_file_asks_all_three_kinds_of_question(tmp_path, monkeypatch):
    from test_eval_squad import squad_file

    from eval.fit import main

    monkeypatch.setenv("RAG_DB_DIR", str(tmp_path / "unused-db"))
    monkeypatch.setenv("RAG_SAMPLES_DIR", str(tmp_path / "no-samples"))
    saved, out = tmp_path / "features.pkl", tmp_path / "model.json"
    assert main(["--squad", str(squad_file(tmp_path)), "--questions", "6", "--absent", "4",
                 "--attribute-absent", "4", "--save", str(saved), "--out", str(out)]) == 0
    fitted = pickle.loads(saved.read_bytes())
    assert {g.source for g in fitted} == {"korquad", "korquad-absent", "korquad-attribute"}
    # The article stays but the answering paragraph is gone: no candidate holds an answer.
    attribute = [g for g in fitted if g.source == "korquad-attribute"]
    assert attribute and not any(g.answerable or g.labels.any() for g in attribute)
    assert Model.from_json(json.loads(out.read_text(encoding="utf-8"))).threshold > 0
