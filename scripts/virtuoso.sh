#!/usr/bin/env bash
# Install, start and stop a throw-away Debian Virtuoso (virtuoso-opensource 7.2.x)
# for the tests.
#
#   scripts/virtuoso.sh install
#       apt-get installs virtuoso-opensource if `virtuoso-t` is missing
#       (non-interactive; no system daemon is left running).  Needs root (or sudo).
#   scripts/virtuoso.sh start DIR HTTP_PORT ISQL_PORT
#       Database, log (DIR/virtuoso.log), pid (DIR/virtuoso.pid) and ini
#       (DIR/virtuoso.ini) in DIR; HTTP and ISQL bound to 127.0.0.1 only.
#       Waits until /sparql answers, then via isql: grants SPARQL_UPDATE to the
#       anonymous user "SPARQL" (so /sparql and /sparql-graph-crud accept
#       writes without auth) and sets the dba password to $VIRTUOSO_DBA_PASSWORD
#       (default "dba"; digest auth on /sparql-auth and /sparql-graph-crud-auth).
#   scripts/virtuoso.sh stop DIR
#       Stops the server whose pid is in DIR/virtuoso.pid and waits for it.
#
# Environment: VIRTUOSO_DBA_PASSWORD (default dba),
#              VIRTUOSO_START_TIMEOUT (seconds, default 90).
set -euo pipefail

SYSTEM_INI=/etc/virtuoso-opensource-7/virtuoso.ini
FALLBACK_INI=/usr/share/virtuoso-opensource-7/virtuoso.ini
ISQL=isql-vt

die() {
    echo "virtuoso.sh: $*" >&2
    exit 1
}

usage() {
    cat >&2 <<'EOF'
usage: virtuoso.sh install
       virtuoso.sh start DIR HTTP_PORT ISQL_PORT
       virtuoso.sh stop DIR
EOF
    exit 2
}

log_tail() {
    local log="$1/virtuoso.log"
    if [[ -f "$log" ]]; then
        echo "---- last 30 lines of $log ----" >&2
        tail -n 30 "$log" >&2 || true
    else
        echo "---- no log at $log ----" >&2
    fi
}

# ---------------------------------------------------------------- install
cmd_install() {
    if command -v virtuoso-t >/dev/null 2>&1 && command -v "$ISQL" >/dev/null 2>&1; then
        return 0
    fi
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "install needs root (or sudo)"
        sudo=(sudo -n)
    fi
    export DEBIAN_FRONTEND=noninteractive
    # The package's debconf asks for a dba password.  Preseed an EMPTY one: then
    # nothing is asked, and the postinst leaves the system daemon disabled (with
    # a password it would start and keep a server on 1111/8890).  The tests'
    # servers use their own databases and never touch the system one.
    printf '%s\n' \
        'virtuoso-opensource-7 virtuoso-opensource-7/dba-password password' \
        'virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password' \
        | "${sudo[@]}" debconf-set-selections
    # Keep the postinst from starting the system daemon at all (Docker images
    # already ship such a policy-rc.d; only add ours when there is none).
    local policy=/usr/sbin/policy-rc.d added_policy=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 755 "$policy"
        added_policy=1
    fi
    local rc=0
    {
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends -o DPkg::Lock::Timeout=300 \
                -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
                virtuoso-opensource
    } </dev/null || rc=$?
    if [[ $added_policy == 1 ]]; then
        "${sudo[@]}" rm -f "$policy"
    fi
    [[ $rc == 0 ]] || die "apt-get install virtuoso-opensource failed (exit $rc)"
    command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-t still missing after install"
    command -v "$ISQL" >/dev/null 2>&1 || die "$ISQL still missing after install"
}

# ---------------------------------------------------------------- helpers
is_running() { # PIDFILE
    local pid
    [[ -f "$1" ]] || return 1
    pid="$(cat "$1" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # a zombie (reaped later by our parent) is not running
    [[ "$(ps -o stat= -p "$pid" 2>/dev/null || true)" != Z* ]]
}

