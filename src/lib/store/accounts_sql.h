/* Private to the store: the SQL of schema 4, the web dashboard's accounts (users.c).
 * A session is kept as the sha256 of its id, never the id; a login failure from an address
 * is a row of login_failure (the per-account count is on the account). The audit log gains
 * who and from where. */
#ifndef S75_ACCOUNTS_SQL_H
#define S75_ACCOUNTS_SQL_H

#define S75_MIGRATION_ACCOUNTS                                                              \
	"CREATE TABLE account("                                                             \
	"  id INTEGER PRIMARY KEY,"                                                          \
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"                                       \
	"  role TEXT NOT NULL CHECK (role IN ('pool-manager', 'partner', 'board', 'auditor')),"\
	"  partner TEXT, pool TEXT,"                                                         \
	"  password_hash TEXT,"                                                              \
	"  created_at TEXT NOT NULL,"                                                        \
	"  disabled_at TEXT,"                                                                \
	"  failures INTEGER NOT NULL DEFAULT 0,"                                             \
	"  locked_until INTEGER NOT NULL DEFAULT 0);"                                        \
	"CREATE TABLE session("                                                             \
	"  id_hash TEXT PRIMARY KEY,"                                                        \
	"  account_id INTEGER NOT NULL REFERENCES account(id),"                              \
	"  csrf TEXT NOT NULL,"                                                              \
	"  address TEXT,"                                                                    \
	"  created INTEGER NOT NULL,"                                                        \
	"  last_seen INTEGER NOT NULL) WITHOUT ROWID;"                                       \
	"CREATE INDEX session_account ON session(account_id);"                               \
	"CREATE TABLE login_failure(address TEXT NOT NULL, at INTEGER NOT NULL);"          \
	"CREATE INDEX login_failure_address ON login_failure(address, at);"                  \
	"ALTER TABLE audit ADD COLUMN actor TEXT;"                                           \
	"ALTER TABLE audit ADD COLUMN address TEXT;"

#endif
