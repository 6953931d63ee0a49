"""1. Start to the sign-in window, against a bare PySide6 window (median of N starts)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT, Result, child_env, median, ratio, summary
from benchmarks.startup_child import MARK, READY

TARGET_RATIO = 1.5  # the second bar (#28 item 4), and ready within READY_TARGET_S
READY_TARGET_S = 1.5


def one_start(mode: str, db: Path | None) -> tuple[float, dict]:
    """Seconds from spawning the process to the window's first paint, and its stages
    (for the app, "ready_after_spawn": to the database open and the pages built)."""
    args = [sys.executable, "-m", "benchmarks.startup_child", mode]
    if db is not None:
        args.append(str(db))
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env=child_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    elapsed, stages = None, {}
    for line in proc.stdout:
        if line.startswith(MARK):
            elapsed = time.perf_counter() - started
            stages = json.loads(line[len(MARK):])
            if mode == "bare":
                break
        elif line.startswith(READY):
            stages = json.loads(line[len(READY):])
            stages["ready_after_spawn"] = time.perf_counter() - started
            break
    try:
        _out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
    if elapsed is None:
        raise RuntimeError(f"{mode} start did not show a window:\n{err[-2000:]}")
    return elapsed, stages


def run(db: Path, runs: int) -> Result:
    one_start("bare", None)  # warm the file cache for both before timing
    one_start("app", db)
    app_times, bare_times, app_stages = [], [], []
    for _ in range(runs):  # alternate, so that a noisy moment hits both
        elapsed, stages = one_start("app", db)
        app_times.append(elapsed)
        app_stages.append(stages)
        bare_times.append(one_start("bare", None)[0])
    app_s, bare_s = median(app_times), median(bare_times)
    r = ratio(app_s, bare_s)
    stage_medians = {k: median([s[k] for s in app_stages if k in s]) for k in app_stages[0]}
    return Result(
        key="startup", title="1. Start to the sign-in window", unit="ms",
        app=app_s * 1000, raw=bare_s * 1000, ratio=r,
        target=f"≤{TARGET_RATIO:g}×, ready ≤{READY_TARGET_S:g} s",
        status="PASS" if r is not None and r <= TARGET_RATIO
        and stage_medians.get("ready_after_spawn", float("inf")) <= READY_TARGET_S
        else "MISS",
        note=(f"median of {runs} starts; raw = bare PySide6 QMainWindow. Ready behind the "
              f"sign-in view (database open, pages built) after "
              f"{stage_medians.get('ready_after_spawn', float('nan')) * 1000:.0f} ms"),
        details={"app_s": summary(app_times), "bare_s": summary(bare_times),
                 "app_stages_s_since_interpreter_up": stage_medians},
    )
