/* The schema of each module that keeps tables in the workspace database, as the
 * migrations of db.c apply them in order. Each is a string of SQL statements; once a
 * release has shipped a migration, it never changes: add a new one instead. */
#ifndef S75_MIGRATIONS_H
#define S75_MIGRATIONS_H

#include "sql_pg.h" /* PG_ONLY_OPEN, PG_ROWID_DEFAULT */

/* schema 2: KPI values, meetings (with attendance and the reports they received),
 * decisions and notices (kpi.c, governance_db.c, notice.c). Dates are day counts
 * (s75_date); KPI values fixed point (S75_KPI_SCALE). */
#define S75_MIGRATION_GOVERNANCE                                                            \
	"CREATE TABLE kpi_value("                                                           \
	"  kpi TEXT NOT NULL,"                                                               \
	"  period TEXT NOT NULL,"                                                            \
	"  period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,"                      \
	"  value INTEGER NOT NULL,"                                                          \
	"  note TEXT,"                                                                       \
	"  file TEXT, line INTEGER,"                                                         \
	"  recorded_at TEXT NOT NULL,"                                                       \
	"  PRIMARY KEY (kpi, period)) WITHOUT ROWID;"                                        \
	"CREATE TABLE meeting("                                                             \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  body TEXT NOT NULL,"                                                              \
	"  date INTEGER NOT NULL,"                                                           \
	"  public INTEGER NOT NULL CHECK (public IN (0, 1)),"                                \
	"  present_total INTEGER CHECK (present_total >= 0),"                                \
	"  note TEXT,"                                                                       \
	"  recorded_at TEXT NOT NULL,"                                                       \
	"  UNIQUE (body, date));"                                                            \
	"CREATE TABLE attendance("                                                          \
	"  meeting_id INTEGER NOT NULL REFERENCES meeting(id),"                              \
	"  partner TEXT NOT NULL,"                                                           \
	"  members INTEGER NOT NULL CHECK (members >= 0),"                                   \
	"  PRIMARY KEY (meeting_id, partner)) WITHOUT ROWID;"                                \
	"CREATE TABLE receipt("                                                             \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  body TEXT NOT NULL,"                                                              \
	"  item TEXT NOT NULL,"                                                              \
	"  period TEXT NOT NULL,"                                                            \
	"  date INTEGER NOT NULL,"                                                           \
	"  meeting_id INTEGER REFERENCES meeting(id),"                                       \
	"  recorded_at TEXT NOT NULL);"                                                      \
	"CREATE INDEX receipt_item ON receipt(body, item, period);"                          \
	"CREATE TABLE decision("                                                            \
	"  id TEXT PRIMARY KEY,"                                                             \
	"  body TEXT NOT NULL,"                                                              \
	"  date INTEGER NOT NULL,"                                                           \
	"  approves TEXT NOT NULL,"                                                          \
	"  summary TEXT NOT NULL,"                                                           \
	"  recorded_at TEXT NOT NULL);"                                                      \
	"CREATE TABLE notice("                                                              \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  served_by TEXT NOT NULL,"                                                         \
	"  date INTEGER NOT NULL,"                                                           \
	"  scope TEXT NOT NULL,"                                                             \
	"  grounds TEXT NOT NULL"                                                            \
	"    CHECK (grounds IN ('general', 'no-contribution-agreement', 'default')),"        \
	"  months INTEGER NOT NULL,"                                                         \
	"  effective INTEGER NOT NULL,"                                                      \
	"  note TEXT,"                                                                       \
	"  recorded_at TEXT NOT NULL);"

/* schema 3: care packages and their reassessments (packages_import.c, packages.c).
 * A package's descriptive record is kept per batch (the latest batch not undone is the
 * register); its terms (weekly cost, funding, split, client contribution) per effective
 * date and batch, so reassessments are history. Dates are day counts (s75_date). Undoing
 * a packages batch removes its rows (the trigger), as undo does for the ledger. */
