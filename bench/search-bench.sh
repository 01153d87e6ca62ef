#!/usr/bin/env bash
# The search benchmark of issue 4: blastp, DIAMOND (default, --sensitive, --ultra-sensitive),
# MMseqs2 (default, -s 7.5) and `taxoshard search --db` (BLAST's own algorithm, and each other
# --sensitivity as a taxoshard-<mode> row) on the same queries and database in one
# run, 2 threads each. Prints index time, search wall time, peak RSS and recall of blastp's
# query-subject pairs (cbs 0, E <= 1e-5; queries where blastp hit the 500-target cap left out).
# The machine is shared and noisy: compare the ratios, not the seconds.
#
#   bench/search-bench.sh [WORK_DIR]        (build first: mvn -q -DskipTests package)
#
# Environment: QUERIES (default 500), PEERS (default "blastp diamond diamond-sensitive
# diamond-ultra mmseqs mmseqs-s7.5"; empty to rerun only taxoshard against a cached blastp),
# MODES (the --sensitivity settings to run, blast as the taxoshard row, others as taxoshard-<mode>;
# default "blast fast"),
# DB (a FASTA; default: the metastudent-data BPO database turned into FASTA by blastdbcmd).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/bench/target/search-bench}"
mkdir -p "$work"
threads=2
queries_n="${QUERIES:-500}"
peers="${PEERS-blastp diamond diamond-sensitive diamond-ultra mmseqs mmseqs-s7.5}"
modes="${MODES-blast fast}"
shared="$root/../shared/data"
time_fmt="%e %M %U %S"

if [[ -z "${DB:-}" && ! -s "$work/db.fasta" ]]; then
  blastdbcmd -db /usr/share/metastudent-data/dataset_201401/BPO/goasp.fasta -entry all -outfmt %f > "$work/db.fasta"
fi
db="${DB:-$work/db.fasta}"
if [[ ! -s "$work/queries.fasta" ]]; then
  # A fixed, seeded sample of real proteins from the 15 proteomes.
  # (seqkit head closes the pipe early: the upstream SIGPIPE is expected.)
  { zcat "$shared"/proteomes/*.fasta.gz | seqkit shuffle -s 11 2>/dev/null | seqkit head -n "$queries_n" > "$work/queries.fasta"; } || true
fi
q="$work/queries.fasta"
echo "database: $db ($(seqkit stats -T "$db" | awk 'NR==2{print $4" sequences, "$5" residues"}'))"
echo "queries:  $q ($(grep -c '>' "$q"))"

timed() { # name, command...: runs it, appends "name wall_s peak_kb user_s sys_s" to times.tsv
  local name=$1; shift
  /usr/bin/time -f "$time_fmt" -o "$work/$name.time" "$@"
  echo -e "$name\t$(cat "$work/$name.time")" >> "$work/times.tsv"
}
# DIAMOND's database, made once by whichever DIAMOND row comes first.
make_diamond_db() {
  [[ -s "$work/diamond.dmnd" ]] || timed diamond-makedb diamond makedb --in "$db" -d "$work/diamond" --threads $threads --quiet
}
# A rerun with PEERS="" keeps the peers' figures of the last full run and measures taxoshard again.
if [[ -n "$peers" || ! -f "$work/times.tsv" ]]; then
  : > "$work/times.tsv"
else
  grep -v '^taxoshard' "$work/times.tsv" > "$work/times.tsv.keep" || true
  mv "$work/times.tsv.keep" "$work/times.tsv"
fi
for p in $peers; do
  case $p in
    blastp)
      timed makeblastdb makeblastdb -in "$db" -dbtype prot -out "$work/blastdb/db" > /dev/null
      timed blastp blastp -query "$q" -db "$work/blastdb/db" -outfmt 6 -evalue 1e-5 \
        -max_target_seqs 500 -comp_based_stats 0 -num_threads $threads -out "$work/blastp.tsv" ;;
    diamond)
      make_diamond_db
      timed diamond diamond blastp -q "$q" -d "$work/diamond" -o "$work/diamond.tsv" --evalue 1e-3 \
        --comp-based-stats 0 -k 500 --threads $threads --quiet ;;
    diamond-sensitive)
      make_diamond_db
      timed diamond-sensitive diamond blastp --sensitive -q "$q" -d "$work/diamond" -o "$work/diamond-sensitive.tsv" \
        --evalue 1e-3 --comp-based-stats 0 -k 500 --threads $threads --quiet ;;
    diamond-ultra)
      make_diamond_db
      timed diamond-ultra diamond blastp --ultra-sensitive -q "$q" -d "$work/diamond" -o "$work/diamond-ultra.tsv" \
        --evalue 1e-3 --comp-based-stats 0 -k 500 --threads $threads --quiet ;;
    mmseqs|mmseqs-s7.5)
      [[ -d "$work/mmseqsdb" ]] || { mkdir -p "$work/mmseqsdb"; timed mmseqs-createdb mmseqs createdb "$db" "$work/mmseqsdb/db" > /dev/null; }
      sens=(); [[ $p == mmseqs-s7.5 ]] && sens=(-s 7.5)
      rm -rf "$work/mmseqs-tmp"
      timed "$p" mmseqs easy-search "$q" "$work/mmseqsdb/db" "$work/$p.tsv" "$work/mmseqs-tmp" \
        "${sens[@]}" -e 1e-3 --comp-bias-corr 0 --max-seqs 500 --threads $threads > /dev/null ;;
  esac
done
if [[ -x "$root/bin/taxoshard" && -n "$(ls "$root"/driver/target/*-standalone.jar 2>/dev/null)" ]]; then
  # BLAST's own algorithm (the default), then each other --sensitivity as a taxoshard-<mode> row.
  for mode in $modes; do
    name=taxoshard; [[ $mode == blast ]] || name=taxoshard-$mode
    rm -rf "$work/$name"
    timed "$name" "$root/bin/taxoshard" search --db "$db" --queries "$q" --out "$work/$name" --sensitivity "$mode" \
      --comp-based-stats 0 --evalue 1e-3 --max-target-seqs 500 --threads $threads > /dev/null
    cp "$work/$name/hits.tsv" "$work/$name.tsv"
  done
fi
echo
python3 "$root/bench/recall.py" "$work/blastp.tsv" "$work/times.tsv" "$work"
