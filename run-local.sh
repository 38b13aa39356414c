#!/usr/bin/env bash
# ./run-local.sh — the whole of mfagov on this machine, in one command.
#
# Builds what is missing, starts Kafka + PostgreSQL (devstack), the Graph simulator (or your real tenants),
# a local webhook sink standing in for Teams and a PSA, and the scanner, register and notifier wired to them;
# registers the tenants through the register's REST API, points the notifier at the sink, scans every
# tenant, waits, and prints a summary. Ctrl-C stops everything. Logs: run/<timestamp>/*.log.
#
#   ./run-local.sh                    the four demo tenants in the simulator
#   ./run-local.sh --tenants 200      200 synthetic tenants in the simulator
#   ./run-local.sh --config FILE      your tenants, real Microsoft Graph (see README "Real tenants")
#   ./run-local.sh --smoke            headless check for CI: exit 0 only if it all worked
#   ./run-local.sh --keep             keep the databases and Kafka data for the next --keep run
#
# Needs: Linux x86-64, JDK 17+, curl. See README.md.
set -Eeuo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    cat <<'EOF'
Options:
  --demo            the simulator's four demo tenants (default)
  --tenants N       N synthetic simulator tenants (deterministic; --seed S, default 1)
  --config FILE     real tenants: KEY=value lines (client id + secret or certificate, tenant ids, Teams URL)
  --smoke           headless: no waiting for Ctrl-C; exit 0 only if every tenant's scan was COMPLETE,
                    exclusions were reconciled and every alert was delivered (cards and signed webhooks
                    in the sink, none dead or still pending); always starts clean
  --keep            resume: keep PostgreSQL and Kafka data in run/state for the next --keep run
  --no-build        never build; fail if a jar is missing
  -h, --help        this help
Ports (env): REGISTER_PORT 8082, NOTIFIER_PORT 8083, SCANNER_PORT 8081, SINK_PORT 8084
  (--smoke picks free ports for those not set); Kafka, PostgreSQL and the simulator use free ports.
EOF
}

# --- Options ------------------------------------------------------------------------------------------
MODE=demo SIM_TENANTS= SEED=1 SMOKE=0 KEEP=0 CONFIG= BUILD=1
while (($#)); do
    case $1 in
        --demo) MODE=demo ;;
        --tenants) SIM_TENANTS=${2:?--tenants needs a number}; MODE=synthetic; shift ;;
        --seed) SEED=${2:?--seed needs a number}; shift ;;
        --config) CONFIG=${2:?--config needs a file}; MODE=real; shift ;;
        --smoke) SMOKE=1 ;;
        --keep) KEEP=1 ;;
        --no-build) BUILD=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-local: unknown option $1 (see --help)" >&2; exit 64 ;;
    esac
    shift
done
if [[ $MODE == synthetic && ! $SIM_TENANTS =~ ^[1-9][0-9]*$ ]]; then
    echo "run-local: --tenants needs a positive number" >&2; exit 64
fi
if ((SMOKE && KEEP)); then
    echo "run-local: --smoke always starts clean; ignoring --keep"; KEEP=0
fi
for tool in java curl sha256sum base64; do
    command -v "$tool" >/dev/null || { echo "run-local: '$tool' is needed and not on the PATH" >&2; exit 1; }
done

# --- Run folder ---------------------------------------------------------------------------------------
STAMP=$(date +%Y%m%d-%H%M%S)
RUN_DIR=$ROOT/run/$STAMP
mkdir -p "$RUN_DIR"
ln -sfn "$STAMP" "$ROOT/run/latest"
# Keep the 10 newest run folders (logs); run/state (--keep) is never pruned here.
find "$ROOT/run" -mindepth 1 -maxdepth 1 -type d -name '20[0-9]*-[0-9]*' | sort | head -n -10 | xargs -r rm -rf
umask 077
T0=$(date +%s%N)
elapsed() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }
say() { printf '  %-12s %s\n' "$1" "$2"; }

declare -A PID=() LOG=()
STARTED=()       # start order; stopped in reverse
TAIL_PID=
FINISHED=0

