"""The printed table."""

from __future__ import annotations

import sys
import textwrap

from benchmarks.common import Result

WIDTH = 112


def value(number: float | None, unit: str) -> str:
    if number is None:
        return "—"
    if unit.endswith("/s"):  # rows/s, messages/s
        return f"{number:,.0f} {unit}".replace(",", " ")
    if unit == "MB":
        return f"{number:.0f} MB"
    if unit == "ms":
        return f"{number:.1f} ms" if number < 100 else f"{number:,.0f} ms".replace(",", " ")
    return f"{number:.3g} {unit}".strip()


def ratio_text(result: Result) -> str:
    if result.ratio is None:
        return "—"
    if result.higher_is_better:
        return f"{result.ratio:.0%}".replace("%", " %")
    return f"{result.ratio:.2f}×"


def print_table(results: list[Result], meta: dict, out=sys.stdout) -> None:
    quick = " (quick)" if meta["quick"] else ""
    dirty = " + uncommitted app changes" if meta["uncommitted_changes"] else ""
    head = (f"Benchmarks at scale {meta['scale']:g}{quick} · commit {meta['commit']}{dirty} · "
            f"{meta['cpus']} CPUs · {meta['seconds']:.0f} s")
    columns = f"{'Measure':<42} {'App':>14} {'Raw baseline':>16} {'Ratio':>7}  " \
              f"{'Target':<19} {'Result':<6}"
    print(file=out)
    print(head, file=out)
    print("=" * WIDTH, file=out)
    print(columns, file=out)
    print("-" * WIDTH, file=out)
    for r in results:
        print(f"{r.title:<42.42} {value(r.app, r.unit):>14} {value(r.raw, r.unit):>16} "
              f"{ratio_text(r):>7}  {r.target:<19.19} {r.status:<6}", file=out)
        if r.note:
            for line in textwrap.wrap(r.note, WIDTH - 6):
                print(f"    {line}", file=out)
    print("-" * WIDTH, file=out)
    counts = {s: sum(r.status == s for r in results) for s in ("PASS", "MISS", "SKIP",
                                                                "ERROR")}
    print("  ".join(f"{k} {v}" for k, v in counts.items() if v), file=out)
    print("Ratio = app / raw (lower is better), except rates (rows/s, messages/s) where it "
          "is app as a share of raw. Timings are medians or p95 of repeats; not assertions.",
          file=out)
