"""The embedded store and the build, as a library: kg.store.embedded and kg.build.

Builds go into Oxigraph stores in tmp_path; failures are provoked by monkeypatching
pyoxigraph or kg.store.embedded, and the build lock is held by a real second process.
"""

from __future__ import annotations

import errno
import json
import os
import time
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDFS, XSD

import kg.store.embedded
from kg.build import build, dataset_from, load_sources
from kg.errors import InputError, RecordError
from kg.records import dump_jsonl
from helpers import load_row_keys, lock_held
from kg.store.embedded import MemoryStore, OxigraphStore, StoreError, StoreLocked, nquads, open_store

SEED_TASKS = 173
SEED_FILE = "004_89d412a27e51e6a9.txt"
PLAN = URIRef("https://w3id.org/respkg/id/plan/晋政文-2021-16")
BUILD = URIRef("https://w3id.org/respkg/id/build")


# --- helpers ---------------------------------------------------------------------------


def quads(ds) -> int:
    return len(list(ds.quads((None, None, None, None))))


def graph_of(ds, iri: URIRef) -> Graph:
    """One named graph copied into memory; `"x"^^xsd:string` read as the plain `"x"` (the
    same RDF 1.1 term, which Oxigraph returns typed and rdflib compares unequal)."""
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, iri)):
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        g.add((s, p, o))
    return g


def versions(store: OxigraphStore) -> set[str]:
    return {p.name for p in store.path.glob("v-*")}


def target(store: OxigraphStore) -> str:
    """Where `current` points (a version folder's name)."""
    assert store.current.is_symlink()
    return str(store.current.readlink())




# --- fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mem_ds():
    """The in-memory Dataset of the bundled table (do not hand it to MemoryStore.replace)."""
    return dataset_from(None)[0]


@pytest.fixture(scope="module")
def mem_quads(mem_ds) -> int:
    return quads(mem_ds)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A store with one build of the bundled table, and the build's summary; read only."""
    store = OxigraphStore(tmp_path_factory.mktemp("built") / "s")
    return store, build(None, store)


@pytest.fixture
def store(tmp_path, mem_ds) -> OxigraphStore:
    """A store holding the graph of the bundled table, for tests that change it."""
    s = OxigraphStore(tmp_path / "s")
    s.replace(mem_ds)
    return s


@pytest.fixture(scope="module")
def records_file(tmp_path_factory, seed) -> Path:
    """`kg parse` output of the bundled table, as tasks.jsonl."""
    path = tmp_path_factory.mktemp("records") / "tasks.jsonl"
    path.write_text(dump_jsonl(seed.tasks), encoding="utf-8")
    return path


# --- build into the embedded store -----------------------------------------------------


def test_build_summary(built):
    store, summary = built
    assert summary.tasks == SEED_TASKS
    assert summary.graphs == 8  # the plan, the four bundled reports, the inferred links, the summary, the provenance
    assert summary.sources[0] == SEED_FILE and [s[:4] for s in summary.sources[1:]] == ["000_", "001_", "002_", "003_"]
    assert summary.store == f"embedded Oxigraph store at {store.path}"
    assert summary.triples > 8000
    assert summary.seconds > 0


def test_named_graphs_are_the_plan_the_reports_the_inferences_and_the_build(built, mem_ds):
    store, _ = built
    sizes = {g.identifier: len(g) for g in store.dataset().graphs() if len(g)}
    assert set(sizes) == {g.identifier for g in mem_ds.graphs() if len(g)} >= {PLAN, BUILD}
    assert sizes[PLAN] > 8000


def test_read_back_has_the_quads_of_the_in_memory_dataset(built, mem_quads):
    store, summary = built
    assert quads(store.dataset()) == mem_quads == summary.triples


def test_read_back_plan_graph_is_the_in_memory_one(built, mem_ds):
    store, _ = built
    assert isomorphic(graph_of(store.dataset(), PLAN), graph_of(mem_ds, PLAN))


def test_default_graph_is_the_union(built, mem_ds):
    """The default graph is the union: a triple in several graphs (a unit's label) counts once."""
    from kg.graph.validate import union_graph

    store, _ = built
    assert len(store.dataset()) == len(union_graph(mem_ds))


def test_build_into_memory_store(mem_quads):
    store = MemoryStore()
    summary = build(None, store)
    assert summary.tasks == SEED_TASKS and summary.store == "rdflib memory store"
    assert quads(store.dataset()) == mem_quads


