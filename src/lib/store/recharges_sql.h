/* The recharge statements' tables (recharges_db.c). An issue is one period's run; each of
 * its statements (numbered from 1 across all issues) is what one partner owes another; its
 * lines are the packages' months. All three are written once, when issued, and never
 * changed: a later change is an adjustment on a later statement. */
#ifndef S75_RECHARGES_SQL_H
#define S75_RECHARGES_SQL_H

#define S75_MIGRATION_RECHARGES                                                            \
	"CREATE TABLE recharge_issue("                                                      \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  fy INTEGER NOT NULL, period INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),"    \
	"  first_fy INTEGER NOT NULL, first_period INTEGER NOT NULL,"                        \
	"  issued_at TEXT NOT NULL, issued_by TEXT,"                                         \
	"  agreement_title TEXT NOT NULL, agreement_path TEXT NOT NULL,"                     \
	"  agreement_sha256 TEXT NOT NULL,"                                                  \
	"  UNIQUE (fy, period));"                                                            \
	"CREATE TABLE recharge_statement("                                                  \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  issue_id INTEGER NOT NULL REFERENCES recharge_issue(id),"                         \
	"  number INTEGER NOT NULL UNIQUE,"                                                  \
	"  creditor TEXT NOT NULL, debtor TEXT NOT NULL,"                                    \
	"  creditor_name TEXT NOT NULL, debtor_name TEXT NOT NULL,"                          \
	"  charges INTEGER NOT NULL, adjustments INTEGER NOT NULL, total INTEGER NOT NULL);" \
	"CREATE TABLE recharge_line("                                                       \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  statement_id INTEGER NOT NULL REFERENCES recharge_statement(id),"                 \
	"  seq INTEGER NOT NULL,"                                                            \
	"  package TEXT NOT NULL, person TEXT NOT NULL, pool TEXT NOT NULL,"                 \
	"  element TEXT NOT NULL,"                                                           \
	"  fy INTEGER NOT NULL, period INTEGER NOT NULL, kind INTEGER NOT NULL,"             \
	"  funding TEXT, health_bp INTEGER NOT NULL, days INTEGER NOT NULL,"                 \
	"  net INTEGER NOT NULL, due INTEGER NOT NULL, charged INTEGER NOT NULL,"            \
	"  amount INTEGER NOT NULL, reason TEXT);"                                           \
	"CREATE INDEX recharge_line_statement ON recharge_line(statement_id, seq);"          \
	"CREATE TRIGGER recharge_issue_kept BEFORE DELETE ON recharge_issue"                 \
	"  BEGIN SELECT RAISE(ABORT, 'an issued recharge is kept'); END;"                    \
	"CREATE TRIGGER recharge_issue_fixed BEFORE UPDATE ON recharge_issue"                \
	"  BEGIN SELECT RAISE(ABORT, 'an issued recharge is kept'); END;"                    \
	"CREATE TRIGGER recharge_statement_kept BEFORE DELETE ON recharge_statement"         \
	"  BEGIN SELECT RAISE(ABORT, 'an issued recharge is kept'); END;"                    \
	"CREATE TRIGGER recharge_statement_fixed BEFORE UPDATE ON recharge_statement"        \
	"  BEGIN SELECT RAISE(ABORT, 'an issued recharge is kept'); END;"                    \
	"CREATE TRIGGER recharge_line_kept BEFORE DELETE ON recharge_line"                   \
	"  BEGIN SELECT RAISE(ABORT, 'an issued recharge is kept'); END;"                    \
	"CREATE TRIGGER recharge_line_fixed BEFORE UPDATE ON recharge_line"                  \
	"  BEGIN SELECT RAISE(ABORT, 'an issued recharge is kept'); END;"

#endif
