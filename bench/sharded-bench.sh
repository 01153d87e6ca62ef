#!/usr/bin/env bash
# The sharded search's benchmark (issue 5), in one run on the same files: database builds
# (makeblastdb, diamond makedb, and taxoshard scan + plan + shard + index with their sizes), then
# the searches (blastp, DIAMOND --sensitive, `taxoshard search --db` = the kernel alone, and
# `taxoshard search --index` = the sharded MapReduce search on the embedded local runner), with
# wall time, peak RSS and recall of blastp's pairs. The two taxoshard hits.tsv must be identical.
# The machine is shared and noisy: compare the ratios, not the seconds.
#
#   bench/sharded-bench.sh [WORK_DIR]   (build first: mvn -q -DskipTests package)
#
# WORK_DIR holds db.fasta and queries.fasta (bench/search-bench.sh makes them: the metastudent
# BPO database and 500 seeded proteome proteins). Environment: SHARDS (default 4), STRATEGY
# (default hash), PEERS (default "blastp diamond-sensitive"; empty to skip the peers' searches).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/bench/target/search-bench}"
shards="${SHARDS:-4}"
strategy="${STRATEGY:-hash}"
peers="${PEERS-blastp diamond-sensitive}"
threads=2
db="$work/db.fasta"
q="$work/queries.fasta"
ts="$root/bin/taxoshard"
out="$work/sharded"
[[ -s "$db" && -s "$q" ]] || { echo "run bench/search-bench.sh $work first (it makes db.fasta and queries.fasta)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
: > "$out/times.tsv"
timed() { # name, command...: runs it, appends "name wall_s peak_kb" to times.tsv
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" > "$out/$name.log" 2>&1
  echo -e "$name\t$(cat "$out/$name.time")" >> "$out/times.tsv"
}
echo "database: $db ($(grep -c '>' "$db") sequences, $(stat -c %s "$db") bytes); queries: $(grep -c '>' "$q")"

timed makeblastdb makeblastdb -in "$db" -dbtype prot -out "$out/blastdb/db"
timed diamond-makedb diamond makedb --in "$db" -d "$out/diamond" --threads $threads
timed taxoshard-scan "$ts" scan --input "$db" --out "$out/scan"
timed taxoshard-plan "$ts" plan --stats "$out/scan" --shards "$shards" --strategy "$strategy" --out "$out/plan"
timed taxoshard-shard "$ts" shard --input "$db" --plan "$out/plan" --out "$out/shards"
timed taxoshard-index "$ts" index --shards "$out/shards" --out "$out/index"
echo
echo "database builds (wall s, peak MB, bytes on disk):"
size() { du -cb "$@" | tail -1 | cut -f1; }
while IFS=$'\t' read -r name v; do
  case $name in
    makeblastdb) bytes=$(size "$out"/blastdb/db.*) ;;
    diamond-makedb) bytes=$(size "$out/diamond.dmnd") ;;
    taxoshard-index) bytes=$(size "$out"/index/shard-*.tsx) ;;
    taxoshard-shard) bytes=$(size "$out"/shards/shard-*/*.fasta) ;;
    *) bytes="" ;;
  esac
  read -r wall kb <<< "$v"
  printf "  %-18s %8.1f %8.0f %14s\n" "$name" "$wall" "$((kb / 1024))" "$bytes"
done < "$out/times.tsv"
echo "  per shard (index.json):"
python3 -c 'import json, sys
for s in json.load(open(sys.argv[1]))["shards"]:
    print("    shard %(shard)d: %(sequences)d sequences, %(residues)d residues, %(bytes)d bytes, %(checksum)s" % s)' "$out/index/index.json"

: > "$out/search-times.tsv"
search() { timed "$@"; tail -1 "$out/times.tsv" >> "$out/search-times.tsv"; }
for p in $peers; do
  case $p in
    blastp) search blastp blastp -query "$q" -db "$out/blastdb/db" -outfmt 6 -evalue 1e-5 -max_target_seqs 500 \
        -comp_based_stats 0 -num_threads $threads -out "$out/blastp.tsv" ;;
    diamond-sensitive) search diamond-sensitive diamond blastp --sensitive -q "$q" -d "$out/diamond" \
        -o "$out/diamond-sensitive.tsv" --evalue 1e-3 --comp-based-stats 0 -k 500 --threads $threads --quiet ;;
  esac
done
search taxoshard-db "$ts" search --db "$db" --queries "$q" --out "$out/search-db" \
  --comp-based-stats 0 --evalue 1e-3 --max-target-seqs 500 --threads $threads
search taxoshard-sharded "$ts" search --index "$out/index" --queries "$q" --out "$out/search-index" \
  --comp-based-stats 0 --evalue 1e-3 --max-target-seqs 500
cp "$out/search-db/hits.tsv" "$out/taxoshard-db.tsv"
cp "$out/search-index/hits.tsv" "$out/taxoshard-sharded.tsv"
echo
if cmp -s "$out/taxoshard-db.tsv" "$out/taxoshard-sharded.tsv"; then
  echo "hits.tsv: search --index over $shards shards = search --db, byte for byte"
else
  echo "hits.tsv: search --index over $shards shards DIFFERS from search --db" >&2
fi
reference="$out/blastp.tsv"
[[ -s "$reference" ]] || reference="$work/blastp.tsv"
python3 "$root/bench/recall.py" "$reference" "$out/search-times.tsv" "$out"
awk -F'\t' '$1=="taxoshard-db"{split($2,a," "); d=a[1]} $1=="taxoshard-sharded"{split($2,b," "); s=b[1]}
  END{if (d > 0) printf "sharded / kernel alone wall time: %.2f\n", s / d}' "$out/search-times.tsv"
