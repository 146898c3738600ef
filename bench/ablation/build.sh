#!/usr/bin/env bash
# Builds bench/target/ablation.jar against the classes of the gateway jar under test (bench/README.md):
#   bench/ablation/build.sh <gateway jar> <output jar>
set -euo pipefail
GATEWAY_JAR="$1"
OUT="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JDK="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin"
BUILD="$(dirname "$OUT")/ablation-build"
rm -rf "$BUILD" && mkdir -p "$BUILD/gateway" "$BUILD/classes"
# compiled against exactly the jar it will run with: its own classes and libraries, unpacked
(cd "$BUILD/gateway" && "$JDK/jar" xf "$GATEWAY_JAR" BOOT-INF/classes BOOT-INF/lib)
"$JDK/javac" -proc:none --release 25 -nowarn -d "$BUILD/classes" \
    -cp "$BUILD/gateway/BOOT-INF/classes:$BUILD/gateway/BOOT-INF/lib/*" \
    $(find "$HERE/src" -name '*.java')
cp -r "$HERE/resources/." "$BUILD/classes/"
"$JDK/jar" cf "$OUT" -C "$BUILD/classes" .
rm -rf "$BUILD/gateway"
