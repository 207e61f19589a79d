#!/usr/bin/env python3
"""Naive baselines that write an export score.py can read.

    python3 baseline.py DIR --out EXPORT.csv [--mode name|truth]

name:  person_id = normalised lowercase full name (full_name, else given + family)
truth: person_id = the true person_key (score must be F1 = 1.0)
"""
import argparse
import csv
import json
import os
import re
import unicodedata


def norm(s):
    s = unicodedata.normalize("NFKC", s).lower()
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode", choices=["name", "truth"], default="name")
    a = ap.parse_args()
    lists = json.load(open(os.path.join(a.dir, "lists.json"), encoding="utf-8"))
    truth = {}
    with open(os.path.join(a.dir, "truth.csv"), encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            truth[(r["source"], r["record_id"])] = r["person_key"]
    with open(a.out, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["source", "record_id", "person_id"])
        for fname, meta in lists.items():
            with open(os.path.join(a.dir, fname), encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    src = meta["source"]
                    if a.mode == "truth":
                        pid = truth[(src, r["record_id"])]
                    else:
                        name = r.get("full_name") or " ".join(
                            x for x in (r.get("given_name", ""), r.get("family_name", "")) if x)
                        pid = norm(name) or "unnamed:" + r["record_id"]
                    w.writerow([src, r["record_id"], pid])


if __name__ == "__main__":
    main()
