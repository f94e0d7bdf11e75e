"""Where our time goes: `python -m bench.profile search|ask|ingest --db DIR --questions FILE [--paths FILE]`.

cProfile over many calls; prints each project function's cumulative share and the top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench.ours import Ours
from bench.quality import ROOT

PROJECT = tuple(str(ROOT / d) for d in ("rag", "ingest", "answer"))


def _label(func: tuple) -> str:
    path, line, name = func
    return f"{Path(path).relative_to(ROOT)}:{line}({name})" if path.startswith(str(ROOT)) else f"{path}:{line}({name})"


def report(profile: cProfile.Profile, wall_s: float, calls: int, top: int = 18) -> str:
    stats = pstats.Stats(profile).stats  # func -> (primitive calls, calls, own time, cumulative, callers)
    total = sum(own for _, _, own, _, _ in stats.values()) or 1.0
    ours = sorted(((cum, f) for f, (_, _, _, cum, _) in stats.items() if f[0].startswith(PROJECT)), reverse=True)
    own = sorted(((o, f) for f, (_, _, o, _, _) in stats.items()), reverse=True)
    lines = [f"{calls} calls, {wall_s / calls * 1000:.1f} ms each (wall, profiled); shares of profiled time", "",
             "cumulative, project functions:"]
    lines += [f"  {cum / total:6.1%}  {cum / calls * 1000:8.2f} ms/call  {_label(f)}" for cum, f in ours[:top]]
    lines += ["", "own time, any function:"]
    lines += [f"  {o / total:6.1%}  {o / calls * 1000:8.2f} ms/call  {_label(f)}" for o, f in own[:top]]
    return "\n".join(lines)


def _questions(path: Path, n: int) -> list[str]:
    texts = [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines()]
    return [texts[i % len(texts)] for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    p.add_argument("what", choices=["search", "ask", "ingest"])
    p.add_argument("--db", type=Path, help="our index (from `python -m bench --keep`)")
    p.add_argument("--questions", type=Path, help="questions.jsonl next to the index")
    p.add_argument("--paths", type=Path, help="paths.txt (for ingest)")
    p.add_argument("--n", type=int, default=200, help="calls (documents for ingest)")
    args = p.parse_args(argv)
    profile = cProfile.Profile()
    if args.what == "ingest":
        paths = [Path(x) for x in args.paths.read_text(encoding="utf-8").splitlines()[: args.n]]
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
            system = Ours(Path(tmp))
            start = time.perf_counter()
            profile.runcall(system.ingest, paths)
            print(report(profile, time.perf_counter() - start, len(paths)))
        return 0
    system = Ours(args.db)
    system.open()
    call = (lambda q: system.search(q, 5)) if args.what == "search" else system.ask
    queries = _questions(args.questions, args.n)
    for q in queries[:10]:
        call(q)  # warm caches, as the timed bench does
    start = time.perf_counter()
    profile.enable()
    for q in queries:
        call(q)
    profile.disable()
    print(report(profile, time.perf_counter() - start, len(queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
