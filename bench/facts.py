"""The invented facts of one article: an organisation with a unique name, its city, year, leader and counts."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import tomllib

from bench.text import fill

TEMPLATES = Path(__file__).with_name("templates")
LANGUAGES = ("ko", "en")
# Facts that questions ask about; each appears once in its article.
ASKED = ("year", "city", "leader", "graduates", "partners", "weeks")
WEEKS = (8, 10, 12, 16, 20, 24, 26, 30, 36, 40, 48, 52)


@cache
def templates(lang: str) -> dict:
    with open(TEMPLATES / f"{lang}.toml", "rb") as f:
        return tomllib.load(f)


def _stem(rng: random.Random, words: dict, syllables: int) -> str:
    parts = [rng.choice(words["syllables_a"])]
    parts += [rng.choice(words["syllables_b"]) for _ in range(syllables - 1)]
    return "".join(parts)


def _person(rng: random.Random, lang: str, words: dict) -> str:
    surname, given = rng.choice(words["surnames"]), rng.choice(words["given_names"])
    return surname + given if lang == "ko" else f"{given} {surname}"


def _counts(rng: random.Random) -> dict[str, int]:
    """Numbers of one article, all different so that a number names one fact."""
    while True:
        counts = {"graduates": rng.randint(40, 4800), "cohort": rng.randint(15, 120), "partners": rng.randint(3, 85),
                  "weeks": rng.choice(WEEKS), "employment": rng.randint(55, 97), "budget": rng.randint(5, 300)}
        if len(set(counts.values())) == len(counts):
            return counts


def _program(rng: random.Random, lang: str, taken: set[str]) -> dict[str, str]:
    """Kind, host and program name; the program name is new to `taken` (which it joins)."""
    t = templates(lang)
    for attempt in range(1000):
        kind = rng.choice(sorted(t["kinds"]))
        spec = t["kinds"][kind]
        stem = _stem(rng, t["words"], 2 + attempt // 50)  # longer stems once short ones run out
        host = fill(t["hosts"][spec["host"]], {"stem": stem, "industry": rng.choice(t["words"]["industries"])})
        program = fill(spec["program"], {"host": host})
        if program not in taken:
            taken.add(program)
            return {"kind": kind, "host": host, "program": program, **{k: spec[k] for k in ("short", "member", "alumni",
                                                                                           "leader_title")}}
    raise RuntimeError("no unused organisation name left")


def draw_facts(rng: random.Random, lang: str, taken: set[str]) -> dict[str, str]:
    """Every slot an article and its questions need, as strings."""
    words = templates(lang)["words"]
    counts = _counts(rng)
    topics = rng.sample(words["topics"], 3)
    facts = _program(rng, lang, taken) | {
        "city": rng.choice(words["cities"]),
        "year": str(rng.randint(2008, 2024)),
        "month": rng.choice(words["months"]),
        "leader": _person(rng, lang, words),
        "quote": rng.choice(templates(lang)["article"]["quotes"]),
        "partner_univ": _stem(rng, words, 2) + ("과학기술원" if lang == "ko" else " Institute of Technology"),
        "field": rng.choice(words["fields"]),
        "region": rng.choice(words["regions"]),
        "topic1": topics[0], "topic2": topics[1], "topic3": topics[2],
    }
    for key, value in counts.items():
        facts[key] = f"{value:,}" if lang == "en" else str(value)
    if lang == "en":
        facts["budget"] = f"{counts['budget'] / 10:.1f}"  # millions of dollars
    return facts
