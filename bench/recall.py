#!/usr/bin/env python3
"""Recall of blastp's query-subject pairs (E <= 1e-5) by each tool, beside its time and memory.

recall.py BLASTP_TSV TIMES_TSV WORK_DIR: every WORK_DIR/<tool>.tsv named in TIMES_TSV is scored.
Queries where blastp reached the 500-target cap are left out (their lists are truncated, so a
miss there may be a pair blastp would have dropped too)."""
import collections, os, sys

CAP = 500

def ident(word):
    """UniProt ids as the tools print them: sp|P12345|NAME (BLAST, DIAMOND) or P12345 (MMseqs2)."""
    parts = word.split("|")
    return parts[1] if len(parts) >= 3 and parts[0] in ("sp", "tr") else word

def pairs(path, max_evalue=None):
    out = collections.defaultdict(set)
    with open(path) as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) < 12:
                continue
            if max_evalue is not None and float(c[10]) > max_evalue:
                continue
            out[ident(c[0])].add(ident(c[1]))
    return out

ref = pairs(sys.argv[1], 1e-5)
capped = {q for q, s in ref.items() if len(s) >= CAP}
ref_pairs = {(q, s) for q, ss in ref.items() if q not in capped for s in ss}
times = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
print(f"blastp pairs at E <= 1e-5: {len(ref_pairs)} over {len(ref) - len(capped)} queries "
      f"({len(capped)} capped queries left out)")
base = {name: float(v.split()[0]) for name, v in times}
print(f"{'tool':<22}{'wall s':>9}{'cpu s':>9}{'x blastp':>9}{'x dmnd-s':>9}{'peak MB':>9}{'recall':>8}{'pairs':>9}")
for name, v in times:
    f = v.split()
    wall, kb = float(f[0]), int(f[1])
    # user + sys CPU seconds, when the run recorded them (older times.tsv rows hold wall and memory only)
    cpu = f"{float(f[2]) + float(f[3]):.0f}" if len(f) >= 4 else ""
    path = os.path.join(sys.argv[3], name + ".tsv")
    recall = found = ""
    if os.path.exists(path):
        got = pairs(path)
        hit = sum(1 for q, s in ref_pairs if s in got.get(q, ()))
        recall = f"{hit / max(1, len(ref_pairs)):.3f}"
        found = str(sum(len(s) for s in got.values()))
    ratio = f"{base['blastp'] / wall:.2f}" if 'blastp' in base and wall > 0 else ""
    dratio = f"{base['diamond-sensitive'] / wall:.2f}" if 'diamond-sensitive' in base and wall > 0 else ""
    print(f"{name:<22}{wall:>9.1f}{cpu:>9}{ratio:>9}{dratio:>9}{kb / 1024:>9.0f}{recall:>8}{found:>9}")
