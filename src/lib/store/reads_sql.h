/* Indexes that let the statutory reports read every table in the order they need, so no
 * statement builds a temporary B-tree to sort (tests/unit/test_report_plans.c checks it). */
#ifndef S75_READS_SQL_H
#define S75_READS_SQL_H

/* the notices served, by date (notices.c), and a batch's control totals in the order they
 * were first met (db.c, s75_batches_list) */
#define S75_MIGRATION_READ_INDEXES                                                          \
	"CREATE INDEX notice_date ON notice(date, id);"                                      \
	"CREATE INDEX batch_total_seq ON batch_total(batch_id, seq);"

#endif
