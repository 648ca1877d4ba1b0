/* The budget revisions' tables (budget_revisions.c): a revision of a year's cost-centre
 * budgets, with its decision, and each cost centre's new annual budget in it. Both are kept
 * as recorded (no UPDATE, no DELETE): a revision is corrected by a later one. */
#ifndef S75_BUDGET_REVISIONS_SQL_H
#define S75_BUDGET_REVISIONS_SQL_H

#define S75_MIGRATION_BUDGET_REVISIONS                                                     \
	"CREATE TABLE budget_revision("                                                     \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  fy INTEGER NOT NULL,"                                                             \
	"  from_period INTEGER NOT NULL CHECK (from_period BETWEEN 1 AND 12),"               \
	"  decision TEXT NOT NULL,"                                                          \
	"  decided_on INTEGER NOT NULL,"                                                     \
	"  note TEXT,"                                                                       \
	"  file TEXT NOT NULL,"                                                              \
	"  recorded_at TEXT NOT NULL,"                                                       \
	"  recorded_by TEXT);"                                                               \
	"CREATE UNIQUE INDEX budget_revision_decision ON budget_revision(fy, decision);"    \
	"CREATE INDEX budget_revision_fy ON budget_revision(fy, id);"                        \
	"CREATE TABLE budget_revision_line("                                                \
	"  revision_id INTEGER NOT NULL REFERENCES budget_revision(id),"                     \
	"  cost_centre TEXT NOT NULL,"                                                       \
	"  amount INTEGER NOT NULL,"                                                         \
	"  note TEXT,"                                                                       \
	"  PRIMARY KEY (revision_id, cost_centre));"                                         \
	"CREATE TRIGGER budget_revision_no_update BEFORE UPDATE ON budget_revision"          \
	"  BEGIN SELECT RAISE(ABORT, 'budget revisions are kept: record a later one'); END;" \
	"CREATE TRIGGER budget_revision_no_delete BEFORE DELETE ON budget_revision"          \
	"  BEGIN SELECT RAISE(ABORT, 'budget revisions are kept: record a later one'); END;" \
	"CREATE TRIGGER budget_revision_line_no_update BEFORE UPDATE ON budget_revision_line" \
	"  BEGIN SELECT RAISE(ABORT, 'budget revisions are kept: record a later one'); END;" \
	"CREATE TRIGGER budget_revision_line_no_delete BEFORE DELETE ON budget_revision_line" \
	"  BEGIN SELECT RAISE(ABORT, 'budget revisions are kept: record a later one'); END;"

#endif