http_ok() { # PORT -> 0 when /sparql answers a trivial query with 200
    local url="http://127.0.0.1:$1/sparql?query=ASK%20%7B%7D"
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -o /dev/null --max-time 5 -H 'Accept: application/sparql-results+json' "$url" 2>/dev/null
    else
        python3 - "$url" <<'EOF' 2>/dev/null
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Accept": "application/sparql-results+json"})
with urllib.request.urlopen(req, timeout=5) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
    fi
}

port_in_use() { # PORT -> 0 when something listens on 127.0.0.1:PORT
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

isql_exec() { # PORT PASSWORD SQL...  (statements joined; exits non-zero on SQL error)
    local port="$1" pw="$2"
    shift 2
    local sql="$*"
    # isql-vt reports SQL errors on stdout/stderr but may still exit 0: check text too
    local out
    if ! out="$("$ISQL" "127.0.0.1:$port" dba "$pw" "EXEC=$sql" </dev/null 2>&1)"; then
        printf '%s\n' "$out" >&2
        return 1
    fi
    if grep -qE '^\*\*\* Error|SQLState|\[Virtuoso Driver\]' <<<"$out"; then
        printf '%s\n' "$out" >&2
        return 1
    fi
    return 0
}

# ---------------------------------------------------------------- start
cmd_start() {
    [[ $# == 3 ]] || usage
    local dir="$1" http_port="$2" isql_port="$3"
    [[ "$http_port" =~ ^[0-9]+$ && "$isql_port" =~ ^[0-9]+$ ]] || die "ports must be numbers"
    [[ "$http_port" != "$isql_port" ]] || die "HTTP_PORT and ISQL_PORT must differ"
    command -v virtuoso-t >/dev/null 2>&1 || die "virtuoso-t not found: run '$0 install' first"
    command -v "$ISQL" >/dev/null 2>&1 || die "$ISQL not found: run '$0 install' first"
    local password="${VIRTUOSO_DBA_PASSWORD:-dba}"
    local timeout="${VIRTUOSO_START_TIMEOUT:-90}"
    [[ "$password" =~ ^[A-Za-z0-9_.@%+=:-]+$ ]] ||
        die "VIRTUOSO_DBA_PASSWORD may only hold [A-Za-z0-9_.@%+=:-]"

    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd -P)"
    local ini="$dir/virtuoso.ini" log="$dir/virtuoso.log" pidfile="$dir/virtuoso.pid"
    if is_running "$pidfile"; then
        die "a server is already running from $dir (pid $(cat "$pidfile"))"
    fi
    rm -f "$pidfile" "$dir/virtuoso.lck"

    local src="$SYSTEM_INI"
    [[ -f "$src" ]] || src="$FALLBACK_INI"
    [[ -f "$src" ]] || die "no $SYSTEM_INI nor $FALLBACK_INI"
    cp "$src" "$ini"
    chmod u+w "$ini"
    set_ini() { inifile +inifile "$ini" +section "$1" +key "$2" +value "$3"; }

    # Files: everything in DIR; [Database] and [TempDatabase] need distinct files.
    set_ini Database DatabaseFile "$dir/virtuoso.db"
    # +foreground prints the whole log on stdout, which goes to $log; the
    # ErrorLogFile would be a second copy of the same lines.
    set_ini Database ErrorLogFile /dev/null
    set_ini Database LockFile "$dir/virtuoso.lck"
    set_ini Database TransactionFile "$dir/virtuoso.trx"
    set_ini Database xa_persistent_file "$dir/virtuoso.pxa"
    set_ini TempDatabase DatabaseFile "$dir/virtuoso-temp.db"
    set_ini TempDatabase TransactionFile "$dir/virtuoso-temp.trx"
    # Loopback only.
    set_ini Parameters ServerPort "127.0.0.1:$isql_port"
    set_ini HTTPServer ServerPort "127.0.0.1:$http_port"
    set_ini URIQA DefaultHost "localhost:$http_port"
    # Bulk loads (ld_dir / DB.DBA.TTLP_MT(file_to_string_output(...))) from DIR.
    set_ini Parameters DirsAllowed ".,$dir,/usr/share/virtuoso-opensource-7/vad,/tmp"
    # Small footprint for a 2-core test machine: ~1.4 GB of buffers at most
    # (the ini's "2 GB free" row), 2 threads per query.
    set_ini Parameters NumberOfBuffers 170000
    set_ini Parameters MaxDirtyBuffers 130000
    set_ini Parameters MaxQueryMem 1G
    set_ini Parameters ThreadsPerQuery 2
    set_ini Parameters AsyncQueueMaxThreads 4
    set_ini Parameters MaxClientConnections 20
    set_ini HTTPServer ServerThreads 10
    set_ini HTTPServer MaxClientConnections 20
    # The stock ini caps every SPARQL result at 10000 rows (silently, apart
    # from a header): lift it so test counts are honest.
    set_ini SPARQL ResultSetMaxRows 1000000
    set_ini SPARQL MaxQueryExecutionTime 120
    set_ini SPARQL MaxQueryCostEstimationTime 400

    # Refuse ports that already answer: the readiness probe would else talk
    # to somebody else's server.
    local port
    for port in "$http_port" "$isql_port"; do
        if port_in_use "$port"; then
            die "127.0.0.1:$port is already in use"
        fi
    done

    : >"$log"
    # +foreground: no fork, so $! is the server; its stdout/stderr is the log.
    (cd "$dir" && exec virtuoso-t +configfile "$ini" +foreground </dev/null >>"$log" 2>&1) &
    local pid=$!
    echo "$pid" >"$pidfile"

    start_failed() {
        echo "virtuoso.sh: $*" >&2
        log_tail "$dir"
        cmd_stop "$dir" >/dev/null 2>&1 || true
        exit 1
    }

    local start=$SECONDS
    while :; do
        is_running "$pidfile" || start_failed "virtuoso-t (pid $pid) exited during startup"
        if grep -q "HTTP/WebDAV server online at 127.0.0.1:$http_port" "$log" &&
            http_ok "$http_port"; then
            break
        fi
        ((SECONDS - start < timeout)) ||
            start_failed "/sparql on 127.0.0.1:$http_port did not answer within ${timeout}s"
        sleep 0.25
    done

    # Configure.  On a fresh database the dba password is "dba"; on a reused
    # DIR it may already be the wanted one.
    local current="" pw
    for pw in dba "$password"; do
        if isql_exec "$isql_port" "$pw" "select 1;" 2>/dev/null; then
            current="$pw"
            break
        fi
    done
    [[ -n "$current" ]] || start_failed "cannot log in to isql on 127.0.0.1:$isql_port as dba"
    # Anonymous SPARQL updates on /sparql and writes on /sparql-graph-crud.
    # (Re-granting on a reused DIR fails with U0013 "already have role": fine.)
    local out
    if ! out="$(isql_exec "$isql_port" "$current" 'GRANT SPARQL_UPDATE TO "SPARQL";' 2>&1)"; then
        grep -q 'U0013' <<<"$out" || start_failed "GRANT SPARQL_UPDATE failed: $out"
    fi
    if [[ "$current" != "$password" ]]; then
        isql_exec "$isql_port" "$current" "SET PASSWORD \"$current\" \"$password\";" ||
            start_failed "could not set the dba password"
    fi
    isql_exec "$isql_port" "$password" "checkpoint;" || start_failed "checkpoint failed"
    echo "virtuoso.sh: up in $((SECONDS - start))s: http://127.0.0.1:$http_port/sparql (pid $pid, dir $dir)"
}

# ---------------------------------------------------------------- stop
cmd_stop() {
    [[ $# == 1 ]] || usage
    local dir="$1" pidfile="$1/virtuoso.pid"
    if [[ ! -f "$pidfile" ]]; then
        echo "virtuoso.sh: no $pidfile: nothing to stop" >&2
        return 0
    fi
    local pid
    pid="$(cat "$pidfile")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_running "$pidfile"; then
        kill -TERM "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 300; i++)); do # 30 s for a clean shutdown
            is_running "$pidfile" || break
            sleep 0.1
        done
        if is_running "$pidfile"; then
            echo "virtuoso.sh: pid $pid ignored SIGTERM for 30s: SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
            for ((i = 0; i < 100; i++)); do
                is_running "$pidfile" || break
                sleep 0.1
            done
        fi
    fi
    rm -f "$pidfile"
}

case "${1:-}" in
install) shift; [[ $# == 0 ]] || usage; cmd_install ;;
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
*) usage ;;
esac
