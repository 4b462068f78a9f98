#!/usr/bin/env bash
# Runs the lvs-health measurements recorded in benchmarks/RESULTS.md (about 3 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results}
mkdir -p "$out"
ulimit -n 65536 2>/dev/null || true   # 2,000 listeners plus connections in flight
./mvnw -B -q install -DskipTests
cp=benchmarks/target/benchmarks.jar
java -cp "$cp" io.lvs4j.benchmarks.HealthScale --tcp 1000 --http 1000 --seconds 60 | tee "$out/health-scale.txt"
java -cp "$cp" io.lvs4j.benchmarks.HealthDetection --delay-loop 6 --retry 3 --delay-before-retry 3 --trials 3 | tee "$out/health-detection-6-3-3.txt"
java -cp "$cp" io.lvs4j.benchmarks.HealthDetection --delay-loop 1 --retry 1 --delay-before-retry 1 --trials 5 | tee "$out/health-detection-1-1-1.txt"
