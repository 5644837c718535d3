#!/usr/bin/env bash
# Bulk-load respkg's N-Quads exports into a Virtuoso 7.2 server, keeping the named graphs.
#
#   scripts/virtuoso-bulk-load.sh load [--isql HOST:PORT] [--group IRI] [--replace] [--jobs N] DIR
#       Registers DIR/*.nq and DIR/*.nq.gz with Virtuoso's bulk loader (ld_dir), runs
#       rdf_loader_run() (N loaders in parallel with --jobs) and a checkpoint.  Each quad
#       goes into the graph it names, so every plan stays its own named graph.
#       --replace  first clears every graph the files name (a reload, not an addition).
#       --group    adds every graph the files name to the graph group IRI; query it with
#                  kg query --endpoint 'http://HOST:PORT/sparql?default-graph-uri=IRI' to
#                  see only these graphs on a server that holds other data.
#       Exits 1 if the loader recorded an error for any file (DB.DBA.LOAD_LIST.ll_error).
#   scripts/virtuoso-bulk-load.sh unload [--isql HOST:PORT] [--group IRI] DIR
#       Drops every graph the files in DIR name, the graph group and DIR's load-list rows.
#
# DIR must be readable by the server under the same path and lie in a folder listed in
# DirsAllowed of its virtuoso.ini (scripts/virtuoso.sh allows its data folder and /tmp).
# Every quad must name its graph (kg export --format nq writes no default-graph triple):
# the graphs are listed from the last IRI of each line.
#
# Environment: VIRTUOSO_DBA_PASSWORD (default dba), VIRTUOSO_ISQL (HOST:PORT, default
# 127.0.0.1:1111), VIRTUOSO_ISQL_BIN (default isql-vt, Debian's name; "isql" elsewhere).
set -euo pipefail

ISQL="${VIRTUOSO_ISQL_BIN:-isql-vt}"
PASSWORD="${VIRTUOSO_DBA_PASSWORD:-dba}"
# Triples without a graph (none in respkg's exports) would land here, visibly apart.
FALLBACK_GRAPH="urn:respkg:bulk:no-graph"

die() {
    echo "virtuoso-bulk-load.sh: $*" >&2
    exit 1
}

usage() {
    cat >&2 <<'EOF'
usage: virtuoso-bulk-load.sh load [--isql HOST:PORT] [--group IRI] [--replace] [--jobs N] DIR
       virtuoso-bulk-load.sh unload [--isql HOST:PORT] [--group IRI] DIR
EOF
    exit 2
}

sql_quote() { # TEXT -> 'TEXT' with quotes doubled
    printf "'%s'" "${1//\'/\'\'}"
}

isql() { # SQL...  one connection, one EXEC per statement; fails on any SQL error
    local args=() stmt out
    for stmt in "$@"; do args+=("EXEC=$stmt"); done
    # isql reports SQL errors on its output but may still exit 0: check the text too
    if ! out="$("$ISQL" "$ENDPOINT" dba "$PASSWORD" BANNER=OFF VERBOSE=OFF "${args[@]}" </dev/null 2>&1)"; then
        printf '%s\n' "$out" >&2
        return 1
    fi
    if grep -qE '^\*\*\* Error|SQLState|\[Virtuoso Driver\]' <<<"$out"; then
        printf '%s\n' "$out" >&2
        return 1
    fi
    printf '%s' "$out"
}

