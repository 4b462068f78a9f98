#!/usr/bin/env bash
# Runs the lvs-core JMH benchmarks whose figures are in benchmarks/RESULTS.md.
# Usage: benchmarks/run-core.sh [outdir]   (takes about 12 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-benchmarks/results}
mkdir -p "$out"
./mvnw -B -q install -DskipTests
jar=benchmarks/target/benchmarks.jar
# picks: one thread with the GC profiler (bytes allocated per pick), then two threads
java -jar "$jar" SchedulerBenchmark -t 1 -wi 2 -i 3 -w 1 -r 1 -f 1 -prof gc -rf json -rff "$out/picks-t1.json" | tee "$out/picks-t1.txt"
java -jar "$jar" SchedulerBenchmark -t 2 -wi 2 -i 3 -w 1 -r 1 -f 1 -rf json -rff "$out/picks-t2.json" | tee "$out/picks-t2.txt"
# full connection lifecycle, one thread, with and without persistence
java -jar "$jar" LifecycleBenchmark -prof gc -rf json -rff "$out/lifecycle.json" | tee "$out/lifecycle.txt"
