#!/usr/bin/env bash
# Quarkus dev mode (live reload) for one service against devstack's real Kafka and PostgreSQL — no Docker,
# no Dev Services. Several services may run in dev mode at once (one terminal each): they share one devstack.
#
#   ./dev.sh register-service          # or scanner-service, notifier-service; extra args go to Maven
#   ./dev.sh --stop                    # stops the shared devstack (its data stays in run/dev/)
#
# The first call starts devstack in the background (Kafka and PostgreSQL on free ports, data kept in
# run/dev/devstack between sessions), then runs `./mvnw -pl <service> -am quarkus:dev` with the connection
# settings in the environment. An admin API key for the session is printed (the service gets only its SHA-256).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
DEV=$ROOT/run/dev
DEVSTACK_DIR=$DEV/devstack
RUNNER=devstack/target/devstack-runner.jar

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "dev.sh: $*" >&2; exit 64; }

devstack_pid() {
    [[ -s $DEV/devstack.pid ]] || return 1
    local pid; pid=$(cat "$DEV/devstack.pid")
    kill -0 "$pid" 2>/dev/null && echo "$pid"
}

case ${1:-} in
    ''|-h|--help) usage; [[ -n ${1:-} ]]; exit $? ;;
    --stop)
        if pid=$(devstack_pid); then kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; echo "devstack stopped"; else echo "devstack is not running"; fi
        exit 0 ;;
    scanner-service|register-service|notifier-service) SERVICE=$1; shift ;;
    *) die "unknown service '$1' (scanner-service, register-service, notifier-service, --stop, --help)" ;;
esac

mkdir -p "$DEV"
if [[ ! -f $RUNNER ]]; then
    echo "building devstack (./mvnw -Dmaven.test.skip=true package -pl devstack -am)"
    ./mvnw -B -ntp -q -Dmaven.test.skip=true package -pl devstack -am
fi
if ! devstack_pid >/dev/null; then
    rm -f "$DEVSTACK_DIR/devstack.env"
    # its own session: Ctrl-C on this terminal stops dev mode, not the devstack other terminals share
    setsid nohup java -jar "$RUNNER" --kafka-port 0 --postgres-port 0 --data-dir "$DEVSTACK_DIR" \
        --databases register,notifier --keep-data >"$DEV/devstack.log" 2>&1 </dev/null &
    echo $! >"$DEV/devstack.pid"
    for _ in $(seq 1 300); do
        grep -q '^DEVSTACK READY' "$DEV/devstack.log" 2>/dev/null && break
        devstack_pid >/dev/null || { tail -20 "$DEV/devstack.log" >&2; die "devstack exited during start (log: $DEV/devstack.log)"; }
        sleep 0.3
    done
    grep -q '^DEVSTACK READY' "$DEV/devstack.log" || die "devstack not ready after 90 s (log: $DEV/devstack.log)"
fi
# shellcheck disable=SC1091
. "$DEVSTACK_DIR/devstack.env"

random_b64() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
[[ -s $DEV/notifier-secret-key ]] || { umask 077; random_b64 32 >"$DEV/notifier-secret-key"; }
ADMIN_KEY="mfg_$(random_b64 32 | tr '+/' '-_' | tr -d '=')"

export KAFKA_BOOTSTRAP_SERVERS
export REGISTER_DB_URL=$POSTGRES_JDBC_URL_REGISTER REGISTER_DB_USER=$POSTGRES_USER REGISTER_DB_PASSWORD=$POSTGRES_PASSWORD
export NOTIFIER_DB_URL=$POSTGRES_JDBC_URL_NOTIFIER NOTIFIER_DB_USER=$POSTGRES_USER NOTIFIER_DB_PASSWORD=$POSTGRES_PASSWORD
NOTIFIER_SECRET_KEY=$(cat "$DEV/notifier-secret-key"); export NOTIFIER_SECRET_KEY
MFAGOV_SECURITY_BOOTSTRAP_ADMIN_KEY_HASH=$(printf '%s' "$ADMIN_KEY" | sha256sum | cut -d' ' -f1)
export MFAGOV_SECURITY_BOOTSTRAP_ADMIN_KEY_HASH

echo "devstack   Kafka $KAFKA_BOOTSTRAP_SERVERS, PostgreSQL $POSTGRES_HOST:$POSTGRES_PORT (log: run/dev/devstack.log; ./dev.sh --stop)"
echo "admin key  X-API-Key: $ADMIN_KEY   (this session only)"
exec ./mvnw -B -ntp -pl "$SERVICE" -am quarkus:dev "$@"
