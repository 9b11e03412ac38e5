#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Compare a `lagbpf show -j` document with docs/json.md, the contract.

The field tables of docs/json.md each follow a `<!-- schema: NAME -->` line;
a row's first cell names its field (or several: `txPackets`, `txBytes`). This
reads them and checks that the document has exactly the documented fields,
object by object (the LAG, `lacp`, each connection, its `actor`, `partner`,
their `state`, its `counters`; or the pins object). Exceptions are the ones
docs/json.md states: in static mode a connection has no row marked "LACP mode
only"; `actor` has only the rows whose "in" cell is "both".
The examples of docs/json.md (each fenced json block after an
`<!-- example: KIND -->` line, KIND lag, pins or static-connection) must show
no field that the tables lack; they may predate a newer field (stability
rule 2), so a documented field they miss is not an error.
usage: json_schema.py DOC.md KIND JSON_FILE   (KIND: lag or pins; JSON_FILE
       holds one document or an array of them)
       json_schema.py DOC.md --examples
Prints each difference; exit 1 if any, 2 on bad input.
"""
import json
import re
import sys

MARK = re.compile(r"^<!-- schema: ([a-z]+) -->\s*$")
EXAMPLE = re.compile(r"^<!-- example: ([a-z-]+) -->\s*$")
NAME = re.compile(r"`([A-Za-z][A-Za-z0-9]*)`")


def tables(path):
    """{schema name: [[cell, ...] per row]} from the marked tables."""
    out, name, rows = {}, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = MARK.match(line)
            if m:
                name, rows = m.group(1), []
                out[name] = rows
                continue
            if name is None:
                continue
            if not line.startswith("|"):
                if rows:  # the table ended
                    name = None
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0] == "field" or set(cells[0]) <= set("-: "):
                continue  # header, separator
            rows.append(cells)
    return out


def examples(path):
    """[(kind, document)] from the fenced json blocks after example marks."""
    out, kind, text = [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = EXAMPLE.match(line)
            if m:
                kind = m.group(1)
            elif kind and text is None and line.startswith("```json"):
                text = []
            elif kind and text is not None and line.startswith("```"):
                out.append((kind, json.loads("".join(text))))
                kind, text = None, None
            elif text is not None:
                text.append(line)
    return out


def fields(rows, keep=lambda cells: True):
    names = set()
    for cells in rows:
        if keep(cells):
            found = NAME.findall(cells[0])
            if not found:
                sys.exit(f"json_schema: a row names no field: {cells[0]}")
            names.update(found)
    return names


class Checker:
    def __init__(self, doc_path):
        t = tables(doc_path)
        need = ("lag", "pins", "lacp", "connection", "info", "state", "counters")
        missing = [n for n in need if n not in t]
        if missing:
            sys.exit(f"json_schema: {doc_path} has no table marked {', '.join(missing)}")
        self.t = t
        self.errors = []
        self.allow_missing = False

    def keys(self, where, obj, documented):
        if not isinstance(obj, dict):
            self.errors.append(f"{where}: not an object")
            return False
        got = set(obj)
        for k in sorted(documented - got) if not self.allow_missing else ():
            self.errors.append(f"{where}: documented field '{k}' missing")
        for k in sorted(got - documented):
            self.errors.append(f"{where}: field '{k}' not documented in docs/json.md")
        return True

    def info(self, where, obj, who):
        rows = self.t["info"]
        doc = fields(rows, lambda c: who == "partner" or c[2] == "both")
        if self.keys(where, obj, doc) and "state" in obj:
            self.keys(f"{where}.state", obj["state"], fields(self.t["state"]))

    def connection(self, where, obj, lacp_mode):
        rows = self.t["connection"]
        doc = fields(rows, lambda c: lacp_mode or "LACP mode only" not in c[-1])
        if not self.keys(where, obj, doc):
            return
        if "counters" in obj:
            self.keys(f"{where}.counters", obj["counters"], fields(self.t["counters"]))
        for who in ("actor", "partner"):
            if lacp_mode and who in obj:
                self.info(f"{where}.{who}", obj[who], who)

    def lag(self, where, obj):
        if not self.keys(where, obj, fields(self.t["lag"])):
            return
        lacp_mode = obj.get("mode") == "lacp"
        if lacp_mode:
            self.keys(f"{where}.lacp", obj.get("lacp"), fields(self.t["lacp"]))
        for i, c in enumerate(obj.get("connections") or []):
            self.connection(f"{where}.connections[{i}]", c, lacp_mode)

    def pins(self, where, obj):
        self.keys(where, obj, fields(self.t["pins"]))


def check_examples(doc_path):
    checker = Checker(doc_path)
    checker.allow_missing = True
    found = examples(doc_path)
    if not found:
        print("json_schema: no marked example", file=sys.stderr)
        return 2
    for i, (kind, d) in enumerate(found):
        where = f"example {i + 1} ({kind})"
        if kind == "static-connection":
            checker.connection(where, d, False)
        elif kind in ("lag", "pins"):
            getattr(checker, kind)(where, d)
        else:
            checker.errors.append(f"{where}: unknown example kind")
    for e in checker.errors:
        print(e)
    return 1 if checker.errors else 0


def main():
    if len(sys.argv) == 3 and sys.argv[2] == "--examples":
        return check_examples(sys.argv[1])
    if len(sys.argv) != 4 or sys.argv[2] not in ("lag", "pins"):
        print("usage: " + __doc__.split("usage: ")[1], file=sys.stderr)
        return 2
    checker = Checker(sys.argv[1])
    with open(sys.argv[3], encoding="utf-8") as f:
        docs = json.load(f)
    if not isinstance(docs, list):
        docs = [docs]
    if not docs:
        print("json_schema: no document to check", file=sys.stderr)
        return 2
    for i, d in enumerate(docs):
        name = d.get("lagName", f"#{i}") if isinstance(d, dict) else f"#{i}"
        getattr(checker, sys.argv[2])(name, d)
    for e in checker.errors:
        print(e)
    return 1 if checker.errors else 0


if __name__ == "__main__":
    sys.exit(main())