stop_all() {
    local name pid i
    [[ -n $TAIL_PID ]] && kill "$TAIL_PID" 2>/dev/null || true
    # Services first (they still talk to Kafka and PostgreSQL while stopping), then the sink and the
    # simulator, devstack last. SIGTERM lets each JVM run its shutdown hooks.
    for group in "local-run-client build" "scanner-service register-service notifier-service" "sink graph-simulator" "devstack"; do
        local waiting=()
        for name in $group; do
            pid=${PID[$name]:-}
            [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || continue
            kill -TERM "$pid" 2>/dev/null || true
            waiting+=("$name")
        done
        for name in "${waiting[@]}"; do
            pid=${PID[$name]}
            for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            if kill -0 "$pid" 2>/dev/null; then
                echo "  $name did not stop within 15 s: killing it (log: ${LOG[$name]})"
                kill -KILL "$pid" 2>/dev/null || true
            fi
            wait "$pid" 2>/dev/null || true
        done
    done
    # A devstack killed hard leaves PostgreSQL (its child) running: stop it by its pid file.
    local pm
    for pm in "$RUN_DIR"/devstack/postgres/postmaster.pid "$ROOT"/run/state/devstack/postgres/postmaster.pid; do
        if [[ -f $pm ]]; then
            pid=$(head -1 "$pm" 2>/dev/null || true)
            [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
        fi
    done
}

on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    if ((${#STARTED[@]})); then
        echo "  stopping     ${STARTED[*]}"
        stop_all
        echo "  stopped      everything (logs kept in ${RUN_DIR#"$ROOT"/})"
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'echo; echo "  interrupted"; exit 130' INT
trap 'exit 143' TERM

# fail PART MESSAGE [LOG]: say which part failed and where its log is, then stop everything (EXIT trap).
fail() {
    echo
    echo "FAILED [$1] $2"
    if [[ -n ${3:-} ]]; then
        echo "  log: ${3#"$ROOT"/}"
        if [[ -s $3 ]]; then
            echo "  last lines:"
            grep -v '^[[:space:]]*$' "$3" | tail -n 12 | cut -c1-220 | sed 's/^/  | /'
        fi
    fi
    exit 1
}

# envexec [VAR=value ...] CMD...: only as a background job (&): exports those variables in the job's own
# subshell and execs CMD there, so the values are in CMD's environment alone — never on a command line
# (ps shows argv) and never in this script's environment, which every other child inherits.
envexec() {
    while (($#)) && [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; do export "$1"; shift; done
    exec "$@"
}

# start NAME [VAR=value ...] CMD...: background process, stdout+stderr to run/<ts>/NAME.log, with those
# variables in its environment (envexec). Background processes of a non-interactive shell ignore SIGINT,
# so Ctrl-C reaches this script only, which stops them in order.
start() {
    local name=$1; shift
    LOG[$name]=$RUN_DIR/$name.log
    envexec "$@" >"${LOG[$name]}" 2>&1 </dev/null &
    PID[$name]=$!
    STARTED+=("$name")
}

# A foreground step (the build, the REST client) runs as a background job that is waited for, so Ctrl-C and
# SIGTERM are handled at once: bash runs traps only between commands, not while a foreground child runs
# (the build can take minutes). Started as `envexec … >OUT 2>&1 </dev/null & waited NAME $!` (the redirections
# on the job itself, never on a function call: the EXIT trap would inherit them); stop_all stops it too.
# waited NAME PID: its exit code.
waited() {
    local name=$1 rc=0
    PID[$name]=$2
    STARTED+=("$name")
    wait "${PID[$name]}" || rc=$?
    local keep=() n
    for n in "${STARTED[@]}"; do [[ $n == "$name" ]] || keep+=("$n"); done
    STARTED=("${keep[@]}")
    unset "PID[$name]"
    return "$rc"
}

alive() { kill -0 "${PID[$1]}" 2>/dev/null; }

# wait_for NAME SECONDS TEST...: until TEST succeeds; fails if the process exits or time runs out.
wait_for() {
    local name=$1 seconds=$2; shift 2
    local deadline=$(( $(date +%s) + seconds ))
    until "$@"; do
        if ! alive "$name"; then
            local code=0
            wait "${PID[$name]}" 2>/dev/null || code=$?
            fail "$name" "exited during start (exit $code)" "${LOG[$name]}"
        fi
        (( $(date +%s) < deadline )) || fail "$name" "not ready after ${seconds} s" "${LOG[$name]}"
        sleep 0.25
    done
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# choose_port VAR DEFAULT WHAT: the env value, else the default; --smoke moves on to a free one.
choose_port() {
    local var=$1 default=$2 what=$3 port
    if [[ -n ${!var:-} ]]; then
        port=${!var}
        port_in_use "$port" && fail "$what" "port $port ($var) is already in use"
    else
        port=$default
        if ((SMOKE)); then
            while port_in_use "$port"; do port=$((port + 1)); done
        elif port_in_use "$port"; then
            fail "$what" "port $port is already in use: stop what listens there, or choose another with $var=<port>"
        fi
    fi
    printf -v "$var" '%s' "$port"
}

# --- Configuration for real tenants ------------------------------------------------------------------
# KEY=value lines; keys in env form (MFAGOV_GRAPH_CLIENT_ID) or property form (mfagov.graph.client-id).
# Values are taken literally (never evaluated). Variables already in the environment also work.
# Nothing is exported: each process gets only what it needs when it starts (start/waited) — the Graph
# credentials the scanner, TEAMS_WEBHOOK_URL and the tenant list the REST client, any other key the services.
SCRIPT_KEYS=" MFAGOV_TENANTS MFAGOV_TENANTS_FILE TEAMS_WEBHOOK_URL "
SERVICE_KEYS=()
# Secrets and our own settings already in the environment must not reach every child either.
for v in ${!MFAGOV_GRAPH_@} MFAGOV_TENANTS MFAGOV_TENANTS_FILE TEAMS_WEBHOOK_URL; do export -n "$v" 2>/dev/null || true; done
if [[ $MODE == real ]]; then
    [[ -r $CONFIG ]] || fail config "cannot read $CONFIG"
    while IFS= read -r line || [[ -n $line ]]; do
        line=${line%$'\r'}
        [[ $line =~ ^[[:space:]]*(#|!|$) ]] && continue
        [[ $line == *=* ]] || fail config "$CONFIG: not KEY=value: ${line:0:60}"
        key=${line%%=*} value=${line#*=}
        key=$(echo "$key" | tr -d '[:space:]')
        value=$(echo "$value" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/")
        key=$(echo "$key" | tr '[:lower:]' '[:upper:]' | tr -c 'A-Z0-9_\n' '_')
        [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || fail config "$CONFIG: '$key' is not a usable name"
        printf -v "$key" '%s' "$value"          # not exported (see above)
        export -n "$key" 2>/dev/null || true
        if [[ $key != MFAGOV_GRAPH_* && $SCRIPT_KEYS != *" $key "* ]]; then
            SERVICE_KEYS+=("$key")              # e.g. NOTIFIER_PSA_HOSTS: for the three services
        fi
    done <"$CONFIG"
    [[ -n ${MFAGOV_GRAPH_CLIENT_ID:-} ]] || fail config "$CONFIG names no MFAGOV_GRAPH_CLIENT_ID (the app registration's client id)"
    [[ -n ${MFAGOV_GRAPH_CLIENT_SECRET:-}${MFAGOV_GRAPH_CLIENT_SECRET_FILE:-}${MFAGOV_GRAPH_CERTIFICATE_PATH:-}${MFAGOV_GRAPH_FEDERATED_TOKEN_FILE:-} ]] \
        || fail config "$CONFIG names no credential: MFAGOV_GRAPH_CERTIFICATE_PATH, MFAGOV_GRAPH_FEDERATED_TOKEN_FILE, MFAGOV_GRAPH_CLIENT_SECRET_FILE or MFAGOV_GRAPH_CLIENT_SECRET"
    for f in MFAGOV_GRAPH_CLIENT_SECRET_FILE MFAGOV_GRAPH_FEDERATED_TOKEN_FILE; do
        [[ -z ${!f:-} || -r ${!f} ]] || fail config "$f ${!f} is not readable"
    done
    [[ -z ${MFAGOV_GRAPH_CERTIFICATE_PATH:-} || -r ${MFAGOV_GRAPH_CERTIFICATE_PATH:-} ]] \
        || fail config "certificate $MFAGOV_GRAPH_CERTIFICATE_PATH is not readable"
    [[ -n ${MFAGOV_TENANTS:-}${MFAGOV_TENANTS_FILE:-} ]] || fail config "$CONFIG names no tenants (MFAGOV_TENANTS=id,id… or MFAGOV_TENANTS_FILE)"
    unset MFAGOV_GRAPH_STATIC_TOKEN
fi

echo "mfagov local run · $MODE$([[ $MODE == synthetic ]] && echo " ($SIM_TENANTS tenants)") · logs in ${RUN_DIR#"$ROOT"/}/"

# --- Build what is missing ----------------------------------------------------------------------------
RUNNER_DEVSTACK=devstack/target/devstack-runner.jar
RUNNER_SIM=graph-simulator/target/graph-simulator-runner.jar
declare -A ARTIFACT=(
    [devstack]=$RUNNER_DEVSTACK
    [graph-simulator]=$RUNNER_SIM
    [scanner-service]=scanner-service/target/quarkus-app/quarkus-run.jar
    [register-service]=register-service/target/quarkus-app/quarkus-run.jar
    [notifier-service]=notifier-service/target/quarkus-app/quarkus-run.jar
)
declare -A INPUTS=(
    [devstack]="devstack/src/main devstack/pom.xml service-support/src/main service-support/pom.xml"
    [graph-simulator]="graph-simulator/src/main graph-simulator/pom.xml"
    [scanner-service]="scanner-service/src/main scanner-service/pom.xml common-model/src/main common-model/pom.xml service-support/src/main service-support/pom.xml"
    [register-service]="register-service/src/main register-service/pom.xml common-model/src/main common-model/pom.xml service-support/src/main service-support/pom.xml"
    [notifier-service]="notifier-service/src/main notifier-service/pom.xml common-model/src/main common-model/pom.xml service-support/src/main service-support/pom.xml"
)
MODULES=(devstack scanner-service register-service notifier-service)
[[ $MODE != real ]] && MODULES+=(graph-simulator)
stale=()
for m in "${MODULES[@]}"; do
    a=${ARTIFACT[$m]}
    # shellcheck disable=SC2086
    if [[ ! -f $a ]] || [[ -n $(find ${INPUTS[$m]} pom.xml -newer "$a" -type f -print -quit 2>/dev/null) ]]; then
        stale+=("$m")
    fi
done
if ((${#stale[@]})); then
    if ((!BUILD)); then
        for m in "${stale[@]}"; do [[ -f ${ARTIFACT[$m]} ]] || fail build "${ARTIFACT[$m]} is missing (run without --no-build)"; done
        say build "not rebuilding (--no-build): ${stale[*]} older than their sources"
    else
        list=$(IFS=,; echo "${stale[*]}")
        say build "building ${stale[*]} (./mvnw -Dmaven.test.skip=true package -pl $list -am; log: build.log)"
        LOG[build]=$RUN_DIR/build.log
        b0=$(date +%s)
        envexec ./mvnw -B -ntp -Dmaven.test.skip=true package -pl "$list" -am >"${LOG[build]}" 2>&1 </dev/null &
        waited build $! || fail build "the Maven build failed" "${LOG[build]}"
        say build "done in $(( $(date +%s) - b0 )) s"
    fi
else
    say build "up to date"
fi

# --- Real tenants: checked before anything starts, by the reader the scanner's --tenants-file uses --------
if [[ $MODE == real ]]; then
    check_args=()
    [[ -n ${MFAGOV_TENANTS:-} ]] && check_args+=(--tenants "$MFAGOV_TENANTS")
    [[ -n ${MFAGOV_TENANTS_FILE:-} ]] && check_args+=(--tenants-file "$MFAGOV_TENANTS_FILE")
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$RUNNER_DEVSTACK" io.mfagov.devstack.LocalRunClient \
        --check-tenants "${check_args[@]}" >/dev/null 2>"$RUN_DIR/tenants-check.log" </dev/null \
        || fail config "$(sed 's/^local-run: //' "$RUN_DIR/tenants-check.log" | head -3)"
fi

# --- Ports, keys, state ---------------------------------------------------------------------------------
choose_port SCANNER_PORT 8081 scanner-service
choose_port REGISTER_PORT 8082 register-service
choose_port NOTIFIER_PORT 8083 notifier-service
choose_port SINK_PORT 8084 sink
REGISTER_URL=http://127.0.0.1:$REGISTER_PORT
NOTIFIER_URL=http://127.0.0.1:$NOTIFIER_PORT
SCANNER_URL=http://127.0.0.1:$SCANNER_PORT
SINK_URL=http://127.0.0.1:$SINK_PORT

random_b64() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
# An admin API key for this run only: the services get its SHA-256 (mfagov.security.bootstrap-admin-key-hash).
ADMIN_KEY="mfg_$(random_b64 32 | tr '+/' '-_' | tr -d '=')"
ADMIN_KEY_HASH=$(printf '%s' "$ADMIN_KEY" | sha256sum | cut -d' ' -f1)
if ((KEEP)); then
    STATE=$ROOT/run/state
    mkdir -p "$STATE"
    [[ -s $STATE/notifier-secret-key ]] || random_b64 32 >"$STATE/notifier-secret-key"
    [[ -s $STATE/webhook-secret ]] || echo "whsec_$(random_b64 24 | tr '+/' '-_' | tr -d '=')" >"$STATE/webhook-secret"
    NOTIFIER_KEY=$(cat "$STATE/notifier-secret-key")
    WEBHOOK_SECRET=$(cat "$STATE/webhook-secret")
    DEVSTACK_DIR=$STATE/devstack
    DEVSTACK_ARGS=(--keep-data)
else
    NOTIFIER_KEY=$(random_b64 32)
    WEBHOOK_SECRET="whsec_$(random_b64 24 | tr '+/' '-_' | tr -d '=')"
    DEVSTACK_DIR=$RUN_DIR/devstack
    DEVSTACK_ARGS=()
fi
cat >"$RUN_DIR/env.sh" <<EOF
# source run/latest/env.sh — then e.g.: curl -H "X-API-Key: \$MFAGOV_API_KEY" "\$REGISTER/api/v1/exclusions?status=UNAPPROVED"
export MFAGOV_API_KEY='$ADMIN_KEY'
export REGISTER='$REGISTER_URL' NOTIFIER='$NOTIFIER_URL' SCANNER='$SCANNER_URL' SINK='$SINK_URL'
EOF

JAVA_OPTS_SERVICES=${MFAGOV_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m}
# shellcheck disable=SC2206
JOPTS=($JAVA_OPTS_SERVICES)

# --- Infrastructure: devstack, simulator, sink (in parallel) ----------------------------------------------
start devstack java -jar "$RUNNER_DEVSTACK" --kafka-port 0 --postgres-port 0 --data-dir "$DEVSTACK_DIR" \
    --databases register,notifier "${DEVSTACK_ARGS[@]}"
if [[ $MODE != real ]]; then
    SIM_ARGS=(--demo)
    [[ $MODE == synthetic ]] && SIM_ARGS=(--tenants "$SIM_TENANTS" --seed "$SEED")
    start graph-simulator java -jar "$RUNNER_SIM" "${SIM_ARGS[@]}" --port 0 --tls-port 0 --data-dir "$RUN_DIR/graph-simulator"
fi
start sink SINK_WEBHOOK_SECRET="$WEBHOOK_SECRET" java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m \
    -cp "$RUNNER_DEVSTACK" io.mfagov.devstack.WebhookSink --port "$SINK_PORT" --out "$RUN_DIR/cards.jsonl"

wait_for devstack 90 grep -q '^DEVSTACK READY' "${LOG[devstack]}"
# KEY=value lines, read as (unexported) shell variables: each service gets the ones it needs below.
# shellcheck disable=SC1091
. "$DEVSTACK_DIR/devstack.env"
say devstack "Kafka $KAFKA_BOOTSTRAP_SERVERS, PostgreSQL $POSTGRES_HOST:$POSTGRES_PORT (databases register, notifier)  $(elapsed)"
if [[ $MODE != real ]]; then
    wait_for graph-simulator 60 grep -q 'Graph v1.0:' "${LOG[graph-simulator]}"
    GRAPH_URL=$(grep -m1 'Graph v1.0:' "${LOG[graph-simulator]}" | awk '{print $3}')
    TENANTS_FILE=$RUN_DIR/graph-simulator/graph-simulator-tenants.json
    wait_for graph-simulator 30 test -s "$TENANTS_FILE"
    say simulator "$(grep -m1 'Tenants:' "${LOG[graph-simulator]}" | awk '{print $2}') tenants, Graph $GRAPH_URL  $(elapsed)"
fi
wait_for sink 30 grep -q '^SINK READY' "${LOG[sink]}"
say sink "$SINK_URL/  (Teams cards and webhooks; a line each in sink.log)"

# --- The three services ------------------------------------------------------------------------------
common_env=(
    KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS"
    QUARKUS_HTTP_HOST=127.0.0.1
    QUARKUS_BANNER_ENABLED=false
    # Local run: API keys only (no identity provider); the run's admin key by its hash.
    QUARKUS_OIDC_TENANT_ENABLED=false
    OIDC_AUTH_SERVER_URL=http://127.0.0.1:9/oidc-disabled-in-the-local-run
    MFAGOV_SECURITY_BOOTSTRAP_ADMIN_KEY_HASH="$ADMIN_KEY_HASH"
)
for v in "${SERVICE_KEYS[@]}"; do common_env+=("$v=${!v}"); done
if [[ $MODE == real ]]; then
    scanner_env=()   # MFAGOV_GRAPH_* from the config file (or the environment)
    for v in ${!MFAGOV_GRAPH_@}; do scanner_env+=("$v=${!v}"); done
else
    scanner_env=(MFAGOV_GRAPH_BASE_URL="$GRAPH_URL" MFAGOV_GRAPH_STATIC_TOKEN='sim-static:{tenantId}'
        MFAGOV_GRAPH_CLIENT_ID= MFAGOV_GRAPH_CLIENT_SECRET= MFAGOV_GRAPH_CERTIFICATE_PATH=
        MFAGOV_GRAPH_CLIENT_SECRET_FILE= MFAGOV_GRAPH_FEDERATED_TOKEN_FILE=)
fi
start scanner-service "${common_env[@]}" "${scanner_env[@]}" QUARKUS_HTTP_PORT="$SCANNER_PORT" \
    java "${JOPTS[@]}" -jar scanner-service/target/quarkus-app/quarkus-run.jar
start register-service "${common_env[@]}" QUARKUS_HTTP_PORT="$REGISTER_PORT" \
    REGISTER_DB_URL="$POSTGRES_JDBC_URL_REGISTER" REGISTER_DB_USER="$POSTGRES_USER" REGISTER_DB_PASSWORD="$POSTGRES_PASSWORD" \
    REGISTER_PUBLIC_URL="$REGISTER_URL" \
    java "${JOPTS[@]}" -jar register-service/target/quarkus-app/quarkus-run.jar
start notifier-service "${common_env[@]}" QUARKUS_HTTP_PORT="$NOTIFIER_PORT" \
    NOTIFIER_DB_URL="$POSTGRES_JDBC_URL_NOTIFIER" NOTIFIER_DB_USER="$POSTGRES_USER" NOTIFIER_DB_PASSWORD="$POSTGRES_PASSWORD" \
    NOTIFIER_SECRET_KEY="$NOTIFIER_KEY" MFAGOV_NOTIFIER_ALLOW_LOOPBACK=true NOTIFIER_DIGEST_WINDOW=PT1M \
    java "${JOPTS[@]}" -jar notifier-service/target/quarkus-app/quarkus-run.jar
for s in scanner-service register-service notifier-service; do
    case $s in
        scanner-service) url=$SCANNER_URL ;; register-service) url=$REGISTER_URL ;; notifier-service) url=$NOTIFIER_URL ;;
    esac
    wait_for "$s" 120 http_ok "$url/q/health/ready"
    say "${s%-service}" "$url ready  $(elapsed)"
done

# --- Through the APIs: tenants, destinations, scan, wait, summary -------------------------------------
client_args=(--register "$REGISTER_URL" --notifier "$NOTIFIER_URL" --sink "$SINK_URL")
if [[ $MODE == real ]]; then
    [[ -n ${MFAGOV_TENANTS:-} ]] && client_args+=(--tenants "$MFAGOV_TENANTS")
    [[ -n ${MFAGOV_TENANTS_FILE:-} ]] && client_args+=(--tenants-file "$MFAGOV_TENANTS_FILE")
else
    client_args+=(--tenants-file "$TENANTS_FILE")
fi
((SMOKE)) && client_args+=(--smoke)
LOG[local-run-client]=$RUN_DIR/summary.txt
exec {summary_fd}> >(tee "$RUN_DIR/summary.txt")
TEE_PID=$!
rc=0
envexec MFAGOV_API_KEY="$ADMIN_KEY" SINK_WEBHOOK_SECRET="$WEBHOOK_SECRET" TEAMS_WEBHOOK_URL="${TEAMS_WEBHOOK_URL:-}" \
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$RUNNER_DEVSTACK" io.mfagov.devstack.LocalRunClient "${client_args[@]}" \
    >&"$summary_fd" </dev/null &
waited local-run-client $! || rc=$?
exec {summary_fd}>&-
wait "$TEE_PID" 2>/dev/null || true
case $rc in
    0) ;;
    1) echo "  logs: ${RUN_DIR#"$ROOT"/}/ (scanner-service.log, register-service.log, notifier-service.log, sink.log)"; exit 1 ;;
    130) exit 130 ;;
    *)
        part=$(grep -o '^FAILED \[[a-z-]*\]' "$RUN_DIR/summary.txt" | tail -1 | sed 's/FAILED \[\(.*\)\]/\1/')
        case $part in
            scanner) part=scanner-service ;; register) part=register-service ;; notifier) part=notifier-service ;;
        esac
        [[ -n $part && -n ${LOG[$part]:-} ]] && echo "  log: ${LOG[$part]#"$ROOT"/}"
        exit "$rc" ;;
esac

cat <<EOF

  Register API       $REGISTER_URL/api/v1   (X-API-Key: see ${RUN_DIR#"$ROOT"/}/env.sh)
  Swagger UI         $REGISTER_URL/q/swagger-ui
  Notifier API       $NOTIFIER_URL/api/v1   ($NOTIFIER_URL/q/swagger-ui)
  Scanner            $SCANNER_URL/q/swagger-ui
  Cards (sink)       $SINK_URL/
  Logs               ${RUN_DIR#"$ROOT"/}/   (source ${RUN_DIR#"$ROOT"/}/env.sh for the curl examples in docs/api.md)
  Ready in           $(elapsed)
EOF
((SMOKE)) && exit 0

echo
echo "Running. New cards appear below and on $SINK_URL/ — Ctrl-C stops everything."
tail -n 0 -F "${LOG[sink]}" &
TAIL_PID=$!
while :; do
    for name in "${STARTED[@]}"; do
        if ! alive "$name"; then
            code=0
            wait "${PID[$name]}" 2>/dev/null || code=$?
            fail "$name" "stopped unexpectedly (exit $code)" "${LOG[$name]}"
        fi
    done
    sleep 1
done