graphs_in() { # DIR -> the distinct graph IRIs (without <>) named by DIR/*.nq and *.nq.gz
    local f
    shopt -s nullglob
    for f in "$1"/*.nq "$1"/*.nq.gz; do
        if [[ $f == *.gz ]]; then zcat -- "$f"; else cat -- "$f"; fi
    done | awk 'NF >= 5 && $NF == "." && $(NF-1) ~ /^<.*>$/ { print substr($(NF-1), 2, length($(NF-1)) - 2) }' |
        LC_ALL=C sort -u
}

ENDPOINT="${VIRTUOSO_ISQL:-127.0.0.1:1111}"
GROUP=""
REPLACE=0
JOBS=1

parse_options() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --isql) [[ $# -ge 2 ]] || usage; ENDPOINT="$2"; shift 2 ;;
        --group) [[ $# -ge 2 ]] || usage; GROUP="$2"; shift 2 ;;
        --replace) REPLACE=1; shift ;;
        --jobs) [[ $# -ge 2 && "$2" =~ ^[1-9][0-9]*$ ]] || usage; JOBS="$2"; shift 2 ;;
        -*) usage ;;
        *) [[ -z "${DIR:-}" ]] || usage; DIR="$1"; shift ;;
        esac
    done
    [[ -n "${DIR:-}" ]] || usage
    [[ -d "$DIR" ]] || die "$DIR: no such folder"
    # the server opens the files itself: give it the absolute path
    DIR="$(cd "$DIR" && pwd -P)"
    command -v "$ISQL" >/dev/null 2>&1 || die "$ISQL not found (set VIRTUOSO_ISQL_BIN, or install virtuoso-opensource)"
}

isql_batched() { # FIRST STMT...  FIRST then up to 90 of the STMTs per connection (isql takes 101 EXECs at most)
    local first="$1" i
    shift
    local stmts=("$@")
    for ((i = 0; i < ${#stmts[@]}; i += 90)); do
        isql "$first" "${stmts[@]:i:90}" >/dev/null
    done
}

clear_graphs() { # IRI...  (log_enable(3,1): no transaction log for a big delete, autocommit per row)
    local g stmts=()
    for g in "$@"; do stmts+=("SPARQL CLEAR GRAPH <$g>"); done
    isql_batched "log_enable(3,1)" "${stmts[@]}"
}

cmd_load() {
    parse_options "$@"
    local graphs=()
    mapfile -t graphs < <(graphs_in "$DIR")
    [[ ${#graphs[@]} -gt 0 ]] || die "$DIR: no quads in *.nq or *.nq.gz (export with: kg export --format nq -o $DIR/respkg.nq)"
    if [[ $REPLACE == 1 ]]; then
        clear_graphs "${graphs[@]}"
    fi
    local dir_sql like_sql
    dir_sql="$(sql_quote "$DIR")"
    like_sql="$(sql_quote "$DIR/%")"
    # Forget earlier loads of DIR: ld_dir skips a file it has already registered.
    isql "delete from DB.DBA.LOAD_LIST where ll_file like $like_sql" \
        "ld_dir($dir_sql, '*.nq', $(sql_quote "$FALLBACK_GRAPH"))" \
        "ld_dir($dir_sql, '*.nq.gz', $(sql_quote "$FALLBACK_GRAPH"))" >/dev/null
    local start=$SECONDS i pids=() failed=0
    for ((i = 0; i < JOBS; i++)); do
        isql "rdf_loader_run()" >/dev/null &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || failed=1; done
    [[ $failed == 0 ]] || die "rdf_loader_run() failed"
    isql "checkpoint" >/dev/null
    local errors
    errors="$(isql "select ll_file, ll_error from DB.DBA.LOAD_LIST where ll_file like $like_sql and (ll_error is not null or ll_state <> 2)")"
    if [[ -n "${errors//[[:space:]]/}" ]]; then
        die "the loader failed on some files (the graphs may hold part of them; rerun with --replace):
$errors"
    fi
    if [[ -n "$GROUP" ]]; then
        local g stmts=()
        for g in "${graphs[@]}"; do stmts+=("DB.DBA.RDF_GRAPH_GROUP_INS($(sql_quote "$GROUP"), $(sql_quote "$g"))"); done
        isql_batched "DB.DBA.RDF_GRAPH_GROUP_CREATE($(sql_quote "$GROUP"), 1)" "${stmts[@]}"
    fi
    echo "virtuoso-bulk-load.sh: loaded ${#graphs[@]} graphs from $DIR into $ENDPOINT in $((SECONDS - start)) s${GROUP:+ (group <$GROUP>)}"
}

cmd_unload() {
    parse_options "$@"
    [[ $REPLACE == 0 && $JOBS == 1 ]] || usage
    local graphs=()
    mapfile -t graphs < <(graphs_in "$DIR")
    if [[ ${#graphs[@]} -gt 0 ]]; then
        clear_graphs "${graphs[@]}"
    fi
    if [[ -n "$GROUP" ]]; then
        isql "DB.DBA.RDF_GRAPH_GROUP_DROP($(sql_quote "$GROUP"), 1)" >/dev/null  # 1: quiet if absent
    fi
    isql "delete from DB.DBA.LOAD_LIST where ll_file like $(sql_quote "$DIR/%")" "checkpoint" >/dev/null
    echo "virtuoso-bulk-load.sh: dropped ${#graphs[@]} graphs of $DIR from $ENDPOINT${GROUP:+ and group <$GROUP>}"
}

case "${1:-}" in
load) shift; cmd_load "$@" ;;
unload) shift; cmd_unload "$@" ;;
*) usage ;;
esac
