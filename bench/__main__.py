"""`python -m bench`: ours against the LangChain-tutorial baseline on a generated Korean/English corpus.

Progress goes to stderr; stdout gets a Markdown table, or with --json one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from bench.quality import ROOT
from bench.report import json_line, markdown
from bench.runner import WORK, Plan, WorkerError, log, run_plan
from bench.server import ChromaServer, ServerError

NOTES = [
    "ours: Ingestor (Kiwi sentence chunks of 500 chars, Kiwi BM25 terms, hash embeddings, embedded Chroma) and "
    "Retriever.search(k=5): chunks ranked, each passage with the chunk that follows it (RAG_CONTEXT_CHUNKS=1, so "
    "passages of ~1000 chars like the baseline's chunks); ask = Answerer.ask with the offline extractive answerer.",
    "baseline: LangChain RAG tutorial: TextLoader, RecursiveCharacterTextSplitter(1000, 200), Chroma.from_documents "
    "with the same HashingEmbeddings in cosine space (unit vectors: L2 would rank the same), similarity_search(k=4) "
    "timed; hit@5/MRR scored with k=5. Its ask = similarity_search(k=4) + the sentence sharing most words with the question.",
    "baseline-bm25: langchain_community BM25Retriever (rank_bm25, whitespace tokens) over the same 1000/200 chunks, "
    "in memory (no index size, no cold start), k=4 timed, k=5 scored.",
    "hit@5/MRR on generated questions: a hit is a passage from the question's article holding the gold string as a "
    "whole number/word; dev: the shared dev set (answerable questions) over its article plus data/samples, "
    "a hit is any passage holding a gold string.",
    "ingest_chunks_per_s counts each system's own chunks (ours ~500 chars, baseline ~1000): compare docs/s.",
    "peak RSS: VmHWM of the ingest process and of the query process, the larger reported.",
    "ours-server: ours against a `chroma run` server on this machine's loopback; its index_mb is the local BM25 "
    "folder, server_dir_mb / server_peak_rss_mb are given when the bench started the server (--start-server).",
    "load_avg_1m: the machine's load when the row started; other engineers share its 2 CPUs, so compare within a run.",
    "cold start: wall time of `python app.py ask Q --json` (ours) / `python -m bench.baseline DIR Q` on the built "
    "index, median of the tries.",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000", help="target chunk counts, comma-separated (default 1000,10000)")
    p.add_argument("--quick", action="store_true", help="one small size (300 chunks), fewer queries: for CI")
    p.add_argument("--runs", type=int, default=1, help="repeat and report medians")
    p.add_argument("--seed", type=int, default=7, help="corpus and question seed")
    p.add_argument("--systems", default="ours,baseline,baseline-bm25", help="systems to run, comma-separated")
    p.add_argument("--server", metavar="HOST:PORT", help="also measure ours against this Chroma server")
    p.add_argument("--start-server", action="store_true", help="start a `chroma run` server for the --server row")
    p.add_argument("--no-dev", action="store_true", help="skip quality on the shared dev set")
    p.add_argument("--keep", action="store_true", help="keep the last run's indexes under bench/work")
    p.add_argument("--work", type=Path, default=WORK, help="folder for corpora and indexes (default bench/work)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--save", type=Path, metavar="PATH", help="also write PATH.json and PATH.md (e.g. bench/results/DATE-sizes)")
    return p.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    plan = Plan(sizes=[int(s) for s in args.sizes.split(",")], runs=args.runs, seed=args.seed,
                systems=[s for s in args.systems.split(",") if s], server=args.server, dev=not args.no_dev, work=args.work,
                keep=args.keep)
    if args.quick:
        plan.sizes, plan.questions, plan.searches, plan.asks, plan.cold_starts = [300], 60, 60, 20, 1
    return plan


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = make_plan(args)
    started, code = time.time(), _code_state()  # workers import the code as it is when each starts
    server_dir = plan.work / "chroma-server"
    try:
        with ChromaServer(server_dir) if args.start_server else nullcontext() as server:
            if server:
                plan.server, plan.server_pid, plan.server_dir = server.address, server.proc.pid, server_dir
                log(f"started chroma server at {server.address}")
            rows = run_plan(plan)
    except (WorkerError, ServerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.start_server:
            shutil.rmtree(server_dir, ignore_errors=True)
    meta = {"machine": f"{platform.node()} {platform.machine()}, {_cpus()} CPUs", "runs": plan.runs,
            "seed": plan.seed, "wall_s": round(time.time() - started, 1),
            "code": code if code == (end := _code_state()) else f"{code} at the start, {end} at the end",
            "load_avg_end": [round(x, 2) for x in os.getloadavg()], "notes": NOTES + plan.notes}
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.with_suffix(".json").write_text(json_line(rows, meta) + "\n", encoding="utf-8")
        args.save.with_suffix(".md").write_text(markdown(rows, meta["notes"], meta), encoding="utf-8")
    print(json_line(rows, meta) if args.json else markdown(rows, meta["notes"], meta))
    return 0


def _code_state() -> str:
    """The commit measured, and the files that differed from it (others edit the tree while we run)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    dirty = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
    return git("rev-parse", "--short", "HEAD").strip() + (f" + uncommitted changes in {', '.join(dirty)}" if dirty else "")


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


if __name__ == "__main__":
    sys.exit(main())
