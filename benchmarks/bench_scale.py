"""Benchmark: every stage at 1 to 1,000 synthetic county-years, each in a fresh process, against baselines.

    python3 benchmarks/bench_scale.py --sizes 1,10,100,1000 [--json out.json] [--memory-max 100]

For each size N the plans of N synthetic counties (kg.synth, one year each, ~173 tasks)
go through every stage, each stage in its own subprocess so its peak memory
(``ru_maxrss`` of the process and of its pool workers, MB) is its own:

- gen: kg.synth generates the plans and writes them as grid text (input of the parse);
- parse: kg.parse.parse_file on every text, in a pool of as many processes as cores;
- build: `kg build` of the texts (kg.build.build: parse + graph + N-Quads in worker processes,
  one Oxigraph bulk load), then the export of the store as N-Quads (OxigraphStore.dump, the
  path of `kg export --format nq`), then the floor: Oxigraph's own bulk load of that file into
  a fresh store, the least any build of the same quads can take;
- queries: every named query through the embedded store, median of 3 (one run if it takes over 5 s);
- memory: the baseline — the graph `kg build` makes of the same texts, built into rdflib's
  in-memory store (kg.build.dataset_from, kg.store.embedded.MemoryStore), and the same
  queries; a query over --timeout s is reported as ">T s"; skipped above --memory-max
  county-years, where its load alone would not fit the time or memory budget;
- report: `kg report load --by supervisor|head|unit` of all plans (the whole command, which
  reads the summary graph); the networkx view (kg.analysis.network.typed_graph) and the three
  load tables counted from it, for the whole graph and for one plan (`kg report load --plan`);
- network: `kg report network --projection units --plan` for each plan (all plans up to
  --network-all, else a sample, extrapolated and marked "≈"), and for the whole graph up to
  --network-whole-max (betweenness sampled above 3,000 nodes, as kg.analysis.metrics says in its notes);
- explorer: the explorer page of the whole graph (aggregated above 15,000 nodes), up to
  --explorer-max county-years;
- serve: `kg serve` with its defaults, asked by --clients threads for --serve-seconds the
  named queries of the concurrency test (tests/test_concurrency.py) with parameters from
  the graph, as `kg query` sends them: answers, failures, p50 and p99 latency, overall and
  per query; then as long again the selective ones alone (a unit, leader, person, section);
- faults (not for the seed row): `kg build` of the N texts over a store of the seed table,
  SIGKILLed halfway through (half the build stage's time): does the store still answer the
  seed's tasks, and does the next build tidy up; then the same build on a full disk (a tmpfs
  mounted when run as root, with room for half the new store): one error line, exit 1, the
  seed's store intact.

The queries stage also times the whole `kg query --name` command (start-up, name lookup,
query, the table written) for each query that takes under --command-under seconds alone (2 s), median of 3.

The seed table (1 county-year of real data) is the first baseline row of the output.
Writes a Markdown table to stdout and, with --json, every figure as JSON.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {"unit": "工信局", "person": None, "leader": None, "section": None, "min": "5", "word": "人才", "a": None,
            "b": None}
STAGES = ("gen", "parse", "build", "queries", "memory", "report", "network", "explorer", "serve", "faults")


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def _plans(n: int, seed: int):
    from kg import synth
    from kg.build import load_sources

    if n == 0:  # the seed table itself
        return load_sources(None)
    return list(synth.synthesize(counties=n, years=1, seed=seed))


def _parse_one(path: str) -> int:
    from kg.parse import parse_file

    return len(parse_file(path).tasks)


def _time(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _given(nq, plans) -> dict[str, str]:
    """The parameters of a named query as a user types them: names from the first plan (its
    lead unit, leader, section, head), the rest (a date, a year, a task number) as the
    query's own `# example:` gives them."""
    t = plans[0].tasks
    first = next(x for x in t if x.supervisors and x.section)
    head = next(h for x in t for u in x.units for h in u.heads)
    given = {"unit": t[0].units[0].name, "person": head, "leader": first.supervisors[0], "section": first.chapter,
             "min": "5", "word": "建设" if plans[0].file.endswith("县-2021.txt") else "人才",
             "a": plans[0].meta.doc_number or plans[0].file, "b": (plans[-1].meta.doc_number or plans[-1].file),
             "measure": "人才"}
    words = shlex.split(nq.example)
    example = dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--param")
    return {p.name: given[p.name] if p.name in given else example[p.name]
            for p in nq.params if p.name in given or p.name in example}


