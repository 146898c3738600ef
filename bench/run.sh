#!/usr/bin/env bash
# The gateway's benchmark (issue 6; docs/performance.md): the gateway against a direct Paho client, a trivial
# Spring MVC endpoint and mosquitto_pub, on a local mosquitto, in one run of a few minutes. Not part of the
# test suite. Writes bench/results/<timestamp>.md; logs stay in bench/target/runs/<timestamp>/.
#
#   bench/run.sh [--quick] [--devices N] [--big-devices M] [--rate R] [--qos 0|1] [--payload BYTES]
#                [--duration S] [--concurrency C] [--jar PATH | --rev GIT-REV] [more: --help]
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: bench/run.sh [options]

Runs, against one local mosquitto: (a) direct Paho clients, (b) a trivial Spring MVC endpoint, (c) mosquitto_pub
per message, then the gateway with N devices (cold path, max throughput, latency at a fixed rate) and with M
devices (all connected at once). Prints a Markdown report and writes it to bench/results/<timestamp>.md.

  --quick                  smoke check: 300 devices, 1,000 at scale, 500 msg/s, 3 s windows (about 2 min)
  --devices N              devices for throughput, latency and cold path (default 1000)
  --big-devices M          devices connected at once in the scale scenario (default 10000)
  --rate R                 fixed rate of the latency scenario, msg/s (default 2000)
  --qos 0|1                QoS of every message (default 1)
  --payload BYTES          message size (default 256)
  --duration S             measured seconds of each throughput/latency scenario (default 10)
  --big-duration S         measured seconds of the throughput run across all M devices (default 8)
  --warmup S               unmeasured seconds before each closed-loop scenario (default 60)
  --concurrency C          requests in flight in the closed-loop scenarios (default 64)
  --max-inflight F         most requests outstanding in the fixed-rate scenarios (default 256; past it the pacer waits
                           and the wait counts in the latency)
  --connect-concurrency K  requests in flight when connecting devices by a first message (default 200)
  --cold-samples K         devices whose first message is timed, one at a time (default 30)
  --pub-messages P         messages of the mosquitto_pub baseline (default 200, 2 processes at a time)
  --server-jvm "FLAGS"     JVM flags of the gateway and the HTTP ceiling (default "-Xms64m -Xmx512m -XX:+ExitOnOutOfMemoryError")
  --gateway-arg ARG        extra argument for the gateway, e.g. --gateway-arg --gateway.mqtt.keep-alive=600s (repeatable)
  --skip LIST              comma-separated: a,b,c,gateway,paired,ablation,big,cluster
  --paired R               rounds of the paired scenario: the gateway and (b) up at once, measured in turns over
                           the same window, R times (default 3; 0 leaves it out)
  --generator wrk|java     load generator of the paired and ablation rounds (default wrk when installed, else java
                           with a note; apt-get install wrk)
  --wrk-threads T          wrk's threads (default 2; connections are --concurrency)
  --ablate LIST            ablation rounds (issue 17): comma-separated stages security,observation,lookup,mqtt, each
                           switched off in a variant of the same jar by bench/ablation (built here against the jar),
                           measured in --paired rounds with (b) and the full gateway
  --async-profile          one more wrk round of the paired rounds' gateway recorded with async-profiler (CPU,
                           kernel and JVM frames): flame graph in the run's folder, top frames in the report
  --replicas LIST          issue 15: cluster sizes, e.g. 1,2,3: one cluster on a shared PostgreSQL registry grows
                           through them (a process per replica on this machine), each size measured in --paired rounds
                           in turns with the plain gateway (no cluster); the load spread over the replicas, CPU per
                           message summed over them, the forwarded share from their counters (default: none)
  --postgres HOST:PORT     the PostgreSQL server (trust auth, user postgres, psql on the PATH) where --replicas creates
                           and drops its database (default 127.0.0.1:5432)
  --jar PATH               measure this gateway jar (no build)
  --rev REV                measure a committed revision: git archive REV, built under bench/target/rev-<sha>/
  --results DIR            where the report goes (default bench/results; with --quick, the run's log folder)
  --profile                record the N-device gateway's max-throughput run with JFR; where its CPU went goes
                           into the report
  --http-clients K         HttpClient instances sharing the load (default 1)
  --wait-idle S            before each part and main measurement, wait up to S seconds for other processes to
                           leave the CPUs alone (default 60; 0: never wait)

Without --jar or --rev the gateway of the work tree is measured: target/iot-gateway-0.1.0-SNAPSHOT.jar when it
is newer than src/main and pom.xml, else a fresh build into bench/target/gateway-build/ (so a build running in
target/ at the same time is left alone).
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
ORIGINAL_ARGS="$*"

JAR=""
REV=""
GENERATOR=""
ABLATE=""
PASS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --jar) JAR="$(realpath "$2")"; shift 2 ;;
        --rev) REV="$2"; shift 2 ;;
        --quick|--profile|--async-profile) PASS+=("$1"); shift ;;
        --generator) GENERATOR="$2"; PASS+=("$1" "$2"); shift 2 ;;
        --ablate) ABLATE="$2"; PASS+=("$1" "$2"); shift 2 ;;
        --*) [[ $# -ge 2 ]] || { echo "run.sh: $1 needs a value" >&2; exit 2; }; PASS+=("$1" "$2"); shift 2 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

for tool in /usr/sbin/mosquitto mosquitto_pub "$JAVA"; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (apt-get install mosquitto mosquitto-clients)" >&2; exit 2; }
done

# the paired rounds' generator: wrk when installed (issue 17), else the Java one with a note in the report
if ! command -v wrk >/dev/null; then
    if [[ "$GENERATOR" == wrk ]]; then
        echo "run.sh: --generator wrk, but wrk is not installed (apt-get install wrk)" >&2; exit 2
    fi
    [[ "$GENERATOR" == java ]] || echo "run.sh: note: wrk not installed (apt-get install wrk); the paired rounds use the Java generator" >&2
fi

# 10,000 device connections need as many descriptors in the gateway and in mosquitto: take the hard limit
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt 12000 ]]; then
    echo "run.sh: warning: open files limit $(ulimit -n) is too low for 10,000 connections" >&2
