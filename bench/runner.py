"""Running the benchmark: for each run and size, each system ingests, answers queries and cold-starts in its own process."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import CorpusDir
from bench.measure import folder_mb, median_of, process_peak_rss_mb
from bench.quality import ROOT
from bench.questions import make_questions
from bench.systems import make_system

WORK = ROOT / "bench" / "work"


@dataclass
class Plan:
    sizes: list[int] = field(default_factory=lambda: [1000, 10000])
    runs: int = 1
    seed: int = 7
    questions: int = 300
    searches: int = 300  # timed searches (questions repeated when fewer)
    asks: int = 100
    cold_starts: int = 3
    systems: list[str] = field(default_factory=lambda: ["ours", "baseline", "baseline-bm25"])
    server: str | None = None  # host:port of a Chroma server: adds an "ours-server" row
    dev: bool = True
    work: Path = WORK
    keep: bool = False  # keep the last run's indexes
    notes: list[str] = field(default_factory=list)  # what was left out, for the report
    server_pid: int | None = None  # a server the bench started: its memory and folder are reported
    server_dir: Path | None = None


class WorkerError(RuntimeError):
    """A measured job failed; the message carries the end of its error output."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_worker(job: dict, folder: Path) -> dict:
    """Run one job in a fresh interpreter; its progress goes to our stderr, its result is its last line."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"job-{uuid.uuid4().hex[:8]}.json"
    path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "bench.worker", str(path)], cwd=ROOT, capture_output=True, text=True)
    path.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise WorkerError(f"{job['task']} {job['system']} failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cold_start(argv: list[str], env: dict[str, str], tries: int) -> dict:
    """Seconds from process start to the printed answer (median of `tries` runs), or the error."""
    seconds = []
    for _ in range(tries):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, *argv], cwd=ROOT, env=os.environ | env, capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0:
            return {"cold_start_s": None, "cold_start_error": (proc.stderr.strip().splitlines() or ["?"])[-1][:300]}
        seconds.append(time.perf_counter() - start)
    return {"cold_start_s": round(statistics.median(seconds), 3), "cold_start_first_s": round(seconds[0], 3)}


def prepare(plan: Plan, size: int, folder: Path) -> tuple[Path, Path]:
    """Corpus files for about `size` of our chunks, and the questions over them."""
    from bench.ours import bench_settings

    settings = bench_settings(folder)
    corpus = CorpusDir(plan.work, plan.seed)
    arts = corpus.ensure(corpus.articles_for(size, settings.chunk_size, settings.chunk_overlap))
    folder.mkdir(parents=True, exist_ok=True)
    paths_file, questions_file = folder / "paths.txt", folder / "questions.jsonl"
    paths_file.write_text("\n".join(str(p) for p in corpus.paths(arts)), encoding="utf-8")
    questions = make_questions(arts, plan.questions, plan.seed)
    questions_file.write_text("".join(json.dumps(q.to_json(), ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    log(f"corpus: {len(arts)} articles for ~{size} chunks, {len(questions)} questions")
    return paths_file, questions_file


def measure_system(plan: Plan, name: str, size: int, folder: Path, files: tuple[Path, Path], options: dict) -> dict:
    label = name + ("-server" if options.get("server") else "")
    db_dir = folder / label
    shutil.rmtree(db_dir, ignore_errors=True)
    job = {"system": name, "db_dir": str(db_dir), "paths_file": str(files[0]), "questions_file": str(files[1]),
           "n_search": plan.searches, "n_ask": plan.asks, "options": options}
    system = make_system(name, db_dir, **options)
    row = {"system": label, "chunks": size, "load_avg_1m": round(os.getloadavg()[0], 2)}  # others share the CPUs
    if system.persistent:
        log(f"{label} @ {size}: ingest")
        built = run_worker(job | {"task": "build"}, folder)
        log(f"{label} @ {size}: {built['system_chunks']} chunks in {built['ingest_s']} s; queries")
        queried = run_worker(job | {"task": "query"}, folder)
        row |= built | queried | {"peak_rss_ingest_mb": built["peak_rss_mb"], "peak_rss_query_mb": queried["peak_rss_mb"],
                                  "peak_rss_mb": max(built["peak_rss_mb"], queried["peak_rss_mb"])}
        row["index_mb"] = folder_mb(db_dir)  # with a server: the local BM25 index only
        if options.get("server") and plan.server_dir:
            row |= {"server_dir_mb": folder_mb(plan.server_dir), "server_peak_rss_mb": process_peak_rss_mb(plan.server_pid)}
        row["cold_start_s"] = None
        if plan.cold_starts:
            log(f"{label} @ {size}: cold start")
            row |= cold_start(*system.cold_start(_first_question(files[1])), plan.cold_starts)
            if row["cold_start_s"] is None and hasattr(system, "cold_start_fallback"):
                log(f"{label} @ {size}: the CLI failed ({row['cold_start_error']}); cold start via the fallback")
                fallback = cold_start(*system.cold_start_fallback(_first_question(files[1])), plan.cold_starts)
                row |= fallback | {"cold_start_via": "python -m bench.ours DB_DIR QUESTION"}
    else:
        log(f"{label} @ {size}: ingest and queries (in memory)")
        row |= run_worker(job | {"task": "both"}, folder) | {"index_mb": None, "cold_start_s": None}
    log(f"{label} @ {size}: search p50 {row.get('search_p50_ms')} ms, hit@5 {row.get('hit@5')}")
    return row


def _first_question(questions_file: Path) -> str:
    return json.loads(questions_file.read_text(encoding="utf-8").splitlines()[0])["q"]


def _dev(plan: Plan, name: str, folder: Path) -> dict:
    try:
        return run_worker({"task": "dev", "system": name, "tmp_dir": str(folder)}, folder)
    except WorkerError as exc:
        return {"dev_note": str(exc)[:300]}


def run_once(plan: Plan, run: int) -> list[dict]:
    rows = []
    base = plan.work / f"run-{os.getpid()}-{run}"
    dev = {name: _dev(plan, name, base) for name in plan.systems} if plan.dev else {}
    for size in plan.sizes:
        folder = base / f"size-{size}"
        files = prepare(plan, size, folder)
        for name in plan.systems:
            rows.append(measure_system(plan, name, size, folder, files, {}) | dev.get(name, {}))
        if plan.server:
            options = {"server": plan.server, "collection": f"bench-{size}-{uuid.uuid4().hex[:8]}"}
            rows.append(measure_system(plan, "ours", size, folder, files, options) | dev.get("ours", {}))
        if not (plan.keep and run == plan.runs - 1):
            shutil.rmtree(folder, ignore_errors=True)
    if not (plan.keep and run == plan.runs - 1):
        shutil.rmtree(base, ignore_errors=True)
    return rows


def median_rows(runs: list[list[dict]]) -> list[dict]:
    """One row per (system, size): the median of each number over the runs."""
    merged = []
    for group in zip(*runs):
        row = {"runs": len(group)}
        for key, value in group[0].items():
            values = [g.get(key) for g in group]
            if isinstance(value, dict):
                row[key] = {k: median_of([v.get(k) for v in values if v]) for k in value}
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and key != "chunks":
                row[key] = median_of(values)
            else:
                row[key] = value
        merged.append(row)
    return merged


def available(systems: list[str]) -> tuple[list[str], list[str]]:
    """The systems whose packages are installed, and a note for each left out."""
    if "baseline-bm25" in systems and importlib.util.find_spec("rank_bm25") is None:
        return [s for s in systems if s != "baseline-bm25"], ["baseline-bm25 skipped: pip install rank_bm25"]
    return systems, []


def run_plan(plan: Plan) -> list[dict]:
    """All runs of the plan; one row per system and size, medians when runs > 1."""
    plan.systems, skipped = available(plan.systems)
    for note in skipped:
        log(note)
        plan.notes.append(note)
    all_runs = []
    for run in range(plan.runs):
        log(f"run {run + 1}/{plan.runs}: sizes {plan.sizes}, systems {plan.systems}")
        all_runs.append(run_once(plan, run))
    return median_rows(all_runs)
