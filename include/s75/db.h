/* s75 — the workspace database (SQLite, or a PostgreSQL schema): import batches, ledger
 * transactions and their aggregates, forecasts, and an append-only audit log.
 *
 * A workspace is a folder with `agreement.yaml` and `s75.db`, or with `s75.database`
 * naming its PostgreSQL schema (s75_db_init_database()). The schema carries a version
 * (SQLite: PRAGMA user_version; PostgreSQL: the table s75_schema_version) and is migrated
 * forward when opened.
 */
#ifndef S75_DB_H
#define S75_DB_H

#include <stdbool.h>
#include "agreement.h"
#include "common.h"

typedef struct s75_db s75_db;

enum {
	S75_DB_CREATE = 1 /**< create the database if it does not exist */
};

/** The schema version this library writes. */
#define S75_DB_SCHEMA_VERSION 17

/**
 * Opens the database at `path` (WAL, foreign keys on) and migrates it forward.
 * @param[out] out  the database; close with s75_db_close()
 * @return 0, S75_ENOTFOUND if it does not exist and S75_DB_CREATE is not set, S75_EIO
 */
S75_EXTERN(int) s75_db_open(s75_db **out, const char *path, unsigned flags);
S75_EXTERN(void) s75_db_close(s75_db *db);
S75_EXTERN(int) s75_db_schema_version(s75_db *db);

/**
 * Creates (or opens) the workspace's tables in PostgreSQL and records the connection in
 * the workspace, so that s75_db_open() of `path` opens it from then on: the file
 * `s75.database` beside `path`. `database` is a postgresql:// URI; its parameter
 * `schema=NAME` (default `s75`) is the workspace's schema, so that many agreements share
 * one database. A password in it is refused (libpq reads PGPASSFILE or ~/.pgpass).
 * The environment variable S75_DATABASE, when set, overrides what a workspace records.
 * @param[out] out  the database; close with s75_db_close()
 * @return 0, S75_EINVALID (a password, a bad URI, an s75.db already there) or S75_EIO
 */
S75_EXTERN(int) s75_db_init_database(s75_db **out, const char *path, const char *database);
/** Where the database is, for messages: its file, or its URI (owned by `db`). */
S75_EXTERN(const char *) s75_db_location(const s75_db *db);
/** One check of a copy: a figure read from the workspace and from its copy. */
typedef struct s75_copy_check {
	char *what;              /**< "table txn", "batch 3: la expenditure", "2017/18 P6 income" */
	long rows_from, rows_to; /**< rows in the workspace, in the copy */
	int64_t amount_from, amount_to; /**< pence (0 for a table's row count) */
} s75_copy_check;

/** What s75_db_migrate_to() did and proved. Release with s75_copy_result_release(). */
typedef struct s75_copy_result {
	char *from, *to;         /**< the workspace's database and the copy's */
	s75_copy_check *checks;
	size_t nchecks;
	size_t mismatches;       /**< checks whose two figures differ (then nothing is kept) */
} s75_copy_result;

/**
 * Copies the workspace `from` (of the SQLite file `path`) into a new schema of PostgreSQL
 * (`database`, a postgresql:// URI as for s75_db_init_database()), in one transaction that
 * commits only if every table's rows, every batch's control totals (summed again from the
 * copied ledger rows) and every period's totals by kind (the aggregates the monitoring
 * report reads, summed again from the copied rows) agree; then records the connection in
 * the workspace, so that later commands use the copy. s75.db is left as it was.
 * @param[out] out  the checks, filled as far as the copy went (release it in every case)
 * @return 0, S75_EINVALID (not a new schema, a disagreement, a password) or S75_EIO
 */
S75_EXTERN(int) s75_db_migrate_to(s75_copy_result *out, s75_db *from, const char *path,
				  const char *database);
