/* Private to the notice modules (store/notices.c, compute/notice.c). */
#ifndef S75_NOTICE_INTERNAL_H
#define S75_NOTICE_INTERNAL_H

#include "s75/notice.h"

/* The arrangement `scope` names: -1 for the agreement; -2 (error set) if it is bad. */
int notice_scope_ref(const s75_agreement *ag, const char *scope);
/* The end an arrangement has without notice: its own, else the agreement's. */
bool notice_scheduled_end(const s75_agreement *ag, int a, s75_date *end);
/* Ends per arrangement (and the agreement's in *agreement_end), with the notice that sets
 * each (index into `v`, -1 for none). */
void notice_ends_from(const s75_agreement *ag, const s75_notice *v, size_t nv, s75_date as_of,
                      s75_date *ends, int *by_notice, s75_date *agreement_end,
                      int *agreement_notice);

#endif
