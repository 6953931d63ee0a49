"""`make bench-load`: twenty desks at once (#28 item 5).

`python -m benchmarks.load [--desks 20] [--minutes 10] [--volume 10] [--scale 1]
 [--json FILE]`

Twenty processes, each a real workstation (benchmarks/load_desk.py: its own SQLite file,
the application's services and sync engine, signed in online as one staff member of the
demo area with that member's own PostgreSQL login), against one central PostgreSQL (a
scratch database seeded with the scale-`--scale` demo, on DESK_BENCH_PG_URL, else
DESK_TEST_PG_URL, else a throwaway server). The morning: every desk's first sync at once.
Then a busy day compressed into `--minutes`, at the demo area's real proportions
(app/demo/area.py: walk-ins, phone and video calls, booked visits) times `--volume` (10:
an area ten times the demo's): Rovaniemi's desks register walk-ins and call, start and
finish them with a visit record; Ranua's desk books and checks in; coaches take calls,
book their customers and edit plan drafts; Ranua's coaches serve their checked-in
customers. Each desk goes off line once, for 5-10 % of the day, and works on.

Reported: how long a walk-in registered at one Rovaniemi desk takes to be on another's
(p95 target <= 300 ms, both desks on line), the central server's CPU (its processes in
/proc, when it runs on this machine) and connections, the desks' own CPU. Checked, and
the exit status says: every desk converges (the digest of every table it holds equals
the centre's for its scope as its own login reads it), nothing made is missing centrally
and nothing is doubled (the centre's new rows per desk equal what the desk made).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import central as raw
from benchmarks.common import BENCH_DIR, CACHE, JSON_MARK, ROOT, child_env, demo_db, p95, summary
from benchmarks.load_desk import write_json

PASSWORD = "bench-load"  # benchmarks/load_desk.py signs in with it
TARGET_P95_MS = 300
# A busy day of the scale-1 demo area (app/demo/area.py's year over ~250 working days,
# a third above the average): walk-ins, phone and video calls, booked appointments, plan
# saves, Ranua's check-ins. `--volume` multiplies them.
DAY = {"walk_in": 45, "contact": 20, "book": 50, "plan": 25, "check_in": 4}
LETTERS = "ABCDEFGHJKLMNPRSTU"


def cast(desks: int, staff: list[dict]) -> list[dict]:
    """Who works this day: Rovaniemi's desk workers (a fifth; coaches take desk shifts
    when the demo has too few), Ranua's desk worker and coaches (from 8 desks on),
    Rovaniemi's coaches the rest. The demo's shared accounts (desk, coach, lead, admin)
    are the tests' logins and stay out."""
    reserved = {"desk", "coach", "lead", "admin", "opo"}
    working = [s for s in staff if s["username"] not in reserved and s["active"]]

    def of(role: str, point: str) -> list[dict]:
        return [s for s in working if (s["role"], s["point"]) == (role, point)]

    want = {"rov_desk": max(2, round(desks / 5)),
            "ran_desk": 1 if desks >= 8 else 0,
            "ran_coach": min(len(of("coach", "RAN")), desks // 5) if desks >= 8 else 0}
    want["rov_coach"] = desks - sum(want.values())
    pools = {"rov_desk": of("desk", "ROV") + of("coach", "ROV"),
             "ran_desk": of("desk", "RAN"), "ran_coach": of("coach", "RAN"),
             "rov_coach": of("coach", "ROV")}
    chosen: list[dict] = []
    for kind, count in want.items():
        taken = {c["username"] for c in chosen}
        people = [p for p in pools[kind] if p["username"] not in taken][:count]
        if len(people) < count:
            raise SystemExit(f"the demo has {len(people)} for {kind}, {count} wanted")
        chosen += [{**person, "kind": kind} for person in people]
    return chosen


def rates(desk: dict, team: list[dict], volume: float, day_s: float) -> dict[str, float]:
    """The desk's share of the day, per second."""
    def count(kind: str) -> int:
        return sum(1 for d in team if d["kind"] == kind)

    coaches = count("rov_coach") + count("ran_coach")
    per = {k: v * volume / day_s for k, v in DAY.items()}
    kind = desk["kind"]
    if kind == "rov_desk":
        walk_in = per["walk_in"] / count("rov_desk")
        return {"walk_in": walk_in, "serve": 2 * walk_in * 1.05}  # call+start, finish
    if kind == "ran_desk":
        return {"book": per["book"] * 0.2, "check_in": per["check_in"]}
    own = {"contact": per["contact"] / coaches, "book": per["book"] * 0.8 / coaches,
           "plan": per["plan"] / coaches}
    if kind == "ran_coach":
        own["serve"] = 2 * per["check_in"] / count("ran_coach")
    return own


# --- the central server -----------------------------------------------------------------


def staff_of(url: str) -> list[dict]:
    import psycopg

    with psycopg.connect(raw.psycopg_url(url)) as conn:
        rows = conn.execute(
            "SELECT s.username, s.role, p.code, s.active, s.id, "
            "(SELECT count(*) FROM customer c WHERE c.coach_id = s.id) AS caseload "
            "FROM staff s JOIN service_point p ON p.id = s.service_point_id "
            "ORDER BY caseload DESC, s.username").fetchall()
    return [{"username": u, "role": r, "point": p, "active": a, "id": i}
            for u, r, p, a, i, _n in rows]


def give_logins(url: str, team: list[dict], made: list[str]) -> None:
    """A LOGIN role per working staff member (roles are the cluster's), CONNECT on the
    scratch database. A role made here goes into `made` at once (dropped after the run,
    even one that fails part way); an existing one (a run at the same time, one killed
    earlier) gets this run's password and is left in place afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError

    from app.db.central_roles import GROUP_OF, create_login_role, scram_verifier

    engine = create_engine(raw.sqlalchemy_url(url), isolation_level="AUTOCOMMIT")
    try:
        for desk in team:
            name = desk["username"]
            with engine.connect() as conn:
                exists = conn.exec_driver_sql(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).scalar()
            if not exists:
                try:
                    create_login_role(engine, name, PASSWORD, desk["role"])
                    made.append(name)
                    continue
                except DBAPIError as exc:  # made meanwhile by another run: as existing
                    if "already exists" not in str(exc.orig):
                        raise
            with engine.connect() as conn:
                database = conn.exec_driver_sql("SELECT current_database()").scalar()
                conn.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"')
                conn.exec_driver_sql(f'GRANT {GROUP_OF[desk["role"]]} TO "{name}"')
                conn.exec_driver_sql(f"ALTER ROLE \"{name}\" LOGIN PASSWORD "
                                     f"'{scram_verifier(PASSWORD)}'")
    finally:
        engine.dispose()


def drop_logins(url: str, names: list[str]) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(raw.psycopg_url(url), autocommit=True) as conn:
        for name in names:
            try:
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
            except psycopg.Error as exc:  # still owning something elsewhere: say so
                print(f"  could not drop the login {name}: {exc}".splitlines()[0])


class ServerWatch(threading.Thread):
    """Once a second: the central server's CPU (its processes' ticks in /proc, the
    postmaster's waited-for children included) and this database's connections."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        import psycopg

        self.conn = psycopg.connect(raw.psycopg_url(url), autocommit=True)
        backend = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.postmaster = _parent(backend)
        if self.postmaster is not None and not _is_postgres(self.postmaster):
            self.postmaster = None  # a server elsewhere: its CPU is not measured here
        self.samples: list[tuple[float, float | None, int]] = []  # (t, cpu s, connections)
        self.stopping = threading.Event()

    def cpu_s(self) -> float | None:
        if self.postmaster is None:
            return None
        tick = os.sysconf("SC_CLK_TCK")
        try:
            total = sum(_stat(self.postmaster)[i] for i in (11, 12, 13, 14))
            for pid in _children(self.postmaster):
                try:
                    total += sum(_stat(pid)[i] for i in (11, 12))
                except (OSError, IndexError):
                    continue  # ended meanwhile: in the postmaster's children's times
        except (OSError, IndexError):
            return None
        return total / tick

    def sample(self) -> None:
        connections = self.conn.execute(
            "SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()[0]
        self.samples.append((time.monotonic(), self.cpu_s(), connections))

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            try:
                self.sample()
            except Exception:
                continue

    def stop(self) -> None:
        self.stopping.set()
        self.join(5)
        self.conn.close()

    def figures(self, start: float, end: float) -> dict:
        inside = [s for s in self.samples if start <= s[0] <= end]
        out: dict = {"connections_max": max((s[2] for s in inside), default=None),
                     "connections_mean": (sum(s[2] for s in inside) / len(inside)
                                          if inside else None)}
        cpu = [(t, c) for t, c, _n in inside if c is not None]
        if len(cpu) >= 2:
            out["cpu_cores_mean"] = (cpu[-1][1] - cpu[0][1]) / (cpu[-1][0] - cpu[0][0])
            peaks = [(cpu[i + 5][1] - cpu[i][1]) / (cpu[i + 5][0] - cpu[i][0])
                     for i in range(len(cpu) - 5)]
            out["cpu_cores_peak_5s"] = max(peaks, default=None)
        else:
            out["cpu"] = "not measured: the server's processes are not on this machine"
        return out


def _stat(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()  # after the command's name
    return [int(f) if f.lstrip("-").isdigit() else 0 for f in fields]


def _is_postgres(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().startswith("postgres")
    except OSError:
        return False


def _parent(pid: int) -> int | None:
    try:
        return _stat(pid)[1]
    except OSError:
        return None


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if _stat(int(entry.name))[1] == parent:
                    found.append(int(entry.name))
            except (OSError, IndexError):
                continue
    return found


def central_ids(url: str, team: list[dict]) -> dict[str, set[str]]:
    """The ids of the rows the day adds to: the team's visits, today's tickets under the
    registering desks' letters, every appointment; before and after, for 'nothing
    doubled' (a row the centre gained that no desk made)."""
    import psycopg

    staff = [d["id"] for d in team]
    letters = [(d["point"], d["letter"]) for d in team if d.get("letter")]
    with psycopg.connect(raw.psycopg_url(url)) as conn:
        visits = {r[0] for r in conn.execute(
            "SELECT id FROM visit WHERE staff_id = ANY(%s)", (staff,))}
        tickets = {i for i, p, letter in conn.execute(
            "SELECT t.id, p.code, t.letter FROM queue_ticket t JOIN service_point p "
            "ON p.id = t.service_point_id "
            "WHERE t.ticket_date = (now() AT TIME ZONE 'Europe/Helsinki')::date")
            if (p, letter) in letters}
        appointments = {r[0] for r in conn.execute("SELECT id FROM appointment")}
    return {"visit": visits, "queue_ticket": tickets, "appointment": appointments}


def missing_centrally(url: str, made: dict[str, list[str]]) -> dict[str, int]:
    import psycopg

    out = {}
    with psycopg.connect(raw.psycopg_url(url)) as conn:
        for table, ids in made.items():
            if not ids:
                continue
            found = conn.execute(f"SELECT count(*) FROM {table} WHERE id = ANY(%s)",
                                 (list(set(ids)),)).fetchone()[0]
            out[table] = len(set(ids)) - found
    return out


def doubled_numbers(url: str) -> int:
    import psycopg

    with psycopg.connect(raw.psycopg_url(url)) as conn:
        return conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM queue_ticket GROUP BY service_point_id, "
            "ticket_date, letter, number HAVING count(*) > 1) d").fetchone()[0]


# --- the walk-ins across desks ------------------------------------------------------------


def walk_in_latencies(results: list[dict]) -> dict:
    """Registered at one Rovaniemi desk, first held by another: both on line throughout;
    a ticket made off line is counted apart (it arrives when its desk is back)."""
    desks = [r for r in results if r.get("kind") == "rov_desk" and "seen" in r]
    latencies, made_offline, late = [], 0, []
    for maker in desks:
        off = maker["offline"]
        for ticket, registered in maker["registered"].items():
            if off and off[0] - 1.0 <= registered < off[1]:  # or just before: not sent
                made_offline += 1
                for other in desks:
                    if other is not maker and ticket in other["seen"]:
                        late.append(other["seen"][ticket] - off[1])
                continue
            for other in desks:
                if other is maker:
                    continue
                seen = other["seen"].get(ticket)
                their = other["offline"]
                if seen is None or (their and their[0] < seen and registered < their[1]):
                    continue  # the other desk was off line meanwhile
                latencies.append(seen - registered)
    return {"latency_s": summary(latencies) if latencies else None,
            "pairs": len(latencies), "made_offline": made_offline,
            "after_reconnect_s": summary(late) if late else None}


# --- the run ------------------------------------------------------------------------------


def run(args: argparse.Namespace, out: dict) -> bool:
    from app.db.migrate import upgrade_central
    from app.services.registry import Services
    from app.sync import push as push_mod
    from app.sync.engine import central_engine
    from app.sync.seed import seed_central

    demo = demo_db(args.scale)
    work = CACHE / "load"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    with ExitStack() as stack:
        url, source = stack.enter_context(raw.server())
        if url is None:
            print(f"bench-load: {source}")
            return False
        made_logins: list[str] = []  # dropped once the scratch database is gone
        stack.callback(drop_logins, url, made_logins)
        central_url = stack.enter_context(raw.scratch_database(url))
        if central_url is None:
            print("bench-load: cannot create a scratch database (the role needs CREATEDB)")
            return False
        print(f"central PostgreSQL: {source}")
        upgrade_central(central_url)
        seeder = Services.open(_copy(demo, work / "seed.sqlite3"), "load-seed")
        central = central_engine(central_url)
        seed_central(seeder.ctx.engine, central)
        push_mod.push(seeder.ctx.engine, central, seeder.ctx.clock.node)
        seeder.close()
        central.dispose()
        (work / "seed.sqlite3").unlink()
        _analyze(central_url)  # a central database in use has its planner statistics

        team = cast(args.desks, staff_of(central_url))
        give_logins(central_url, team, made_logins)
        registering = [d for d in team if d["kind"] in ("rov_desk", "ran_desk")]
        for letter, desk in zip(LETTERS, registering, strict=False):
            desk["letter"] = letter  # each registering desk its own: tickets counted by it
        day_s = args.minutes * 60
        rng = random.Random(args.seed)
        before = central_ids(central_url, team)
        watch = ServerWatch(central_url)
        watch.start()
        stack.callback(watch.stop)
        print(f"{len(team)} desks: " + ", ".join(
            f"{sum(1 for d in team if d['kind'] == k)} {k}"
            for k in ("rov_desk", "ran_desk", "rov_coach", "ran_coach")))
        morning = time.monotonic()
        procs: list[subprocess.Popen] = []
        stack.callback(_stop_all, procs)  # a failed run leaves no desk waiting
        for i, desk in enumerate(team):
            offline_s = rng.uniform(0.05, 0.10) * day_s
            offline_at = rng.uniform(0.1, 0.85) * day_s
            log = open(work / f"desk-{i}.log", "w")  # noqa: SIM115 (closed with the run)
            stack.callback(log.close)
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "benchmarks.load_desk", str(work), str(i),
                 "--central", central_url, "--user", desk["username"],
                 "--kind", desk["kind"], "--point", desk["point"],
                 "--letter", desk.get("letter") or "A",
                 "--rates", json.dumps(rates(desk, team, args.volume, day_s)),
                 "--day-s", str(day_s), "--offline-at", f"{offline_at:.1f}",
                 "--offline-s", f"{offline_s:.1f}", "--seed", str(args.seed * 100 + i)],
                cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=log, text=True))
        _wait_files(work, "ready", len(team), procs, timeout=1800)
        out["morning_s"] = time.monotonic() - morning
        print(f"· morning: {len(team)} first syncs at once in {out['morning_s']:.0f} s; "
              f"the day: {args.minutes:g} min …")
        start = time.monotonic() + 2.0
        write_json(work / "go.json", {"start": start})  # whole, for the polling desks
        _wait_files(work, "quiet", len(team), procs, timeout=day_s + 1800)
        end = start + day_s
        out["central"] = watch.figures(start, end)
        print("· every desk has sent its day; the last pulls …")
        write_json(work / "settle.json", {})
        results = [_result(p) for p in procs]
        out["desks"] = [{k: r.get(k) for k in ("index", "user", "kind", "first_sync",
                                                 "counts", "refusals", "sync_failures",
                                                 "cpu_s", "left_unsent", "digests", "error")}
                        for r in results]
        after = central_ids(central_url, team)
        made: dict[str, list[str]] = {}
        for r in results:
            for table, ids in (r.get("made") or {}).items():
                made.setdefault(table, []).extend(ids)
        out["missing"] = missing_centrally(central_url, made)
        out["doubled_numbers"] = doubled_numbers(central_url)
        out["doubled"] = _doubled(made, before, after)
        out["walk_in"] = walk_in_latencies(results)
        out["desks_cpu_s"] = sum(r.get("cpu_s") or 0 for r in results)
        out["day_s"] = day_s
        out["actions"] = {}
        for r in results:
            for kind, n in (r.get("counts") or {}).items():
                out["actions"][kind] = out["actions"].get(kind, 0) + n
        out["sync_s"] = summary([s for r in results for s in r.get("sync_s") or []]) or None
        out["errors"] = [f"desk {r['index']} ({r['kind']}): {e}" for r in results
                         for e in (r.get("errors") or [])][:10]
    return _verdict(out)


def _stop_all(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(raw.psycopg_url(url), autocommit=True) as conn:
        conn.execute("ANALYZE")


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def _wait_files(work: Path, stem: str, count: int, procs: list, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while sum(1 for _ in work.glob(f"{stem}-*.json")) < count:
        dead = [i for i, p in enumerate(procs) if p.poll() is not None
                and not (work / f"{stem}-{i}.json").exists()]
        if dead:
            tail = (work / f"desk-{dead[0]}.log").read_text()[-2000:]
            out = procs[dead[0]].stdout.read()[-2000:] if procs[dead[0]].stdout else ""
            raise RuntimeError(f"desk {dead[0]} ended before '{stem}':\n{out}\n{tail}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"not every desk reached '{stem}' in {timeout:.0f} s")
        time.sleep(0.2)


def _result(proc: subprocess.Popen) -> dict:
    stdout, _ = proc.communicate(timeout=600)
    for line in stdout.splitlines():
        if line.startswith(JSON_MARK):
            return json.loads(line[len(JSON_MARK):])
    return {"error": f"exit {proc.returncode} without a result"}


def _doubled(made: dict[str, list[str]], before: dict[str, set[str]],
             after: dict[str, set[str]]) -> dict[str, int]:
    """Per table, the rows the centre gained that no desk made (a change applied twice
    would be one), and the rows a desk counts as made that were there before the day."""
    out = {}
    for table in before:
        ids = set(made.get(table, []))
        gained = after[table] - before[table]
        if gained - ids:
            out[f"{table} gained, made by no desk"] = len(gained - ids)
        if ids & before[table]:
            out[f"{table} made, but there before"] = len(ids & before[table])
    return out


def _verdict(out: dict) -> bool:
    problems = []
    for d in out["desks"]:
        if d.get("error"):
            problems.append(f"desk {d['index']} failed: {d['error']}")
        elif d["digests"]["differ"]:
            problems.append(f"desk {d['index']} ({d['user']}) differs from the centre in "
                            + ", ".join(d["digests"]["differ"]))
        elif d.get("left_unsent"):
            problems.append(f"desk {d['index']} could not send {d['left_unsent']} changes")
    problems += [f"{n} {table} made but not central" for table, n in out["missing"].items()
                 if n]
    problems += [f"{what}: {n}" for what, n in out["doubled"].items()]
    if out["doubled_numbers"]:
        problems.append(f"{out['doubled_numbers']} ticket numbers given twice")
    out["problems"] = problems
    return not problems


def report(out: dict, args: argparse.Namespace) -> None:
    walk = out.get("walk_in") or {}
    latency = walk.get("latency_s") or {}
    p95_ms = latency.get("p95", 0) * 1000 if latency else None
    central = out.get("central") or {}
    print()
    print(f"Desks at once: {len(out.get('desks', []))}, a day of "
          f"{args.minutes:g} min at volume {args.volume:g}, demo scale {args.scale:g}")
    print("  actions done: " + ", ".join(f"{k} {v}" for k, v in
                                           sorted((out.get("actions") or {}).items())))
    if latency:
        verdict = "PASS" if p95_ms <= TARGET_P95_MS else "MISS"
        print(f"  walk-in to another desk: median {latency['median'] * 1000:.0f} ms, "
              f"p95 {p95_ms:.0f} ms, max {latency['max'] * 1000:.0f} ms over "
              f"{walk['pairs']} desk pairs (target p95 <= {TARGET_P95_MS} ms): {verdict}")
    if walk.get("made_offline"):
        late = walk.get("after_reconnect_s") or {}
        print(f"  walk-ins made off line: {walk['made_offline']}, on the other desks "
              f"{late.get('median', 0):.1f} s (median) after their desk was back")
    if "cpu_cores_mean" in central:
        print(f"  central server: CPU {central['cpu_cores_mean']:.2f} cores on average, "
              f"{central['cpu_cores_peak_5s']:.2f} at the busiest 5 s; connections "
              f"{central['connections_mean']:.0f} on average, {central['connections_max']} "
              f"at most")
    elif central:
        print(f"  central server: {central.get('cpu')}; connections at most "
              f"{central.get('connections_max')}")
    if out.get("desks_cpu_s") is not None and out.get("day_s"):
        print(f"  the desks' own CPU: {out['desks_cpu_s']:.0f} s in all (first syncs "
              f"included)")
    firsts = [d["first_sync"] for d in out.get("desks") or [] if d.get("first_sync")]
    if out.get("morning_s") and firsts:
        usable = [f["usable_s"] for f in firsts if f.get("usable_s") is not None]
        print(f"  morning: {len(firsts)} first syncs at once, all complete in "
              f"{out['morning_s']:.0f} s (p95 {p95([f['s'] for f in firsts]):.0f} s); "
              + (f"usable (working set in) p95 {p95(usable):.1f} s" if usable else ""))
    if out.get("sync_s"):
        print(f"  a desk's sync (push and pull): median {out['sync_s']['median'] * 1000:.0f}"
              f" ms, p95 {out['sync_s']['p95'] * 1000:.0f} ms")
    for line in out.get("errors") or []:
        print("  error: " + line.splitlines()[0])
    if out.get("problems"):
        print("  NOT CONVERGED:")
        for problem in out["problems"]:
            print("   - " + problem)
    elif "problems" in out:
        tables = out["desks"][0]["digests"]["tables"] if out["desks"] else 0
        print(f"  converged: every desk holds the centre's rows of its scope as its login "
              f"reads them ({tables} tables); nothing missing, nothing doubled")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--volume", type=float, default=10)
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "results-load.json")
    args = parser.parse_args()
    if args.desks < 3:
        parser.error("--desks: at least 3 (two desks of Rovaniemi and a coach)")
    out: dict = {"when": datetime.now(UTC).isoformat(timespec="seconds"),
                 "args": vars(args) | {"json": str(args.json)}, "cpus": os.cpu_count()}
    try:
        ok = run(args, out)
    except Exception as exc:
        import traceback

        out["error"] = f"{type(exc).__name__}: {exc}"
        print(traceback.format_exc())
        ok = False
    report(out, args)
    args.json.write_text(json.dumps(out, indent=1, default=str))
    print(f"\nfigures: {args.json}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
