"""One measured job in its own process, so that its peak memory is its own: `python -m bench.worker JOB.json`.

Jobs: build (ingest), query (search, ask, quality on an existing index), both (build then query, for
in-memory systems), dev (quality on the shared dev set in a private store). The result is the last stdout line.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench.measure import latency_summary, peak_rss_mb, timed_calls
from bench.quality import K, dev_paths, dev_questions, first_rank, summarize
from bench.systems import System, make_system

WARMUP = 10


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(system: System, job: dict) -> dict:
    paths = [Path(p) for p in Path(job["paths_file"]).read_text(encoding="utf-8").splitlines()]
    stats = system.ingest(paths)
    other = stats.seconds - sum(stats.stages.values())
    return {"system_chunks": stats.chunks, "docs": stats.docs, "ingest_s": round(stats.seconds, 2),
            "ingest_chunks_per_s": round(stats.chunks / stats.seconds, 1),
            "ingest_docs_per_s": round(stats.docs / stats.seconds, 2),
            "stages_s": stats.stages | {"other": round(other, 3)}}


def query(system: System, job: dict) -> dict:
    questions = [json.loads(line) for line in Path(job["questions_file"]).read_text(encoding="utf-8").splitlines()]
    system.open()
    texts = [q["q"] for q in questions]
    for q in texts[-WARMUP:]:
        system.search(q, K)
        system.ask(q)
    search_k = getattr(system, "search_k", K)
    runs = [texts[i % len(texts)] for i in range(max(job["n_search"], len(texts)))]
    times, hits = timed_calls(lambda q: system.search(q, search_k), runs)
    if search_k != K:
        hits = [system.search(q, K) for q in texts]
    ranks = [first_rank(h, [q["gold"]], q["doc"]) for h, q in zip(hits, questions)]
    out = latency_summary(times, "search") | summarize(ranks) | {"search_k": search_k, "questions": len(questions)}
    ask_times, answers = timed_calls(system.ask, texts[: job["n_ask"]])
    if answers and answers[0] is not None:
        out |= latency_summary(ask_times, "ask")
        out["answer_contains_gold"] = round(sum(q["gold"] in (a or "") for q, a in zip(questions, answers)) / len(answers), 4)
    return out


def dev(job: dict) -> dict:
    questions = dev_questions()
    if questions is None:
        return {"dev_note": "../shared/eval/dev_qa.jsonl or its corpus is missing: dev-set quality skipped"}
    with tempfile.TemporaryDirectory(prefix="bench-dev-", dir=job.get("tmp_dir")) as tmp:
        system = make_system(job["system"], Path(tmp), **job.get("options", {}))
        system.ingest(dev_paths())
        system.open()
        ranks = [first_rank(system.search(q["q"], K), q["gold"]) for q in questions]
    return summarize(ranks, "dev_") | {"dev_questions": len(questions)}


def run(job: dict) -> dict:
    if job["task"] == "dev":
        return dev(job)
    system = make_system(job["system"], Path(job["db_dir"]), **job.get("options", {}))
    out = {}
    if job["task"] in ("build", "both"):
        out |= build(system, job)
        out["peak_rss_ingest_mb"] = peak_rss_mb()
    if job["task"] in ("query", "both"):
        out |= query(system, job)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


if __name__ == "__main__":
    result = run(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    print(json.dumps(result, ensure_ascii=False))
