"""`python -m bench.documents_tab --docs 10000`: how long the web app's Documents tab takes to refresh.

Registers N documents in a temporary embedded store (registry records as ingest writes them; no chunks, which the
table never reads), then times the tab's handlers as the server runs them: a refresh right after the store changed
(the registry is scanned again), a refresh with nothing changed, a search, the next page, a click on a row.
Medians of --runs; the browser then draws one page of rows whatever N is.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from rag.settings import Settings


def records(n: int) -> dict[str, dict]:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return {
        f"{i:016x}": {"source": f"/srv/rag-db/uploads/report-{i:05d}.md", "title": f"AI 인재 양성 보고서 {i:05d}",
                      "version": "0" * 12, "language": "ko", "tags": "", "chunks": 10, "content_hash": f"{i:064x}",
                      "ingested_at": (start + timedelta(seconds=37 * i)).isoformat(timespec="seconds")}
        for i in range(n)
    }


def _ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def measure(n: int, runs: int) -> dict:
    from ui.documents import DocumentsTab
    from ui.services import Services

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_dir=Path(folder) / "db", samples_dir=Path(folder) / "none", collection="bench-documents")
        services = Services(settings, seed_samples=False)
        store = services.index().store
        made = records(n)
        ids = list(made)
        for i in range(0, n, 1000):
            store.commit_documents({k: made[k] for k in ids[i : i + 1000]})
        tab = DocumentsTab(services)

        def changed():
            store.bump_revision()  # what every ingest or delete does, here or in another process
            tab.listing()

        row = type("Row", (), {"row_value": ["", "", "", "", "", ids[7]]})()
        result = {
            "documents": len(services.documents()),
            "refresh_after_change_ms": _ms(changed, runs),
            "refresh_ms": _ms(tab.listing, runs),
            "search_ms": _ms(lambda: tab.first_page("보고서 0777", "newest", []), runs),
            "next_page_ms": _ms(lambda: tab.next_page("", "newest", 3, []), runs),
            "title_sort_ms": _ms(lambda: tab.first_page("", "title", []), runs),
            "select_row_ms": _ms(lambda: tab.pick("", "newest", 1, [], row), runs),
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.documents_tab", description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents in the store (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="repeats of each measurement; medians reported")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = measure(args.docs, args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