def _params(store, nq, plans) -> dict:
    """The parameters of :func:`_given` bound as terms, as `kg query` binds them."""
    from kg.sparql.query import resolve_params

    return resolve_params(store, nq, _given(nq, plans))


def _command(name: str, given: dict[str, str], folder: str, repeat: int = 3) -> float:
    """Median seconds of the whole `kg query --name` command (start-up, name lookup, query,
    the table written to a pipe), as a user runs it."""
    cmd = [sys.executable, "-m", "kg", "query", "--name", name, "--store-dir", folder]
    for key, value in given.items():
        cmd += ["--param", f"{key}={value}"]
    times = []
    for _ in range(repeat):
        t, proc = _time(lambda: subprocess.run(cmd, capture_output=True))
        if proc.returncode:
            raise RuntimeError(proc.stderr.decode()[-300:])
        times.append(t)
    return statistics.median(times)


def _query_child(conn, kind, folder, text, bindings, repeat):
    from kg.store.embedded import ox_query

    try:
        if kind == "oxigraph":
            from kg.store.embedded import OxigraphStore

            ox = OxigraphStore(folder).ox()
            run = lambda: ox_query(ox, text, bindings)  # noqa: E731
        else:
            store = _MEMORY
            run = lambda: store.query(text, bindings)  # noqa: E731
        times, rows = [], 0
        for _ in range(repeat):
            t, res = _time(run)
            times.append(t)
            rows = len(res.rows)
            if t > SLOW:  # one run of a slow query is figure enough, and keeps the run's length bounded
                break
        conn.send((statistics.median(times), rows))
    except Exception as exc:  # reported in the table, not fatal to the run
        conn.send((None, f"{type(exc).__name__}: {exc}"))


_MEMORY = None
SLOW = 5.0  # seconds: a query slower than this is run once instead of three times


def _queries(kind: str, folder: str, plans, timeout: float, repeat: int = 3, command_under: float = 0) -> dict:
    """Each named query in a forked child (so a slow one can be stopped): median seconds and rows;
    and the whole `kg query` command's for those faster than ``command_under`` seconds alone."""
    from kg.sparql.query import named_queries, with_prefixes

    ctx = mp.get_context("fork")
    store = _MEMORY if kind == "memory" else None
    if store is None:
        from kg.store.embedded import OxigraphStore

        store = OxigraphStore(folder)
    out = {}
    for name, nq in sorted(named_queries().items()):
        text = with_prefixes(nq.text)  # both engines read the prefixes from the text
        try:
            bindings = _params(store, nq, plans)
        except Exception as exc:
            out[name] = {"seconds": None, "rows": None, "error": f"parameters: {exc}"}
            continue
        parent, child = ctx.Pipe()
        p = ctx.Process(target=_query_child, args=(child, kind, folder, text, bindings, repeat))
        p.start()
        if parent.poll(timeout + SLOW * repeat):
            secs, rows = parent.recv()
            out[name] = {"seconds": secs, "rows": rows} if secs is not None else {"seconds": None, "error": rows}
            if kind == "oxigraph" and secs is not None and secs < command_under:
                out[name]["command_seconds"] = _command(name, _given(nq, plans), folder)
        else:
            out[name] = {"seconds": None, "timeout": timeout}
        p.kill()
        p.join()
    return out


#: the named queries of the concurrency test (tests/test_concurrency.py), asked of `kg serve`
SERVED = ("tasks-led-by", "tasks-supported-by", "leader-tasks", "leader-units", "person-responsibilities",
          "coordination-burden", "tasks-mentioning", "section-tasks", "tasks-per-chapter", "supporters-never-leading")
#: of those, the questions about one unit, leader, person or section
SELECTIVE = ("tasks-led-by", "tasks-supported-by", "leader-tasks", "leader-units", "person-responsibilities",
             "section-tasks")


def _start_server(folder: str) -> tuple[subprocess.Popen, str]:
    """`kg serve` on a free loopback port with its defaults (10 s a query, 10,000 rows); its URL."""
    import re

    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store-dir", folder, "--port", "0"],
                            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        log.seek(0)
        m = re.search(r"endpoint at (http://\S+/sparql)", log.read())
        if m:
            return proc, m.group(1)
        time.sleep(0.2)
    log.seek(0)
    raise RuntimeError(f"kg serve did not start: {log.read()[-500:]}")


