/* The later migrations of the care-packages tables (packages_import.c, packages.c); the
 * first is S75_MIGRATION_PACKAGES in migrations.h. */
#ifndef S75_PACKAGES_SQL_H
#define S75_PACKAGES_SQL_H

/* A package's funding category is checked by a foreign key into a lookup table instead of
 * CHECK (funding IN (...)), for which SQLite built a temporary table on every insert
 * (about a third of an import of 100,000 packages). The values are the same text, so
 * nothing that reads them changes. The undo trigger names package_terms: it is made again
 * around the rebuild of the table. */
#define S75_MIGRATION_FUNDING_TABLE                                                         \
	"CREATE TABLE funding_category(code TEXT PRIMARY KEY) WITHOUT ROWID;"                \
	"INSERT INTO funding_category VALUES ('chc'), ('joint'), ('s117'), ('social_care');" \
	"DROP TRIGGER package_undo;"                                                         \
	"CREATE TABLE package_terms_new("                                                   \
	"  batch_id INTEGER NOT NULL REFERENCES batch(id),"                                  \
	"  package TEXT NOT NULL,"                                                           \
	"  effective INTEGER NOT NULL,"                                                      \
	"  weekly INTEGER NOT NULL CHECK (weekly >= 0),"                                     \
	"  funding TEXT NOT NULL REFERENCES funding_category(code),"                         \
	"  health_bp INTEGER NOT NULL CHECK (health_bp BETWEEN 0 AND 10000),"                \
	"  client_weekly INTEGER NOT NULL CHECK (client_weekly >= 0),"                       \
	"  reason TEXT,"                                                                     \
	"  line INTEGER NOT NULL,"                                                           \
	"  PRIMARY KEY (package, effective, batch_id)) WITHOUT ROWID;"                       \
	"INSERT INTO package_terms_new SELECT batch_id, package, effective, weekly, funding," \
	"  health_bp, client_weekly, reason, line FROM package_terms;"                       \
	"DROP TABLE package_terms;"                                                          \
	"ALTER TABLE package_terms_new RENAME TO package_terms;"                             \
	"CREATE INDEX package_terms_batch ON package_terms(batch_id);"                       \
	"CREATE TRIGGER package_undo AFTER UPDATE OF undone_at ON batch"                     \
	"  WHEN NEW.kind = 'packages' AND NEW.undone_at IS NOT NULL AND OLD.undone_at IS NULL" \
	"  BEGIN DELETE FROM package_terms WHERE batch_id = NEW.id;"                         \
	"  DELETE FROM package WHERE batch_id = NEW.id; END;"

/* The batch indexes of the two register tables go (issue 15 point 3): each was a third
 * B-tree to keep up on every row of an import, for the one statement that used it, the
 * undo trigger's DELETE ... WHERE batch_id = ?, which now scans the tables (an undo is
 * rare; a scan of 100,000 packages takes milliseconds). IF EXISTS: a workspace whose
 * schema was made by hand may lack them. */
#define S75_MIGRATION_PACKAGES_NO_BATCH_INDEX                                              \
	"DROP INDEX IF EXISTS package_batch;"                                                \
	"DROP INDEX IF EXISTS package_terms_batch;"

#endif