#define S75_MIGRATION_PACKAGES                                                              \
	"CREATE TABLE package("                                                             \
	"  batch_id INTEGER NOT NULL REFERENCES batch(id),"                                  \
	"  package TEXT NOT NULL,"                                                           \
	"  person TEXT NOT NULL,"                                                            \
	"  pool TEXT NOT NULL, element TEXT NOT NULL, cost_centre TEXT,"                     \
	"  service TEXT NOT NULL, provider TEXT,"                                            \
	"  start_date INTEGER NOT NULL, end_date INTEGER,"                                   \
	"  health_partner TEXT, social_partner TEXT,"                                        \
	"  last_review INTEGER, next_review INTEGER NOT NULL,"                               \
	"  line INTEGER NOT NULL,"                                                           \
	"  PRIMARY KEY (package, batch_id)) WITHOUT ROWID;"                                  \
	"CREATE INDEX package_batch ON package(batch_id);"                                   \
	"CREATE TABLE package_terms("                                                       \
	"  batch_id INTEGER NOT NULL REFERENCES batch(id),"                                  \
	"  package TEXT NOT NULL,"                                                           \
	"  effective INTEGER NOT NULL,"                                                      \
	"  weekly INTEGER NOT NULL CHECK (weekly >= 0),"                                     \
	"  funding TEXT NOT NULL CHECK (funding IN ('chc', 'joint', 's117', 'social_care')),"\
	"  health_bp INTEGER NOT NULL CHECK (health_bp BETWEEN 0 AND 10000),"                \
	"  client_weekly INTEGER NOT NULL CHECK (client_weekly >= 0),"                       \
	"  reason TEXT,"                                                                     \
	"  line INTEGER NOT NULL,"                                                           \
	"  PRIMARY KEY (package, effective, batch_id)) WITHOUT ROWID;"                       \
	"CREATE INDEX package_terms_batch ON package_terms(batch_id);"                       \
	"CREATE TRIGGER package_undo AFTER UPDATE OF undone_at ON batch"                     \
	"  WHEN NEW.kind = 'packages' AND NEW.undone_at IS NOT NULL AND OLD.undone_at IS NULL" \
	"  BEGIN DELETE FROM package_terms WHERE batch_id = NEW.id;"                         \
	"  DELETE FROM package WHERE batch_id = NEW.id; END;"

/* conflicts of interest (interests.c): the register of interests of the people on the
 * bodies, and who took part in each decision with the subjects it concerned and the
 * interests they declared (`;`-separated). Dates are day counts (s75_date). */
#define S75_MIGRATION_INTERESTS                                                             \
	"CREATE TABLE interest("                                                            \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  person TEXT NOT NULL, name TEXT, body TEXT NOT NULL,"                             \
	"  subject TEXT NOT NULL, nature TEXT NOT NULL,"                                     \
	"  date_from INTEGER NOT NULL, date_to INTEGER,"                                     \
	"  recorded_at TEXT NOT NULL);"                                                      \
	"CREATE INDEX interest_person ON interest(person);"                                  \
	"CREATE TABLE participation("                                                       \
	"  decision TEXT NOT NULL, person TEXT NOT NULL,"                                    \
	"  subjects TEXT NOT NULL, declared TEXT NOT NULL DEFAULT '',"                       \
	"  recorded_at TEXT NOT NULL,"                                                       \
	"  PRIMARY KEY (decision, person)) WITHOUT ROWID;"

/* notice grounds 'by-agreement' (notice.c): the partners agree the day a notice takes
 * effect. SQLite cannot change a CHECK, so the table is made anew and its rows copied. */
#define S75_MIGRATION_NOTICE_BY_AGREEMENT                                                 \
	"CREATE TABLE notice_new("                                                          \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  served_by TEXT NOT NULL,"                                                         \
	"  date INTEGER NOT NULL,"                                                           \
	"  scope TEXT NOT NULL,"                                                             \
	"  grounds TEXT NOT NULL CHECK (grounds IN ('general', 'no-contribution-agreement',"  \
	"    'default', 'by-agreement')),"                                                   \
	"  months INTEGER NOT NULL,"                                                         \
	"  effective INTEGER NOT NULL,"                                                      \
	"  note TEXT,"                                                                       \
	"  recorded_at TEXT NOT NULL);"                                                      \
	"INSERT INTO notice_new SELECT id, served_by, date, scope, grounds, months, effective," \
	"  note, recorded_at FROM notice;"                                                   \
	"DROP TABLE notice;"                                                                 \
	"ALTER TABLE notice_new RENAME TO notice;"

/* Import batches count the rows that were not transactions (empty rows, footers,
 * skip_when) and those outside the pool (include_when / exclude_when), with the latter's
 * total, so rows read = imported + skipped + outside + rejected holds in the batch too. */
#define S75_MIGRATION_IMPORT_ROWS                                                           \
	"ALTER TABLE batch ADD COLUMN rows_skipped INTEGER NOT NULL DEFAULT 0;"              \
	"ALTER TABLE batch ADD COLUMN rows_outside INTEGER NOT NULL DEFAULT 0;"              \
	"ALTER TABLE batch ADD COLUMN outside_amount INTEGER NOT NULL DEFAULT 0;"

/* Closed periods and prior-period items (periods.c): a closing is kept when the period is
 * reopened (reopened_at, by whom, why), so the list is the period's history; a prior-period
 * item is a ledger row dated in a closed period, posted to the first open one (its txn row
 * carries the period posted to, this table the period it is dated in). */
