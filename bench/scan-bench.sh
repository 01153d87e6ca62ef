#!/usr/bin/env bash
# Scan wall time and peak memory beside seqkit stats and Hadoop-BAM's getSplits, on the same
# files in one run (the machine is shared: compare the ratios, not the seconds).
#   bench/scan-bench.sh FASTA [FASTA...]      (build first: mvn -q -DskipTests package)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp_bench="$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"
for f in "$@"; do
  echo "== $f ($(du -h "$f" | cut -f1))"
  /usr/bin/time -f "seqkit stats: %e s wall, %M KB peak RSS" seqkit stats -j 2 "$f" > "$work/seqkit.txt"
  tail -n 1 "$work/seqkit.txt"
  /usr/bin/time -f "taxoshard scan: %e s wall, %M KB peak RSS" "$root/bin/taxoshard" scan --input "$f" \
    ${TAXDUMP:+--taxonomy "$TAXDUMP"} --out "$work/scan" --overwrite | head -n 1
  java -Xmx8g -cp "$cp_bench" org.taxoshard.bench.SplitsBench "$f"
done