S75_EXTERN(void) s75_copy_result_release(s75_copy_result *r);
/** 1 if opening it created the workspace's tables (it had none), else 0. */
S75_EXTERN(int) s75_db_created(const s75_db *db);
/**
 * Copies an SQLite workspace to `dest` while other connections read and write it (SQLite's
 * backup API, one snapshot), checks the copy, and renames it over `dest`.
 * @return 0, S75_EINVALID for a workspace in PostgreSQL (pg_dump backs it up), S75_EIO
 */
S75_EXTERN(int) s75_db_backup(s75_db *db, const char *dest);

/** One line of a batch's control totals: rows and amount per partner and kind. */
typedef struct s75_batch_total {
	char *partner;
	s75_txn_kind kind;
	long rows;
	int64_t amount; /**< pence, positive = spent / received / paid as the kind says */
} s75_batch_total;

typedef struct s75_batch {
	int64_t id;
	char *kind;   /**< "actuals", "forecasts" or "packages" */
	char *file, *sha256, *profile, *period, *imported_at, *undone_at;
	long rows_read, rows_imported, rows_rejected;
	long rows_skipped, rows_outside; /**< not transactions; outside the pool */
	int64_t outside_amount;          /**< pence, the outside rows as the file states them */
	s75_batch_total *totals;
	size_t ntotals;
} s75_batch;

/** Lists the import batches, oldest first (undone ones too when `all`). Free with s75_batches_free(). */
S75_EXTERN(int) s75_batches_list(s75_batch **out, size_t *n, s75_db *db, bool all);
S75_EXTERN(void) s75_batches_free(s75_batch *b, size_t n);

/**
 * Removes batch `id`: its transactions or forecasts and its share of the aggregates,
 * in one transaction. The batch stays listed as undone; the audit log records it.
 * @param ag   the agreement, to name a partner in an error by its name; NULL: by its id
 * @param now  the time to record (ISO 8601)
 * @return 0, S75_ENOTFOUND, or S75_EINVALID if it was already undone or has rows in a
 *         closed period
 */
S75_EXTERN(int) s75_batch_undo(s75_db *db, const s75_agreement *ag, int64_t id, const char *now);

/** An entry of the audit log. */
typedef struct s75_audit_entry {
	int64_t id;
	char *at, *action, *detail;
	int64_t batch_id; /**< 0 if none */
	char *actor;      /**< who (an account's e-mail, "cli:USER"), or NULL when not recorded */
	char *address;    /**< from where (an IP address, "local"), or NULL */
} s75_audit_entry;

/**
 * Who the writes that follow on this connection are by, and from where, for the audit log
 * (copied; NULL clears). Every entry written after it records them.
 */
S75_EXTERN(void) s75_db_set_actor(s75_db *db, const char *actor, const char *address);
/** Appends an entry to the audit log (with the actor set by s75_db_set_actor()).
 * @return 0 or S75_EIO */
S75_EXTERN(int) s75_audit_record(s75_db *db, const char *now, const char *action,
                                 const char *detail);

/**
 * A number that changes with every write the audit log records (imports, undos, records,
 * account changes, logins): a client may keep what it built from the database until it
 * changes. -1 on error.
 */
S75_EXTERN(int64_t) s75_db_generation(s75_db *db);

/**
 * Begins a read-only snapshot: every read on `db` until s75_db_read_end() sees the
 * database as it was at one commit, whatever other connections commit meanwhile (a page
 * built from several queries is consistent), and `*generation` is that commit's
 * s75_db_generation(). No write may be made on `db` before s75_db_read_end().
 * @return 0 or S75_EIO
 */
S75_EXTERN(int) s75_db_read_begin(int64_t *generation, s75_db *db);
/** Ends the snapshot begun by s75_db_read_begin(). */
S75_EXTERN(void) s75_db_read_end(s75_db *db);

S75_EXTERN(int) s75_audit_list(s75_audit_entry **out, size_t *n, s75_db *db);
S75_EXTERN(void) s75_audit_free(s75_audit_entry *e, size_t n);

#endif
