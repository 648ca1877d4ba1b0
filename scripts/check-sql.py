#!/usr/bin/env python3
"""Fails when SQLite is used outside its back end, or SQL that only SQLite runs is written.

    check-sql.py ROOT [ARCHIVE...]

Every SQL call goes through the statement layer (src/lib/store/sql.h) so that the workspace
can be SQLite or PostgreSQL. Three checks, each naming file and line:

1. Sources: no file of src/, include/ or tests/ other than the SQLite back end
   (sql_sqlite.c), the staging virtual table (stage.c), the backup code (backup*.c) and the
   test of SQLite's query plans (test_report_plans.c) includes <sqlite3.h> or names a
   sqlite3_ function or an SQLITE_ constant (comments and strings aside).
2. Objects (nm of the ARCHIVEs, the layers' static libraries): no object other than those
   calls a sqlite3_ function, whatever macro or header it came through.
3. SQL: no statement in a string of src/lib outside a back end (adjacent literals joined,
   starting with an SQL keyword in capitals) holds what only
   SQLite understands: INSERT OR IGNORE/REPLACE, last_insert_rowid, group_concat, GLOB,
   PRAGMA, typeof(), or SQLite's date functions.
"""
import glob
import os
import re
import subprocess
import sys

ALLOWED = re.compile(r"(^|/)src/lib/store/(sql_sqlite|sql_pg|stage|backup[^/]*)\.c$"
                     # SQLite's query plans (EXPLAIN QUERY PLAN), by nature
                     r"|(^|/)tests/unit/test_report_plans\.c$")
ALLOWED_OBJ = re.compile(r"^(sql_sqlite|sql_pg|stage|backup[^/]*)$")
SQLITE_NAME = re.compile(r"\b(sqlite3_\w+|SQLITE_[A-Z]\w*|sqlite3\b(?=\s*\*))")
SQLITE_ONLY_SQL = [
    (re.compile(r"\bINSERT\s+OR\s+(IGNORE|REPLACE|ABORT|FAIL|ROLLBACK)\b", re.I),
     "INSERT OR ...: use INSERT ... ON CONFLICT (...) DO NOTHING / DO UPDATE"),
    (re.compile(r"\bREPLACE\s+INTO\b", re.I), "REPLACE INTO: use INSERT ... ON CONFLICT"),
    (re.compile(r"\blast_insert_rowid\s*\(", re.I), "last_insert_rowid(): use INSERT ... RETURNING id"),
    (re.compile(r"\bgroup_concat\s*\(", re.I), "group_concat(): gather the rows in C"),
    (re.compile(r"\bGLOB\b"), "GLOB: match in C"),
    (re.compile(r"\bPRAGMA\b", re.I), "PRAGMA: only a back end may run one"),
    (re.compile(r"\btypeof\s*\(", re.I), "typeof(): use sql_column_type()"),
    (re.compile(r"\b(strftime|julianday|datetime|unixepoch|date|time)\s*\(", re.I),
     "an SQLite date function: dates are integers, worked in C"),
    (re.compile(r"\b(ifnull|iif|printf|instr|total)\s*\(", re.I),
     "an SQLite-only function: use coalesce/CASE/C"),
]

# a string that is a statement (the library writes its SQL keywords in capitals)
LOOKS_SQL = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|WITH|BEGIN|DROP|ALTER|PRAGMA|REPLACE)\b")

# a comment, a string literal, a character literal, or anything else
TOKEN = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def code_only(text):
    """The text with comments and literals blanked (newlines kept, so lines still count)."""
    return TOKEN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def strings(text):
    """(line, joined text) of each run of adjacent string literals outside comments."""
    out, run, run_line, last_end = [], [], 0, None
    for m in TOKEN.finditer(text):
        tok = m.group(0)
        if not tok.startswith('"'):
            continue
        between = text[last_end:m.start()] if last_end is not None else None
        line = text.count("\n", 0, m.start()) + 1
        if run and between is not None and \
                re.fullmatch(r"[\s\\]*", re.sub(r"/\*.*?\*/|//[^\n]*", "", between, flags=re.S)):
            run.append(tok[1:-1])
        else:
            if run:
                out.append((run_line, "".join(run)))
            run, run_line = [tok[1:-1]], line
        last_end = m.end()
    if run:
        out.append((run_line, "".join(run)))
    return out


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    problems = []
    files = sorted(glob.glob(os.path.join(root, "src/**/*.[ch]"), recursive=True) +
                   glob.glob(os.path.join(root, "include/**/*.h"), recursive=True) +
                   glob.glob(os.path.join(root, "tests/**/*.[ch]"), recursive=True))
    files = [p for p in files if "/node_modules/" not in p]
    for path in files:
        rel = os.path.relpath(path, root)
        if ALLOWED.search(rel):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for n, line in enumerate(text.splitlines(), 1):
            if re.match(r"\s*#\s*include\s*<sqlite3(ext)?\.h>", line):
                problems.append(f"{rel}:{n}: includes <sqlite3.h>: only the SQLite back end may (use sql.h)")
        for n, line in enumerate(code_only(text).splitlines(), 1):
            m = SQLITE_NAME.search(line)
            if m:
                problems.append(f"{rel}:{n}: '{m.group(1)}': SQLite's API outside its back end (use sql.h)")
        if rel.startswith("src/lib/") and not rel.endswith("/sql.h"):
            for n, s in strings(text):
                if not LOOKS_SQL.match(s):
                    continue
                for rx, why in SQLITE_ONLY_SQL:
                    m = rx.search(s)
                    if m:
                        problems.append(f"{rel}:{n}: SQL '{m.group(0)}' runs only on SQLite: {why}")
    for archive in sys.argv[2:]:
        out = subprocess.run(["nm", "-A", archive], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            m = re.match(r"^[^:]*:([^:]+?)(?:\.c)?\.o:\s+U\s+(sqlite3_\w+)$", line)
            if m and not ALLOWED_OBJ.match(m.group(1)):
                problems.append(f"{os.path.basename(archive)}: {m.group(1)}.o calls {m.group(2)}: "
                                "only the SQLite back end may")
    for p in problems:
        print(p)
    if problems:
        print(f"check-sql: {len(problems)} use(s) of SQLite outside its back end", file=sys.stderr)
        return 1
    print(f"check-sql: {len(files)} files, SQLite only in its back end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
