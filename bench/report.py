"""Reporting: the Markdown tables (results, ours/baseline ratios, ingest stages, targets) and the JSON line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

COLUMNS = [  # (key, header)
    ("system", "system"), ("chunks", "target chunks"), ("system_chunks", "chunks"),
    ("ingest_chunks_per_s", "ingest chunks/s"), ("ingest_docs_per_s", "ingest docs/s"),
    ("search_p50_ms", "search p50 ms"), ("search_p95_ms", "search p95 ms"),
    ("ask_p50_ms", "ask p50 ms"), ("ask_p95_ms", "ask p95 ms"), ("peak_rss_mb", "peak RSS MB"),
    ("index_mb", "index MB"), ("cold_start_s", "cold start s"), ("hit@5", "hit@5"), ("mrr", "MRR"),
    ("dev_hit@5", "dev hit@5"), ("dev_mrr", "dev MRR"), ("server_dir_mb", "server MB"),
    ("server_peak_rss_mb", "server peak RSS MB"),
]
RATIOS = ["ingest_docs_per_s", "search_p50_ms", "search_p95_ms", "ask_p50_ms", "peak_rss_mb", "index_mb",
          "cold_start_s", "hit@5", "mrr", "dev_hit@5", "dev_mrr"]
# (key, limit, higher is better, the size it applies to: None = every size)
TARGETS = [
    ("search_p50_ms", 30, False, 100000), ("search_p95_ms", 80, False, 100000), ("ask_p50_ms", 100, False, 100000),
    ("ingest_s", 600, False, 100000), ("peak_rss_mb", 3072, False, 100000), ("cold_start_s", 5, False, 100000),
]
REQUIRED = ["system", "chunks", "ingest_chunks_per_s", "search_p50_ms", "search_p95_ms", "ask_p50_ms", "peak_rss_mb",
            "index_mb", "cold_start_s", "hit@5", "mrr"]


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]


def ratios(rows: list[dict]) -> list[list]:
    """ours / baseline for each size (ingest as docs/s, since the two chunkers cut differently)."""
    out = []
    for ours in (r for r in rows if r["system"] == "ours"):
        base = next((r for r in rows if r["system"] == "baseline" and r["chunks"] == ours["chunks"]), None)
        if base:
            out.append([ours["chunks"]] + [_ratio(ours.get(k), base.get(k)) for k in RATIOS])
    return out


def _ratio(a, b):
    return round(a / b, 2) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None


def stage_rows(rows: list[dict]) -> tuple[list[str], list[list]]:
    stages = sorted({s for r in rows for s in r.get("stages_s", {})})
    return stages, [[r["system"], r["chunks"], r.get("ingest_s")] + [r.get("stages_s", {}).get(s) for s in stages]
                    for r in rows]


def target_lines(rows: list[dict]) -> list[str]:
    lines = []
    for key, limit, higher, size in TARGETS:
        for r in rows:
            if r["system"] == "ours" and r["chunks"] == size and r.get(key) is not None:
                ok = r[key] >= limit if higher else r[key] <= limit
                lines.append(f"- {key} at {size:,}: {_cell(r[key])} (target {'≥' if higher else '≤'} {limit}) "
                             f"{'met' if ok else 'MISSED'}")
    for ours in (r for r in rows if r["system"] == "ours"):
        for base in (b for b in rows if b["system"].startswith("baseline") and b["chunks"] == ours["chunks"]):
            for key in ("hit@5", "mrr", "dev_hit@5", "dev_mrr"):
                if ours.get(key) is not None and base.get(key) is not None:
                    ok = ours[key] >= base[key]
                    lines.append(f"- {key} at {ours['chunks']:,}: ours {ours[key]} vs {base['system']} {base[key]} "
                                 f"{'met' if ok else 'MISSED'}")
    return lines


def markdown(rows: list[dict], notes: list[str], meta: dict | None = None) -> str:
    keys = [k for k, _ in COLUMNS if any(k in r for r in rows)]
    heads = dict(COLUMNS)
    about = [f"- {k}: {v}" for k, v in (meta or {}).items() if k not in ("notes", "results")]
    table = _table([heads[k] for k in keys], [[r.get(k) for k in keys] for r in rows])
    out = ["## Results", "", *about, *([""] if about else []), *table]
    if ratio_rows := ratios(rows):
        out += ["", "## ours / baseline", ""] + _table(["target chunks", *RATIOS], ratio_rows)
    stages, srows = stage_rows(rows)
    out += ["", "## Ingest time by stage (s)", ""] + _table(["system", "target chunks", "total", *stages], srows)
    if targets := target_lines(rows):
        out += ["", "## Targets", "", *targets]
    return "\n".join(out + ["", "## Notes", "", *[f"- {n}" for n in notes + row_notes(rows)]]) + "\n"


def row_notes(rows: list[dict]) -> list[str]:
    """What went wrong in a row, said once: a cold start that needed the fallback, a skipped measurement."""
    notes = []
    for r in rows:
        if r.get("cold_start_error"):
            via = "`python -m bench.ours DB_DIR QUESTION` (open_retriever + Answerer.ask, as the CLI does)"
            notes.append(f"{r['system']} @ {r['chunks']:,}: `python app.py ask` failed ({r['cold_start_error']}); "
                         f"cold start measured with {via if r.get('cold_start_via') else 'nothing'}")
        if r.get("dev_note"):
            notes.append(f"{r['system']}: {r['dev_note']}")
    return notes


def json_line(rows: list[dict], meta: dict) -> str:
    return json.dumps({"results": rows, **meta}, ensure_ascii=False)


def main(argv: list[str]) -> int:
    """`python -m bench.report RESULT.json`: the Markdown report of a saved JSON result."""
    data = json.loads(Path(argv[0]).read_text(encoding="utf-8").strip().splitlines()[-1])
    print(markdown(data["results"], data.get("notes", []), {k: v for k, v in data.items() if k != "results"}), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