def test_rebuilding_replaces_and_is_isomorphic(tmp_path, mem_quads):
    store = OxigraphStore(tmp_path / "s")
    build(None, store)
    first = graph_of(store.dataset(), PLAN)
    build(None, store)
    ds = store.dataset()
    assert quads(ds) == mem_quads  # re-loading never duplicates
    assert isomorphic(first, graph_of(ds, PLAN))
    assert len(list(ds.quads((None, PROV.endedAtTime, None, None)))) == 1
    assert len(list(ds.quads((BUILD, PROV.endedAtTime, None, BUILD)))) == 1


def test_versions_keep_the_current_and_the_previous(tmp_path, mem_ds):
    store = OxigraphStore(tmp_path / "s")
    targets = []
    for n in range(1, 5):
        store.replace(mem_ds)  # the store's part of a build
        assert store.current.is_symlink()
        targets.append(target(store))
        assert len(set(targets)) == n, "each build gets a new version folder"
        assert versions(store) == set(targets[-2:]), n
    assert sorted(p.name for p in store.path.iterdir()) == sorted(["current", "lock", *targets[-2:]])


def test_stray_folder_of_a_killed_build_does_not_evict_the_previous_version(store, mem_ds):
    previous = target(store)
    time.sleep(0.05)
    stray = pyoxigraph.Store(str(store.path / "v-20210101T000000-1-1"))  # what a killed build leaves
    stray.flush()
    del stray
    store.replace(mem_ds)
    assert versions(store) == {previous, target(store)}


# --- a failed build leaves the previous graph ------------------------------------------


def _assert_unchanged(store, before_target, before_versions, mem_quads):
    assert target(store) == before_target
    assert versions(store) == before_versions
    assert quads(store.dataset()) == mem_quads


def test_failed_load_leaves_previous_graph(store, monkeypatch, mem_quads):
    before_target, before_versions = target(store), versions(store)
    calls = []

    def disk_full(self, *args, **kwargs):
        calls.append(args)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyoxigraph.Store, "bulk_load", disk_full)
    with pytest.raises(StoreError) as exc:
        build(None, store)
    assert calls, "the build did not reach bulk_load"
    message = str(exc.value)
    assert message.startswith(f"{store.path}: ")
    assert "No space left on device" in message
    assert "the previous graph is unchanged" in message
    monkeypatch.undo()
    _assert_unchanged(store, before_target, before_versions, mem_quads)


def test_interrupted_load_leaves_previous_graph(store, monkeypatch, mem_ds, mem_quads):
    before_target, before_versions = target(store), versions(store)

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pyoxigraph.Store, "bulk_load", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.replace(mem_ds)
    monkeypatch.undo()
    _assert_unchanged(store, before_target, before_versions, mem_quads)


