"""Quality, speed and memory of the screening engine on its evaluation set.

Run: ``.venv/bin/python -m bench.screen [--csv tests/data/screening/eval.csv] [--hard …] [--passes 5]``

Prints, for the ``tune`` and ``holdout`` splits of ``eval.csv`` and for the harder independent
set ``threats_hard.csv`` (split ``hard``: threats without the usual verbs and the clean messages
that look like them) separately: precision and recall per class,
the false-flag rate on clean text (messages labelled ``ok`` or ``no_question`` that got any
verdict but ``ok``) and the overall accuracy. A message's predicted label is its verdict, or
``no_question`` when the verdict is ``ok`` and the flag is set.

Time per message is measured with ``time.perf_counter_ns`` around each ``screen`` call: once
over the whole set on a fresh engine (cold: the word caches are empty) and then over
``--passes`` more rounds (warm). Memory is the process's resident set size (``VmRSS`` in
``/proc/self/status``) right before and right after the engine is built, plus the peak
(``VmHWM``); the difference is what the engine (dictionary, models, tables) costs.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import time
from collections import Counter
from pathlib import Path

from procedure.screening import ScreeningEngine, Verdict

LABELS = ("ok", "foreign_language", "abusive", "threat", "no_question")
CLEAN = frozenset({"ok", "no_question"})
DEFAULT_CSV = Path(__file__).resolve().parent.parent / "tests" / "data" / "screening" / "eval.csv"
HARD_CSV = DEFAULT_CSV.with_name("threats_hard.csv")


def predicted_label(verdict: Verdict) -> str:
    """The evaluation label a verdict stands for."""
    if verdict.verdict == "ok" and verdict.no_question:
        return "no_question"
    return verdict.verdict


def load_rows(path: Path) -> list[dict[str, str]]:
    """Rows of the evaluation CSV (columns id, text, label, split)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def scores(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Accuracy and false-flag rate of (expected, predicted) label pairs."""
    correct = sum(1 for expected, got in pairs if expected == got)
    clean = [got for expected, got in pairs if expected in CLEAN]
    flagged = sum(1 for got in clean if got not in CLEAN)
    return {
        "n": len(pairs),
        "accuracy": correct / len(pairs) if pairs else 0.0,
        "clean": len(clean),
        "false_flags": flagged,
        "false_flag_rate": flagged / len(clean) if clean else 0.0,
    }


def _rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _report_split(name: str, pairs: list[tuple[str, str]]) -> None:
    result = scores(pairs)
    print(f"\n== {name}: {result['n']} messages")
    print(f"{'class':<18}{'support':>8}{'precision':>11}{'recall':>9}")
    for label in LABELS:
        true_pos = sum(1 for e, g in pairs if e == label and g == label)
        predicted = sum(1 for _, g in pairs if g == label)
        support = sum(1 for e, _ in pairs if e == label)
        precision = true_pos / predicted if predicted else float("nan")
        recall = true_pos / support if support else float("nan")
        print(f"{label:<18}{support:>8}{precision:>11.3f}{recall:>9.3f}")
    print(f"accuracy {result['accuracy']:.3f}")
    print(f"false flags on clean text {result['false_flags']}/{result['clean']} = {result['false_flag_rate']:.2%}")
    confusion = Counter((e, g) for e, g in pairs if e != g)
    for (expected, got), count in sorted(confusion.items()):
        print(f"  {expected} -> {got}: {count}")


def _percentiles(samples_ns: list[int]) -> str:
    ms = sorted(value / 1e6 for value in samples_ns)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):.3f} ms, p95 {p95:.3f} ms, max {ms[-1]:.3f} ms ({len(ms)} calls)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--hard", type=Path, default=HARD_CSV, help="the harder independent set (split «hard»)")
    parser.add_argument("--passes", type=int, default=5, help="warm passes over the set for timing")
    args = parser.parse_args()
    rows = load_rows(args.csv) + (load_rows(args.hard) if args.hard.is_file() else [])

    print(f"machine: {_cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
    rss_before = _rss_mb()
    started = time.perf_counter()
    engine = ScreeningEngine()
    build_s = time.perf_counter() - started
    rss_after = _rss_mb()
    print(
        f"engine built in {build_s:.2f} s; RSS before {rss_before:.0f} MB, after {rss_after:.0f} MB "
        f"(engine +{rss_after - rss_before:.0f} MB), peak {_rss_mb('VmHWM'):.0f} MB"
    )

    cold: list[int] = []
    by_split: dict[str, list[tuple[str, str]]] = {"tune": [], "holdout": []}
    for row in rows:
        t0 = time.perf_counter_ns()
        verdict = engine.screen(row["text"])
        cold.append(time.perf_counter_ns() - t0)
        by_split.setdefault(row["split"], []).append((row["label"], predicted_label(verdict)))
    warm: list[int] = []
    for _ in range(args.passes):
        for row in rows:
            t0 = time.perf_counter_ns()
            engine.screen(row["text"])
            warm.append(time.perf_counter_ns() - t0)

    for split, pairs in by_split.items():
        _report_split(split, pairs)
    print("\n== time per message")
    print(f"cold (first pass, empty caches): {_percentiles(cold)}")
    print(f"warm ({args.passes} more passes):         {_percentiles(warm)}")


if __name__ == "__main__":
    main()
