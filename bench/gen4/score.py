#!/usr/bin/env python3
"""Pairwise precision / recall / F1 of a linkage export against truth.csv.

    python3 score.py --truth DIR/truth.csv --export EXPORT.csv [--json]
    python3 score.py --self-test

truth.csv:  source,record_id,person_key
export:     CSV with at least source,record_id,person_id (other columns ignored)

A pair of records is predicted-same when the export gives both the same person_id,
truly-same when truth gives both the same person_key.  Only records in truth count;
truth records missing from the export are treated as singletons (each its own
predicted person).  Pairs are counted through cluster sizes, never enumerated:
  true pairs       = sum over person_key         C(n, 2)
  predicted pairs  = sum over person_id          C(n, 2)
  correct pairs    = sum over (person_id, key)   C(n, 2)
If an export row's (source, record_id) is not in truth but its record_id alone is
(record ids are unique across this generator's lists), it is matched by record_id.
"""
import argparse
import csv
import json
import random
import sys
from collections import Counter


def c2(n):
    return n * (n - 1) // 2


def pair_scores(truth, predicted):
    """truth: {record: key}; predicted: {record: person_id} (may lack records).

    Returns dict with tp, predicted_pairs, true_pairs, precision, recall, f1."""
    cells = Counter()
    pred_sizes = Counter()
    true_sizes = Counter()
    for rec, key in truth.items():
        pid = predicted.get(rec)
        if pid is None:
            pid = ("\0missing", rec)  # a singleton of its own
        else:
            pid = ("id", pid)
        cells[(pid, key)] += 1
        pred_sizes[pid] += 1
        true_sizes[key] += 1
    tp = sum(c2(n) for n in cells.values())
    pp = sum(c2(n) for n in pred_sizes.values())
    tt = sum(c2(n) for n in true_sizes.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"true_pairs": tt, "predicted_pairs": pp, "correct_pairs": tp,
            "precision": precision, "recall": recall, "f1": f1}


def read_truth(path):
    truth = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            truth[(row["source"], row["record_id"])] = row["person_key"]
    return truth


def read_export(path, truth):
    by_rid = Counter(rid for _, rid in truth)
    rid_source = {rid: src for src, rid in truth}
    predicted = {}
    unknown = conflicts = via_rid = 0
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            rec = (row.get("source", ""), row.get("record_id", ""))
            if rec not in truth:
                rid = rec[1]
                if by_rid.get(rid) == 1:
                    rec = (rid_source[rid], rid)
                    via_rid += 1
                else:
                    unknown += 1
                    continue
            pid = row.get("person_id", "")
            if pid == "":
                continue  # an unlinked record: a singleton
            if rec in predicted and predicted[rec] != pid:
                conflicts += 1
            predicted[rec] = pid
    return predicted, {"export_rows_not_in_truth": unknown, "matched_by_record_id_only": via_rid,
                       "conflicting_duplicate_rows": conflicts}


def self_test():
    # hand-made example: truth {a,b,c} {d,e}; predicted {a,b} {c,d} {e}; f missing
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 3}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}
    s = pair_scores(truth, pred)
    assert (s["true_pairs"], s["predicted_pairs"], s["correct_pairs"]) == (4, 2, 1), s
    assert abs(s["precision"] - 0.5) < 1e-12 and abs(s["recall"] - 0.25) < 1e-12
    # perfect export
    s = pair_scores(truth, {r: "p%d" % k for r, k in truth.items()})
    assert s["f1"] == 1.0 and s["correct_pairs"] == 4
    # everything missing => no predicted pairs
    s = pair_scores(truth, {})
    assert s["predicted_pairs"] == 0 and s["recall"] == 0.0
    # brute force on random clusterings
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 25)
        recs = ["r%d" % i for i in range(n)]
        t = {r: rng.randint(0, 6) for r in recs}
        p = {r: rng.randint(0, 6) for r in recs if rng.random() < 0.85}
        tp = pp = tt = 0
        for i in range(n):
            for j in range(i + 1, n):
                a, b = recs[i], recs[j]
                same_t = t[a] == t[b]
                same_p = a in p and b in p and p[a] == p[b]
                tt += same_t
                pp += same_p
                tp += same_t and same_p
        s = pair_scores(t, p)
        assert (s["true_pairs"], s["predicted_pairs"], s["correct_pairs"]) == (tt, pp, tp), (t, p, s)
    print("self-test passed")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description="pairwise P/R/F1 of a linkage export")
    ap.add_argument("--truth")
    ap.add_argument("--export")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args(argv)
    if a.self_test:
        return self_test()
    if not (a.truth and a.export):
        ap.error("--truth and --export are required (or --self-test)")
    truth = read_truth(a.truth)
    predicted, info = read_export(a.export, truth)
    s = pair_scores(truth, predicted)
    s.update(info)
    s["truth_records"] = len(truth)
    s["truth_records_missing_from_export"] = sum(1 for r in truth if r not in predicted)
    if a.json:
        print(json.dumps(s, indent=2))
    else:
        print("precision %.4f  recall %.4f  F1 %.4f" % (s["precision"], s["recall"], s["f1"]))
        for k in ("true_pairs", "predicted_pairs", "correct_pairs", "truth_records",
                  "truth_records_missing_from_export", "export_rows_not_in_truth",
                  "matched_by_record_id_only", "conflicting_duplicate_rows"):
            print("%-36s %d" % (k, s[k]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