def test_failed_swap_leaves_previous_graph(store, monkeypatch, mem_ds, mem_quads):
    before_target, before_versions = target(store), versions(store)

    def io_error(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(kg.store.embedded.os, "replace", io_error)
    with pytest.raises(StoreError, match="the previous graph is unchanged"):
        store.replace(mem_ds)
    monkeypatch.undo()
    _assert_unchanged(store, before_target, before_versions, mem_quads)


def test_failed_swap_leaves_no_stray_files(store, monkeypatch, mem_ds):
    before = sorted(p.name for p in store.path.iterdir())

    def io_error(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(kg.store.embedded.os, "replace", io_error)
    with pytest.raises(StoreError):
        store.replace(mem_ds)
    monkeypatch.undo()
    assert sorted(p.name for p in store.path.iterdir()) == before


def test_failed_fsync_after_swap_leaves_a_graph(store, monkeypatch, mem_ds, mem_quads):
    def fsync_unsupported(path):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(kg.store.embedded, "_fsync_dir", fsync_unsupported)
    try:
        store.replace(mem_ds)
    except StoreError as exc:
        assert "the previous graph is unchanged" in str(exc)
    monkeypatch.undo()
    assert store.exists()
    assert target(store) in versions(store)
    assert quads(store.dataset()) == mem_quads


def test_bad_input_leaves_previous_graph(store, tmp_path, mem_quads):
    before_target, before_versions = target(store), versions(store)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.txt"):
        build([empty], store)
    _assert_unchanged(store, before_target, before_versions, mem_quads)


def test_bad_records_leave_previous_graph(store, tmp_path, mem_quads):
    before_target, before_versions = target(store), versions(store)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"no": "x"}\n', encoding="utf-8")
    with pytest.raises(RecordError, match=r"bad\.jsonl:1: 'no'"):
        build([bad], store)
    _assert_unchanged(store, before_target, before_versions, mem_quads)


# --- the build lock --------------------------------------------------------------------


def test_locked_store_fails_then_waits(store, tmp_path, mem_ds, mem_quads):
    before_target, before_versions = target(store), versions(store)
    with lock_held(store.path, tmp_path, 2.0) as holder:
        t0 = time.monotonic()
        with pytest.raises(StoreLocked) as exc:
            store.replace(mem_ds)
        assert time.monotonic() - t0 < 2, "wait=0 should fail at once"
        message = str(exc.value)
        assert str(store.path) in message
        assert "locked" in message
        assert f"pid {holder.pid}" in message
        assert isinstance(exc.value, StoreError)
        assert (target(store), versions(store)) == (before_target, before_versions)

        store.replace(mem_ds, wait=10)
        assert Path(f"{tmp_path / 'lock-ready'}.released").exists(), "replace ran before the lock was released"
        assert holder.wait(timeout=10) == 0
    assert target(store) != before_target
    assert quads(store.dataset()) == mem_quads


def test_lock_is_free_after_a_build(store):
    with store.lock():
        pass
    assert (store.path / "lock").read_text() == f"kg build (pid {os.getpid()})"


# --- opening stores --------------------------------------------------------------------


def test_empty_store_has_no_dataset(tmp_path):
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        with pytest.raises(StoreError, match="`kg build`"):
            OxigraphStore(folder).dataset()
    assert not (tmp_path / "missing").exists(), "reading must not create the store folder"


def test_open_unknown_store():
    with pytest.raises(StoreError) as exc:
        open_store("sqlite")
    assert "sqlite" in str(exc.value)
    assert "oxigraph" in str(exc.value) and "memory" in str(exc.value)


def test_open_memory_store():
    assert isinstance(open_store("memory"), MemoryStore)


def test_open_store_defaults(monkeypatch):
    monkeypatch.delenv("RESPKG_STORE", raising=False)
    monkeypatch.delenv("RESPKG_STORE_DIR", raising=False)
    store = open_store()
    assert isinstance(store, OxigraphStore)
    assert store.path == Path(".respkg/store")
    assert open_store(None, "elsewhere").path == Path("elsewhere")


def test_store_dir_that_is_a_file(tmp_path):
    path = tmp_path / "a-file"
    path.write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        open_store(None, path)


def test_env_store_kind(monkeypatch):
    monkeypatch.setenv("RESPKG_STORE", "memory")
    assert isinstance(open_store(), MemoryStore)
    assert isinstance(open_store("oxigraph"), OxigraphStore), "an explicit kind wins over the environment"
    monkeypatch.setenv("RESPKG_STORE", "sqlite")
    with pytest.raises(StoreError, match="oxigraph"):
        open_store()


def test_env_store_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("RESPKG_STORE", raising=False)
    monkeypatch.setenv("RESPKG_STORE_DIR", str(tmp_path / "from-env"))
    assert open_store().path == tmp_path / "from-env"
    assert open_store(None, tmp_path / "explicit").path == tmp_path / "explicit"
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("RESPKG_STORE_DIR", str(tmp_path / "file"))
    with pytest.raises(StoreError, match="not a folder"):
        open_store()


# --- records files as input ------------------------------------------------------------


def test_records_file_loads(records_file, seed):
    [result] = load_sources([records_file])
    assert len(result.tasks) == SEED_TASKS
    assert result.file == "tasks.jsonl"
    # the findings the records alone show, e.g. no-supervisor for the tasks naming no city leader
    assert sorted(f.task for f in result.findings if f.kind == "no-supervisor") == \
        [t.no for t in seed.tasks if not t.supervisors]


def test_records_round_trip(records_file, seed):
    [result] = load_sources([records_file])
    assert dump_jsonl(result.tasks) == dump_jsonl(seed.tasks)


def test_build_from_records(records_file):
    store = MemoryStore()
    summary = build([records_file], store)
    assert summary.tasks == SEED_TASKS
    assert summary.graphs == 3  # the plan, the summary, the provenance
    assert summary.sources == ["tasks.jsonl"]


@pytest.mark.parametrize("lineno, bad, expected", [
    (10, "{broken", "not valid JSON"),
    (3, json.dumps({"no": "x"}), "'no' should be int"),
    (5, "[1, 2]", "expected a JSON object"),
])
def test_broken_records_line_names_file_and_line(tmp_path, records_file, lineno, bad, expected):
    lines = records_file.read_text(encoding="utf-8").splitlines()
    lines[lineno - 1] = bad
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as exc:
        load_sources([path])
    assert str(exc.value).startswith(f"{path}:{lineno}: ")
    assert expected in str(exc.value)


def test_empty_records_file(tmp_path):
    path = tmp_path / "none.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(RecordError, match="no records"):
        load_sources([path])


# --- the build's N-Quads and its worker processes --------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_IRI = st.from_regex(r"https://example\.org/[a-z0-9/_%-]{0,20}", fullmatch=True).map(URIRef)
_LITERAL = st.one_of(
    _TEXT.map(lambda t: Literal(t, lang="zh")),
    _TEXT.map(Literal),
    st.integers().map(lambda n: Literal(n, datatype=XSD.integer)),
    st.dates().map(lambda d: Literal(d.isoformat(), datatype=XSD.date)),
)


@settings(max_examples=60, deadline=None)
@given(st.sets(st.tuples(_IRI, _IRI, st.one_of(_IRI, _LITERAL)), max_size=12))
def test_nquads_read_back_as_the_same_triples(triples):
    """What the build writes for the bulk load is what rdflib's own parser reads back, whatever the text."""
    g = URIRef("https://example.org/graph/plan")
    ds = rdflib.Dataset()
    ds.parse(data=nquads(g, triples).decode("utf-8"), format="nquads")
    assert set(ds.graph(g)) == set(triples)


@pytest.mark.parametrize("bad", ["https://example.org/a> <https://example.org/b> <https://example.org/c",
                                 "https://example.org/a b", 'https://example.org/"', "https://example.org/\n"])
def test_nquads_refuses_an_iri_that_would_end_early(bad):
    """An IRI holding `>`, a space, a quote or a line break could write a quad of its own: refused."""
    with pytest.raises(ValueError, match="no IRI may hold"):
        nquads(URIRef("https://example.org/g"), {(URIRef(bad), RDFS.label, Literal("x"))})


@pytest.fixture(scope="module")
def synth_files(tmp_path_factory) -> list[Path]:
    from kg import synth

    return synth.write_plans(synth.synthesize(counties=9, seed=3), tmp_path_factory.mktemp("synth"))


def _content(store: OxigraphStore) -> set:
    """The store's quads but the build's time (the provenance says when each build ran), the
    summary's load rows with their blank nodes written as their classes and holders."""
    rows = load_row_keys(store.ox())
    return {(rows.get(q.subject, q.subject), q.predicate, q.object, q.graph_name) for q in store.ox()
            if q.predicate.value not in (str(PROV.endedAtTime), str(PROV.startedAtTime), str(PROV.generatedAtTime))}


def test_build_in_worker_processes_is_the_build_in_one(synth_files, tmp_path):
    one, pooled = OxigraphStore(tmp_path / "one"), OxigraphStore(tmp_path / "pooled")
    a = build(synth_files, one, processes=1)
    b = build(synth_files, pooled, processes=2)
    assert (b.tasks, b.graphs, b.triples, b.sources) == (a.tasks, a.graphs, a.triples, a.sources)
    assert len(synth_files) >= 8 and a.graphs == len(synth_files) + 2  # the plans, the summary, the provenance
    assert _content(pooled) == _content(one)


def test_kg_build_of_many_sources_names_a_few_of_them(synth_files, tmp_path):
    """The report line of a build of many sources counts them instead of listing every file."""
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["build", *map(str, synth_files), "--store-dir", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    line = result.stdout.splitlines()[0]
    names = [p.name for p in synth_files]
    assert f"from {len(names)} sources ({names[0]}, {names[1]}, {names[2]}, …, {names[-1]}) (" in line
    assert names[4] not in line


def test_bad_source_among_pooled_ones_leaves_previous_graph(synth_files, tmp_path):
    store = OxigraphStore(tmp_path / "store")
    build(synth_files[:2], store, processes=1)
    before = target(store), versions(store), len(store.ox())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.txt"):
        build([*synth_files[:4], empty, *synth_files[4:]], store, processes=2)
    assert (target(store), versions(store), len(store.ox())) == before


def test_a_layout_error_in_a_worker_comes_back_whole(synth_files, tmp_path):
    """Every source refused in the workers (a wrong --layout): the build fails with the reader's error."""
    from kg.errors import LayoutError

    with pytest.raises(LayoutError, match="no task found"):
        build(synth_files, OxigraphStore(tmp_path / "store"), layout="clauses", processes=2)