def _ask(url: str, text: str) -> tuple[int, int]:
    """POST one query; (HTTP status, rows)."""
    import urllib.error
    import urllib.parse
    import urllib.request

    req = urllib.request.Request(url, urllib.parse.urlencode({"query": text}).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded",
                                  "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, len(json.loads(resp.read())["results"]["bindings"])
    except urllib.error.HTTPError as exc:
        return exc.code, 0


def _percentile(xs: list[float], q: float) -> float | None:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else None


def _serve(folder: str, plans, clients: int, seconds: float, names: tuple[str, ...] = SERVED) -> dict:
    """`clients` threads asking the ``names`` queries for ``seconds``, each as `kg query` sends
    it to the store (the parameters from the graph written into the text as terms, else bound
    by VALUES): per query the answers, failures and p50/p99."""
    import random
    import signal
    import threading

    from kg.sparql.query import find_named, with_prefixes
    from kg.store.embedded import OxigraphStore
    from kg.store.results import bound_for_oxigraph

    store = OxigraphStore(folder)
    texts = {}
    for name in names:
        text, bindings = with_prefixes(find_named(name).text), _params(store, find_named(name), plans)
        texts[name] = bound_for_oxigraph(text, bindings)
    del store
    proc, url = _start_server(folder)
    seen: dict[str, list] = {name: [] for name in names}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        while time.monotonic() < stop:
            name = rnd.choice(names)
            t0 = time.perf_counter()
            try:
                status, _ = _ask(url, texts[name])
            except OSError as exc:  # a refused or dropped connection counts as a failure
                status = type(exc).__name__
            with lock:
                seen[name].append((time.perf_counter() - t0, status))

    try:
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    every = [t for xs in seen.values() for t, _ in xs]
    return {"clients": clients, "seconds": seconds, "answered": sum(st == 200 for xs in seen.values() for _, st in xs),
            "failed": sum(st != 200 for xs in seen.values() for _, st in xs),
            "p50": _percentile(every, 0.5), "p99": _percentile(every, 0.99),
            "queries": {name: {"asked": len(xs), "failed": sum(st != 200 for _, st in xs),
                               "statuses": sorted({str(st) for _, st in xs}),
                               "p50": _percentile([t for t, _ in xs], 0.5), "p99": _percentile([t for t, _ in xs], 0.99)}
                        for name, xs in seen.items()}}


def _kg(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True, **kw)


def _tasks_in(folder: Path) -> int | str:
    """The store's task count through `kg query`, or the error it printed."""
    proc = _kg("query", "SELECT (COUNT(?t) AS ?n) WHERE { ?t a rk:Task }", "--format", "csv", "--store-dir", folder)
    return int(proc.stdout.split()[-1]) if proc.returncode == 0 else proc.stderr.strip()[-300:]


def _bytes(folder: Path) -> int:
    """The size of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _faults(texts: list[Path], work: Path, build_seconds: float) -> dict:
    """A build of the N texts over a store of the seed table, SIGKILLed halfway: the store still
    answers the seed's tasks, and the next build tidies up; the same build on a full disk (a
    tmpfs, when root can mount one, with room for half the new store) fails with one line and
    leaves the seed's store."""
    import signal

    out: dict = {}
    folder = work / "faults-store"
    _kg("build", "--store-dir", folder, check=True)
    before = _tasks_in(folder)
    child = subprocess.Popen([sys.executable, "-m", "kg", "build", *map(str, texts), "--store-dir", str(folder)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(build_seconds / 2)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    out["kill_after_seconds"] = round(build_seconds / 2, 1)
    out["tasks_before"] = before
    out["query_after_kill_seconds"], out["tasks_after_kill"] = _time(lambda: _tasks_in(folder))
    out["old_store_answers"] = out["tasks_after_kill"] == before
    out["tidy_build_seconds"], proc = _time(lambda: _kg("build", "--store-dir", folder))
    strays = [p.name for p in folder.iterdir() if p.name.startswith(".current-")]
    out["tidied"] = proc.returncode == 0 and not strays and len(list(folder.glob("v-*"))) <= 2
    # room for the seed's store twice over and half the store the build stage made of the N texts
    size = 2 * _bytes(folder / os.readlink(folder / "current")) + _bytes(work / "store") // 2
    disk = work / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        out["full_disk"] = "not run: mounting a tmpfs needs root and mount"
        return out
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size // 2**20 + 1}m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode:
        out["full_disk"] = f"not run: {mounted.stderr.strip() or 'mount failed'}"
        return out
    try:
        small = disk / "store"
        _kg("build", "--store-dir", small, check=True)
        seconds, proc = _time(lambda: _kg("build", *texts, "--store-dir", small))
        lines = proc.stderr.strip().splitlines()
        out["full_disk"] = {"exit": proc.returncode, "seconds": round(seconds, 1), "error": lines[-1:],
                            "traceback": "Traceback" in proc.stderr, "tasks_after": _tasks_in(small)}
        out["full_disk"]["old_store_answers"] = out["full_disk"]["tasks_after"] == before
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
    return out


def stage(name: str, n: int, work: Path, args) -> dict:
    """Run one stage in this process; returns its figures."""
    global _MEMORY
    out: dict = {}
    texts = work / "text"
    folder = str(work / "store")
    if name == "gen":
        from kg import synth

        out["seconds"], plans = _time(lambda: _plans(n, args.seed))
        if n:
            out["write_seconds"], _ = _time(lambda: synth.write_plans(plans, texts, "text"))
        out["tasks"] = sum(len(p.tasks) for p in plans)
    elif name == "parse":
        files = sorted(str(p) for p in texts.glob("*.txt")) if n else [str(_seed_path())]
        procs = args.processes or os.cpu_count() or 1
        if procs > 1 and len(files) > 1:
            with mp.get_context("fork").Pool(procs) as pool:
                out["seconds"], counts = _time(lambda: pool.map(_parse_one, files, chunksize=max(1, len(files) // (procs * 8))))
        else:
            out["seconds"], counts = _time(lambda: [_parse_one(f) for f in files])
        out["tasks"], out["processes"] = sum(counts), procs
    elif name == "build":
        import pyoxigraph as ox

        from kg.build import build
        from kg.store.embedded import OxigraphStore

        files = sorted(texts.glob("*.txt")) if n else [_seed_path()]
        store = OxigraphStore(folder)
        out["seconds"], summary = _time(lambda: build(files, store, processes=args.processes or None))
        out["triples"], out["peak_mb"] = summary.triples, _peak_mb()
        # the floor: Oxigraph's own bulk load of the same quads from an N-Quads file
        dumped = work / "store.nq"
        with dumped.open("wb") as fh:
            out["export_seconds"], _ = _time(lambda: store.dump(fh, "nq"))
        out["export_mb"] = round(dumped.stat().st_size / 1e6)
        floor = ox.Store(str(work / "floor"))
        out["floor_seconds"], _ = _time(lambda: (floor.bulk_load(path=str(dumped), format=ox.RdfFormat.N_QUADS),
                                                 floor.flush()))
        del floor
        dumped.unlink()
        shutil.rmtree(work / "floor")
        (work / "build.json").write_text(json.dumps(out))  # the faults stage kills a build halfway
        return out
    elif name == "serve":
        plans = _plans(n, args.seed)
        out["serve"] = _serve(folder, plans, args.clients, args.serve_seconds)
        out["selective"] = _serve(folder, plans, args.clients, args.serve_seconds, SELECTIVE)
    elif name == "faults" and n:  # not for the seed: its own store is the old one
        out["faults"] = _faults(sorted(texts.glob("*.txt")), work, json.loads((work / "build.json").read_text())["seconds"])
    elif name == "queries":
        out["queries"] = _queries("oxigraph", folder, _plans(n, args.seed), args.timeout,
                                  command_under=args.command_under)
    elif name == "memory":
        from kg.build import dataset_from
        from kg.store.embedded import MemoryStore

        plans = _plans(n, args.seed)
        files = sorted(texts.glob("*.txt")) if n else [_seed_path()]
        # the graph `kg build` makes of the same texts (with the summary graph), in rdflib's memory
        out["load_seconds"], (ds, _) = _time(lambda: dataset_from(files))
        _MEMORY = MemoryStore(ds)
        out["queries"] = _queries("memory", folder, plans, args.timeout)
    elif name in ("report", "network", "explorer"):
        from kg.graph.plan import Iris, government_key, plan_key
        from kg.graph.namespaces import DEFAULT_BASE
        from kg.analysis.network import typed_graph
        from kg.store.embedded import OxigraphStore

        store = OxigraphStore(folder)
        plans = _plans(n, args.seed)
        iris = [str(Iris(DEFAULT_BASE, government_key(p), plan_key(p)).plan_iri()) for p in plans]
        if name == "report":
            from kg.views.report import load_table

            for by in ("supervisor", "head", "unit"):  # the whole command, from the summary graph
                cmd = [sys.executable, "-m", "kg", "report", "load", "--by", by, "--store-dir", str(folder)]
                out[f"summary_{by}_seconds"], proc = _time(lambda: subprocess.run(cmd, capture_output=True))
                if proc.returncode:
                    raise RuntimeError(proc.stderr.decode())
            out["plan_view_seconds"], one = _time(lambda: typed_graph(store, plan=iris[0]))
            out["plan_tables_seconds"] = sum(_time(lambda: load_table(one, by))[0] for by in ("supervisor", "head", "unit"))
        if name == "network":
            from kg.views.report import network_report

            sample = iris if len(iris) <= args.network_all else iris[:: max(1, len(iris) // args.network_sample)]
            t0 = time.perf_counter()
            notes = set()
            for iri in sample:
                _, p, a = network_report(typed_graph(store, plan=iri), "units")
                notes.update(x.split(":")[0] for x in a.notes)
            per_plan = (time.perf_counter() - t0) / len(sample)
            out["per_plan_seconds"], out["plans_measured"], out["plans"] = per_plan, len(sample), len(iris)
            out["all_plans_seconds"] = per_plan * len(iris)
            out["per_plan_notes"] = sorted(notes)
        if name == "explorer" and n > args.explorer_max or name == "network" and n > args.network_whole_max:
            out["peak_mb"] = _peak_mb()
            return out
        out["view_seconds"], g = _time(lambda: typed_graph(store))
        out["nodes"], out["edges"] = g.number_of_nodes(), g.number_of_edges()
        if name == "report":
            for by in ("supervisor", "head", "unit"):
                out[f"{by}_seconds"], _ = _time(lambda: load_table(g, by))
        elif name == "network":
            out["whole_seconds"], (_, p, a) = _time(lambda: network_report(g, "units"))
            out["whole_nodes"], out["whole_notes"] = p.number_of_nodes(), a.notes
        else:
            from kg.views import explorer

            out["texts_seconds"], g = _time(lambda: explorer.add_task_texts(g, store))
            page = work / "explorer.html"
            out["page_seconds"], w = _time(lambda: explorer.write_explorer(page, g))
            out["aggregated"], out["mb"] = w.aggregated, round(w.size / 1e6, 1)
    out["peak_mb"] = _peak_mb()
    return out


def _seed_path() -> Path:
    from kg.resources import default_source

    return Path(default_source())


def _machine() -> dict:
    import importlib.metadata as md

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for pkg in ("rdflib", "pyoxigraph", "oxrdflib", "networkx", "pyshacl", "pyvis"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(ram, 1),
            "python": platform.python_version(), "load_avg": os.getloadavg(), "packages": versions}


def _fmt(x, unit="s"):
    if x is None:
        return "–"
    return f"{x:.2f} {unit}" if x < 100 else f"{x:.0f} {unit}"


def _query_cell(q: dict | None) -> str:
    if q is None:
        return "not run"
    if q.get("timeout"):
        return f">{q['timeout']:.0f} s"
    if q.get("seconds") is None:
        return "error"
    return f"{q['seconds'] * 1000:.0f} ms" if q["seconds"] < 10 else f"{q['seconds']:.0f} s"


def _command_cell(q: dict | None) -> str:
    return f" ({_fmt(q['command_seconds'])})" if q and "command_seconds" in q else ""


def _served_cell(q: dict) -> str:
    failed = f", {q['failed']} failed ({', '.join(q['statuses'])})" if q["failed"] else ""
    return f"{q['asked']}, {_fmt(q['p99'])}{failed}"


def _faults_cell(f: dict) -> str:
    return (f"{'yes' if f['old_store_answers'] else 'NO'} (killed at {f['kill_after_seconds']} s, "
            f"{f['tasks_after_kill']} tasks, read in {_fmt(f['query_after_kill_seconds'])}); next build "
            f"{'tidied' if f['tidied'] else 'did NOT tidy'} in {_fmt(f['tidy_build_seconds'])}")


def _disk_cell(d) -> str:
    if isinstance(d, str):
        return d
    ok = d["exit"] == 1 and not d["traceback"] and d["old_store_answers"]
    return f"{'yes' if ok else 'NO'}: exit {d['exit']} after {_fmt(d['seconds'])}, {' '.join(d['error'])[:120]}"


def markdown(results: dict, machine: dict) -> str:
    sizes = list(results)
    head = "| stage | " + " | ".join(("seed" if s == 0 else f"{s:,} county-years") for s in sizes) + " |\n"
    head += "|---|" + "---|" * len(sizes) + "\n"
    rows = []

    def row(label, fn):
        cells = []
        for s in sizes:
            try:
                cells.append(fn(results[s]))
            except (KeyError, TypeError):
                cells.append("–")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    row("tasks", lambda r: f"{r['gen']['tasks']:,}")
    row("triples", lambda r: f"{r['build']['triples']:,}")
    row("parse alone (text → records, a pool)", lambda r: f"{_fmt(r['parse']['seconds'])}, {r['parse']['peak_mb']:.0f} MB")
    row("kg build: parse + build + load (kg.build.build)", lambda r: _fmt(r["build"]["seconds"]))
    row("kg build, peak (with its workers)", lambda r: f"{r['build']['peak_mb']:.0f} MB")
    row("floor: Oxigraph bulk_load of the same N-Quads file", lambda r: _fmt(r["build"]["floor_seconds"]))
    row("kg build / floor", lambda r: f"{r['build']['seconds'] / r['build']['floor_seconds']:.2f}×")
    row("kg export --format nq (OxigraphStore.dump)",
        lambda r: f"{_fmt(r['build']['export_seconds'])}, {r['build']['export_mb']:,} MB")
    row("baseline: rdflib memory build (the texts read and built into a Dataset)", lambda r: f"{_fmt(r['memory']['load_seconds'])}, {r['memory']['peak_mb']:.0f} MB")
    names = sorted(next(iter(r["queries"]["queries"] for r in results.values() if "queries" in r), {}))
    for name in names:
        row(f"query {name}: Oxigraph / rdflib (the whole kg query command)",
            lambda r, n=name: f"{_query_cell(r['queries']['queries'].get(n))} / "
                              f"{_query_cell(r.get('memory', {}).get('queries', {}).get(n))}"
                              + _command_cell(r['queries']['queries'].get(n)))
    row("named queries under 1 s alone / as the whole command",
        lambda r: f"{sum((q.get('seconds') or 99) < 1 for q in r['queries']['queries'].values())} / "
                  f"{sum(q.get('command_seconds', 99) < 1 for q in r['queries']['queries'].values())}"
                  f" of {len(r['queries']['queries'])}")
    row("queries, peak (Oxigraph)", lambda r: f"{r['queries']['peak_mb']:.0f} MB")
    for by in ("supervisor", "head", "unit"):
        row(f"kg report load --by {by} (all plans, from the summary graph)",
            lambda r, b=by: _fmt(r["report"][f"summary_{b}_seconds"]))
    row("load report of one plan (--plan: view + 3 tables)",
        lambda r: _fmt(r["report"]["plan_view_seconds"] + r["report"]["plan_tables_seconds"]))
    row("networkx view of all plans (typed_graph)", lambda r: _fmt(r["report"]["view_seconds"]))
    row("load report (3 tables, after the view)",
        lambda r: _fmt(sum(r["report"][f"{b}_seconds"] for b in ("supervisor", "head", "unit"))))
    row("load report, peak", lambda r: f"{r['report']['peak_mb']:.0f} MB")
    row("network per plan (units projection)",
        lambda r: f"{_fmt(r['network']['per_plan_seconds'])} each, {'≈' if r['network']['plans_measured'] < r['network']['plans'] else ''}"
                  f"{_fmt(r['network']['all_plans_seconds'])} all")
    row("network, whole graph", lambda r: f"{_fmt(r['network']['whole_seconds'])} ({r['network']['whole_nodes']:,} units)")
    row("network, peak", lambda r: f"{r['network']['peak_mb']:.0f} MB")
    row("explorer page", lambda r: f"{_fmt(r['explorer']['texts_seconds'] + r['explorer']['page_seconds'])}"
                                   f"{' (aggregated)' if r['explorer']['aggregated'] else ''}, {r['explorer']['mb']} MB")
    row("explorer, peak", lambda r: f"{r['explorer']['peak_mb']:.0f} MB")
    row("kg serve: clients × seconds, answered / failed",
        lambda r: f"{r['serve']['serve']['clients']} × {r['serve']['serve']['seconds']:.0f} s, "
                  f"{r['serve']['serve']['answered']:,} / {r['serve']['serve']['failed']:,}")
    row("kg serve: p50 / p99 latency", lambda r: f"{_fmt(r['serve']['serve']['p50'])} / {_fmt(r['serve']['serve']['p99'])}")
    row("kg serve, the selective queries alone: answered / failed, p50 / p99",
        lambda r: f"{r['serve']['selective']['answered']:,} / {r['serve']['selective']['failed']:,}, "
                  f"{_fmt(r['serve']['selective']['p50'])} / {_fmt(r['serve']['selective']['p99'])}")
    for name in SERVED:
        row(f"kg serve {name}: asked, p99", lambda r, n=name: _served_cell(r["serve"]["serve"]["queries"][n]))
    row("SIGKILL of a build halfway: the old store answers", lambda r: _faults_cell(r["faults"]["faults"]))
    row("full disk during the build: one-line error, old store answers",
        lambda r: _disk_cell(r["faults"]["faults"]["full_disk"]))
    m = machine
    return (f"{m['date']}; {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; CPython {m['python']}; "
            + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + f"; load average at start {m['load_avg'][0]:.1f}\n\n"
            + head + "\n".join(rows) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,10,100", help="county-years, comma-separated (0 = the seed table)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per query run before it counts as '>T s'")
    ap.add_argument("--memory-max", type=int, default=100, help="largest size for the rdflib memory baseline")
    ap.add_argument("--network-all", type=int, default=100, help="up to this many plans, time each plan's network")
    ap.add_argument("--network-sample", type=int, default=50, help="else time this many, evenly spread")
    ap.add_argument("--network-whole-max", type=int, default=100,
                    help="largest size for the network report of the whole graph (360 s at 100 county-years)")
    ap.add_argument("--explorer-max", type=int, default=100, help="largest size for the explorer page of the whole graph")
    ap.add_argument("--processes", type=int, default=0, help="parse and build processes (default: the cores)")
    ap.add_argument("--command-under", type=float, default=2.0,
                    help="queries: time the whole kg query command of each query faster than this alone (s)")
    ap.add_argument("--clients", type=int, default=20, help="serve: concurrent clients of `kg serve`")
    ap.add_argument("--serve-seconds", type=float, default=60.0, help="serve: how long the clients ask")
    ap.add_argument("--stages", default=",".join(STAGES))
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        print(json.dumps(stage(args.stage, args.size, Path(args.work), args)))
        return
    machine = _machine()
    results: dict = {}
    wanted = args.stages.split(",")
    for n in [0] + [int(s) for s in args.sizes.split(",") if s]:
        results[n] = {}
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{n}-") as work:
            for name in STAGES:
                if name not in wanted or (name == "memory" and n > args.memory_max):
                    continue
                cmd = [sys.executable, __file__, "--stage", name, "--size", str(n), "--work", work,
                       "--seed", str(args.seed), "--timeout", str(args.timeout),
                       "--network-all", str(args.network_all), "--network-sample", str(args.network_sample),
                       "--network-whole-max", str(args.network_whole_max), "--explorer-max", str(args.explorer_max),
                       "--processes", str(args.processes), "--clients", str(args.clients),
                       "--command-under", str(args.command_under),
                       "--serve-seconds", str(args.serve_seconds)]
                t0 = time.perf_counter()
                proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
                if proc.returncode:
                    results[n][name] = {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
                else:
                    results[n][name] = json.loads(proc.stdout.strip().splitlines()[-1])
                print(f"size {n} {name}: {time.perf_counter() - t0:.1f} s wall "
                      f"{json.dumps(results[n][name], ensure_ascii=False)[:300]}", file=sys.stderr, flush=True)
                if args.json:  # after every stage, so a long run stopped midway keeps what it measured
                    Path(args.json).write_text(json.dumps({"machine": machine, "results": results},
                                                          ensure_ascii=False, indent=1), encoding="utf-8")
    print(markdown(results, machine))


if __name__ == "__main__":
    main()