fi

newer_than() { # is any gateway source newer than $1?
    [[ -n "$(find "$2/src/main" "$2/pom.xml" -newer "$1" -print -quit 2>/dev/null)" ]]
}

# ---- the gateway jar
NAME=iot-gateway-0.1.0-SNAPSHOT.jar
if [[ -n "$JAR" ]]; then
    [[ -f "$JAR" ]] || { echo "run.sh: no jar $JAR" >&2; exit 2; }
    COMMIT="given jar $JAR; work tree at $(git log -1 --oneline)"
elif [[ -n "$REV" ]]; then
    SHA="$(git rev-parse --verify "$REV^{commit}")"
    SRC="$ROOT/bench/target/rev-${SHA:0:12}"
    JAR="$SRC/target/$NAME"
    if [[ ! -f "$JAR" ]]; then
        echo "run.sh: building the gateway at ${SHA:0:12} in $SRC"
        rm -rf "$SRC" && mkdir -p "$SRC"
        git archive --format=tar "$SHA" | tar -x -C "$SRC"
        (cd "$SRC" && ./mvnw -q -DskipTests package)
    fi
    COMMIT="$(git log -1 --oneline "$SHA") (committed revision, built from git archive)"
else
    JAR=""
    for candidate in "$ROOT/target/$NAME" "$ROOT/bench/target/gateway-build/$NAME"; do
        if [[ -f "$candidate" ]] && ! newer_than "$candidate" "$ROOT"; then
            JAR="$candidate"
            break
        fi
    done
    if [[ -z "$JAR" ]]; then
        echo "run.sh: building the gateway (./mvnw -q -DskipTests package) into bench/target/gateway-build"
        ./mvnw -q -DskipTests package -Dbuild.dir="$ROOT/bench/target/gateway-build"
        JAR="$ROOT/bench/target/gateway-build/$NAME"
    fi
    CHANGED="$(git status --porcelain -- src pom.xml | wc -l)"
    COMMIT="$(git log -1 --oneline)"
    if [[ "$CHANGED" -gt 0 ]]; then
        COMMIT="$COMMIT + uncommitted changes in $CHANGED files of src/ and pom.xml (work tree)"
    fi
fi
echo "run.sh: gateway jar $JAR"

# ---- the benchmark itself (bench/pom.xml: classes plus a classpath file of jars in ~/.m2)
if [[ ! -f bench/target/classpath.txt ]] \
    || [[ -n "$(find bench/src bench/pom.xml -newer bench/target/classpath.txt -print -quit)" ]]; then
    echo "run.sh: building the benchmark (./mvnw -f bench/pom.xml compile)"
    ./mvnw -q -f bench/pom.xml compile
    touch bench/target/classpath.txt
fi

# ---- the ablation jar (bench/ablation), compiled against the classes of the jar under test
if [[ -n "$ABLATE" ]]; then
    echo "run.sh: building bench/target/ablation.jar against $JAR"
    JAVA_HOME="$JAVA_HOME" bench/ablation/build.sh "$JAR" "$ROOT/bench/target/ablation.jar"
    PASS+=(--ablation-jar "$ROOT/bench/target/ablation.jar")
fi

STAMP="$(date +%Y%m%d-%H%M%S)"
WORK="$ROOT/bench/target/runs/$STAMP"
TMP="$(mktemp -d /tmp/iot-gateway-bench-XXXXXX)"
chmod 755 "$TMP"
mkdir -p "$WORK"
BENCH_PID=""

cleanup() {
    trap - EXIT INT TERM
    if [[ -n "$BENCH_PID" ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
        kill -TERM "$BENCH_PID" 2>/dev/null || true   # its shutdown hook stops what it started
        for _ in $(seq 1 60); do kill -0 "$BENCH_PID" 2>/dev/null || break; sleep 1; done
        kill -KILL "$BENCH_PID" 2>/dev/null || true
    fi
    # anything left over (the JVM killed outright): only our children, recognised by this run's temp dir
    if [[ -f "$WORK/pids" ]]; then
        while read -r pid name; do
            if [[ -n "$pid" ]] && grep -qF "$TMP" "/proc/$pid/cmdline" 2>/dev/null; then
                echo "run.sh: stopping leftover $name ($pid)" >&2
                kill -KILL "$pid" 2>/dev/null || true
            fi
        done < "$WORK/pids"
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the load generator's own JVM flags (BENCH_LOADGEN_JVM overrides them); its GC log goes to the run's folder
read -r -a LOADGEN_JVM <<< "${BENCH_LOADGEN_JVM:--Xms1g -Xmx2g -XX:+UseG1GC}"
"$JAVA" "${LOADGEN_JVM[@]}" -Xlog:gc:file="$WORK/loadgen-gc.log":time,uptime -Dbench.clkTck="$(getconf CLK_TCK)" \
    -cp "$ROOT/bench/target/classes:$(cat bench/target/classpath.txt)" io.iotgateway.bench.Bench \
    --gateway-jar "$JAR" --commit "$COMMIT" --command "bench/run.sh $ORIGINAL_ARGS" \
    --work "$WORK" --tmp "$TMP" ${PASS[@]+"${PASS[@]}"} &
BENCH_PID=$!
set +e
wait "$BENCH_PID"
STATUS=$?
set -e
BENCH_PID=""
exit "$STATUS"