#define S75_MIGRATION_PERIODS                                                              \
	"CREATE TABLE period_close("                                                        \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  fy INTEGER NOT NULL, period INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),"    \
	"  partner TEXT,"                                                                    \
	"  closed_at TEXT NOT NULL, closed_by TEXT,"                                         \
	"  rows INTEGER NOT NULL, spend INTEGER NOT NULL, seal TEXT NOT NULL,"               \
	"  reopened_at TEXT, reopened_by TEXT, reason TEXT);"                                \
	"CREATE INDEX period_close_period ON period_close(fy, period);"                      \
	"CREATE TRIGGER period_close_no_delete BEFORE DELETE ON period_close"                \
	"  BEGIN SELECT RAISE(ABORT, 'closings are kept: reopen the period instead'); END;"  \
	"CREATE TABLE prior_item("                                                          \
	"  txn_id INTEGER PRIMARY KEY,"                                                      \
	"  fy INTEGER NOT NULL, period INTEGER NOT NULL);"

/* Payments of the partners' contributions received by the host (payments.c). */
#define S75_MIGRATION_PAYMENTS                                                             \
	"CREATE TABLE payment("                                                             \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  partner TEXT NOT NULL, fy INTEGER NOT NULL, date INTEGER NOT NULL,"               \
	"  amount INTEGER NOT NULL CHECK (amount > 0), reference TEXT,"                      \
	"  recorded_at TEXT NOT NULL);"

/* Savings delivery: what each saving of a year delivered, period by period, and the
 * forecast for the rest of the year stated with it (savings.c). One record per saving and
 * period: a second is refused, never merged. */
#define S75_MIGRATION_SAVINGS                                                              \
	"CREATE TABLE saving_delivery("                                                     \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  fy INTEGER NOT NULL, saving TEXT NOT NULL, period INTEGER NOT NULL,"              \
	"  delivered INTEGER NOT NULL, has_forecast INTEGER NOT NULL,"                       \
	"  forecast_rest INTEGER NOT NULL, reference TEXT,"                                   \
	"  recorded_at TEXT NOT NULL,"                                                       \
	"  UNIQUE (fy, saving, period));"

/* A file is imported once (issue 17 point 2): a unique index on the batch's file hash among
 * the batches not undone, so two processes importing the same file at the same moment import
 * it once even if the check before the insert (batch_check_duplicate) raced; an undone batch
 * leaves the index, so its file can be imported again. The hash is '' until the batch is
 * recorded (batch_begin, then batch_record in the same transaction): those are left out. */
#define S75_MIGRATION_BATCH_HASH_ONCE                                                      \
	"CREATE UNIQUE INDEX batch_sha_once ON batch(kind, sha256)"                          \
	"  WHERE undone_at IS NULL AND sha256 <> '';"

/* PostgreSQL alone (nothing on SQLite, where an INTEGER PRIMARY KEY is the rowid): a schema
 * made before the translation numbered rows by a column default (sql_pg.h, PG_ROWID_FUNCTION)
 * has a BEFORE INSERT row trigger per table doing it (its function t_rowid_fn()), which turns
 * off COPY's batched inserts into txn; each becomes the default, numbering as before (one
 * more than the largest), and the functions go with their triggers (a schema made since has
 * none: nothing to do). And txn's primary key, which costs a COPY as much again as the rows
 * themselves (a unique b-tree probed and split row by row), becomes a BRIN index on id: the
 * ids are unique by how they are made ((batch << 32) + line, the batch numbered under the
 * write lock), rows are appended in id order, and what reads txn by id reads a batch's
 * range (undo, the control totals, migrate's checks), which a BRIN index serves. */
#define S75_MIGRATION_PG_ROWID_DEFAULTS                                                    \
	PG_ONLY_OPEN " " PG_ROWID_FUNCTION ";"                                                \
	" DO $s75$DECLARE r record; BEGIN"                                                    \
	" FOR r IN SELECT c.oid::regclass AS t, a.attname FROM pg_trigger g"                 \
	" JOIN pg_proc p ON p.oid = g.tgfoid JOIN pg_class c ON c.oid = g.tgrelid"           \
	" JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary"                          \
	" JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]"              \
	" WHERE c.relnamespace = current_schema()::text::regnamespace"                       \
	" AND p.proname LIKE '%\\_rowid\\_fn' LOOP"                                           \
	" EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT s75_rowid_next(%L, %L)',"  \
	" r.t, r.attname, r.t, r.attname); END LOOP;"                                         \
	" FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p"                            \
	" WHERE p.pronamespace = current_schema()::text::regnamespace"                       \
	" AND p.proname LIKE '%\\_rowid\\_fn' LOOP"                                           \
	" EXECUTE format('DROP FUNCTION %s CASCADE', r.f); END LOOP; END$s75$;"               \
	" ALTER TABLE txn DROP CONSTRAINT IF EXISTS txn_pkey;"                                \
	" CREATE INDEX IF NOT EXISTS txn_id_range ON txn USING brin (id) */"

#endif
