#!/usr/bin/env bash
# How `--sensitivity fast` was chosen: the 500 queries of search-bench.sh against every 8th
# sequence of its database (E-values for the whole database), searched with each seed and
# extension setting in one JVM (bench's SettingsSweep), each scored against blastp's pairs at
# E <= 1e-5 whose subject is in that eighth (queries blastp capped at 500 targets left out); then
# the seeds' two-hit sensitivity along the optimal alignments of the 1,000 weakest of those pairs
# (SeedPaths). Prints recall beside each setting's word hits, ungapped and gapped extensions.
#
#   bench/sensitivity-sweep.sh WORK_DIR    (after bench/search-bench.sh WORK_DIR; build first:
#                                           mvn -q -DskipTests package)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:?WORK_DIR, where search-bench.sh left db.fasta, queries.fasta and blastp.tsv}"
cp="$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")"
[[ -s "$work/db8.fasta" ]] || awk '/^>/{n++} (n-1)%8==0' "$work/db.fasta" > "$work/db8.fasta"
read -r seqs residues < <(seqkit stats -T "$work/db.fasta" | awk 'NR==2{print $4, $5}')
mkdir -p "$work/sweep"
java -Xmx8g -cp "$cp" org.taxoshard.bench.SettingsSweep "$work/queries.fasta" "$work/db8.fasta" "$work/sweep" \
  "$residues" "$seqs" 2 \
  blast: w3t13:T=13 w3t13g24:T=13,trig=24 w3t12g24:T=12,trig=24 w3t12g24xg10:T=12,trig=24,xg=10 \
  s1011t12g24:shape=1011,T=12,trig=24 fast:sensitivity=fast s1101t12g24xu5:shape=1101,T=12,trig=24,xu=5 \
  | tee "$work/sweep/work.tsv"
python3 - "$work" <<'PY'
import collections, os, sys
work = sys.argv[1]
def ident(w):
    p = w.split("|")
    return p[1] if len(p) >= 3 and p[0] in ("sp", "tr") else w
def best(path, maxe=None):
    out = collections.defaultdict(dict)
    for line in open(path):
        c = line.rstrip("\n").split("\t")
        if len(c) < 12 or (maxe is not None and float(c[10]) > maxe):
            continue
        q, s, b = ident(c[0]), ident(c[1]), float(c[11])
        out[q][s] = max(b, out[q].get(s, b))
    return out
ref = best(os.path.join(work, "blastp.tsv"), 1e-5)
capped = {q for q, s in ref.items() if len(s) >= 500}
subjects = {ident(l[1:].split()[0]) for l in open(os.path.join(work, "db8.fasta")) if l.startswith(">")}
pairs = {(q, s): b for q, d in ref.items() if q not in capped for s, b in d.items() if s in subjects}
with open(os.path.join(work, "sweep", "weakest.tsv"), "w") as f:
    for (q, s), b in sorted(pairs.items(), key=lambda kv: kv[1])[:1000]:
        f.write(f"{q}\t{s}\t{b}\n")
print(f"blastp pairs at E <= 1e-5 with their subject in db8.fasta: {len(pairs)}")
for line in open(os.path.join(work, "sweep", "work.tsv")):
    name = line.split("\t")[0]
    got = best(os.path.join(work, "sweep", name + ".tsv"))
    hit = sum(1 for q, s in pairs if s in got.get(q, {}))
    print(f"{name:<18} recall {hit / len(pairs):.4f}  {line.rstrip()}")
PY
java -Xmx8g -cp "$cp" org.taxoshard.bench.SeedPaths "$work/queries.fasta" "$work/db8.fasta" "$work/sweep/weakest.tsv" 1000 \
  nb:3:11 nb:3:12 nb:3:13 nbs:1101:12 nbs:1011:12 nbs:11011:13 red:LVIM/C/A/G/ST/P/FYW/EDNQ/KR/H:1111 \
  red:LVIM/C/A/G/ST/P/FYW/EDNQ/KR/H:11111 red:LVIM/C/A/G/ST/P/FYW/EDNQ/KR/H:11011
