#!/bin/sh
# Converts C files from SQLite's API to the store's statement layer (src/lib/store/sql.h):
# the mechanical renames only. Re-runnable: a converted file is left as it is.
#
#   sh scripts/sqlconv.sh FILE...        (no FILE: every .c and .h of src/ and tests/ except
#                                         the SQLite back end and the staging virtual table)
#
# What it cannot do is left for the compiler to point out and a person to fix (see
# docs/architecture.md, "SQL on two back ends"): sqlite3_changes(db->h) -> sql_changes(st),
# sqlite3_last_insert_rowid -> INSERT ... RETURNING id, INSERT OR IGNORE/REPLACE -> INSERT
# ... ON CONFLICT, group_concat, PRAGMAs, SQLite date functions, and an ORDER BY on every
# multi-row SELECT whose order reaches output. The script lists the lines that still need
# that care.
set -eu
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
	set -- $(grep -rlE 'sqlite3_|SQLITE_|db_exec\([^,]+, "(BEGIN|COMMIT)' src tests --include='*.c' --include='*.h' |
		grep -vE '^src/lib/store/(sql|sql_sqlite|sql_pg|stage)\.c$|^src/lib/store/backup[^/]*\.c$|^tests/unit/test_report_plans\.c$' || true)
fi
[ $# -eq 0 ] && exit 0
for f in "$@"; do
	perl -0pi -e '
		# binds whose text or blob is kept by the caller / copied
		s/\bsqlite3_bind_text\(((?:[^;])*?),\s*SQLITE_STATIC\)/sql_bind_text($1)/gs;
		s/\bsqlite3_bind_text\(((?:[^;])*?),\s*SQLITE_TRANSIENT\)/sql_bind_text_copy($1)/gs;
		s/\bsqlite3_bind_blob\(((?:[^;])*?),\s*SQLITE_STATIC\)/sql_bind_blob($1)/gs;
		s/\(\s*const\s+char\s*\*\s*\)\s*sqlite3_column_text\(/sql_column_text(/g;
		s/\bconst\s+unsigned\s+char\s*\*(\s*\w+\s*=\s*)(?:sqlite3|sql)_column_text\(/const char *$1sql_column_text(/g;
		s/\(\s*const\s+unsigned\s+char\s*\*\s*\)\s*sqlite3_column_text\(/sql_column_text(/g;
		s/\bsqlite3_(bind_int64|bind_int|bind_null|bind_parameter_count|clear_bindings|step|column_int64|column_int|column_text|column_bytes|column_blob|column_type|reset|finalize)\(/sql_$1(/g;
		s/\bsqlite3_stmt\b/sql_stmt/g;
		s/\bSQLITE_(OK|ROW|DONE|BUSY|CONSTRAINT|INTEGER|FLOAT|TEXT|BLOB|NULL)\b/SQL_$1/g;
		s/\bsql_column_type\(([^;()]*)\)\s*==\s*SQL_NULL\b/sql_column_is_null($1)/g;
		s/\bsql_column_type\(([^;()]*)\)\s*!=\s*SQL_NULL\b/!sql_column_is_null($1)/g;
		s/!\s*sqlite3_get_autocommit\((\w+)->h\)/db_in_transaction($1)/g;
		s/\bsqlite3_get_autocommit\((\w+)->h\)/!db_in_transaction($1)/g;
		s/\bsqlite3_busy_timeout\(([\w>-]+)->h,/db_set_wait($1,/g;
		# transactions
		s/\bdb_exec\(([\w>-]+), "BEGIN IMMEDIATE"\)/db_begin_write($1)/g;
		s/\bdb_exec\(([\w>-]+), "BEGIN"\)/db_begin_read($1)/g;
		s/\bdb_exec\(([\w>-]+), "COMMIT"\)/db_commit($1)/g;
		s/\bdb_exec\(([\w>-]+), "SAVEPOINT (\w+)"\)/db_savepoint($1, "$2")/g;
		s/\bdb_exec\(([\w>-]+), "RELEASE (?:SAVEPOINT )?(\w+)"\)/db_release($1, "$2")/g;
		s/\bdb_exec\(([\w>-]+), "ROLLBACK TO (?:SAVEPOINT )?(\w+)"\)/db_rollback_to($1, "$2")/g;
		s/^#include <sqlite3\.h>\n//mg;
	' "$f"
done
# what needs a person
grep -nE 'sqlite3_|SQLITE_|INSERT OR (IGNORE|REPLACE)|last_insert_rowid|group_concat|\bGLOB\b|strftime\(|julianday\(|PRAGMA' "$@" |
	sed 's/^/sqlconv: by hand: /' >&2 || true
