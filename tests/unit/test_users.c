/* The dashboard's accounts, sessions and login throttle (src/lib/store/users.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "s75/s75.h"

static s75_db *open_temp(char *path)
{
	s75_db *db;
	strcpy(path, "/tmp/s75-users-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	return db;
}

static void close_temp(s75_db *db, const char *path)
{
	char p[64];
	s75_db_close(db);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static void test_password_rules(void **st)
{
	(void)st;
	assert_int_equal(s75_password_check("short"), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "at least 12"));
	assert_int_equal(s75_password_check("Password1234"), S75_EINVALID); /* listed, any case */
	assert_non_null(strstr(s75_error_last(), "common"));
	assert_int_equal(s75_password_check("aaaaaaaaaaaaaaaa"), S75_EINVALID);
	assert_int_equal(s75_password_check("correct horse battery"), 0);
	assert_true(s75_secret_equal("abc", "abc"));
	assert_false(s75_secret_equal("abc", "abd"));
	assert_false(s75_secret_equal("abc", "abcd"));
	s75_role r;
	assert_int_equal(s75_role_parse(&r, "board"), 0);
	assert_int_equal(r, S75_ROLE_BOARD);
	assert_int_equal(s75_role_parse(&r, "admin"), S75_EINVALID);
}

static void test_accounts_and_sessions(void **st)
{
	(void)st;
	char path[64], sid[65], csrf[65], csrf2[65];
	s75_db *db = open_temp(path);
	s75_login_policy p = S75_LOGIN_POLICY_INIT;
	s75_user u;
	int fails;
	p.idle_timeout = 100;
	p.absolute_timeout = 1000;
	const char *now = "2026-01-01T00:00:00Z";

	assert_int_equal(s75_user_add(db, "not-an-address", S75_ROLE_BOARD, NULL, NULL, now),
			 S75_EINVALID);
	assert_int_equal(s75_user_add(db, "fin@la.example", S75_ROLE_PARTNER, NULL, NULL, now),
			 S75_EINVALID); /* a partner role needs its partner */
	assert_int_equal(s75_user_add(db, "fin@la.example", S75_ROLE_PARTNER, "la", NULL, now), 0);
	assert_int_equal(s75_user_add(db, "FIN@la.example", S75_ROLE_BOARD, NULL, NULL, now),
			 S75_EEXISTS); /* addresses compare without case */
	/* no password yet: no login */
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "fin@la.example", "whatever it is",
					"10.0.0.1", &p, 1000, now),
			 S75_EINVALID);
	assert_int_equal(s75_user_set_password(db, "fin@la.example", "short", now), S75_EINVALID);
	assert_int_equal(s75_user_set_password(db, "nobody@x.example", "correct horse battery", now),
			 S75_ENOTFOUND);
	assert_int_equal(s75_user_set_password(db, "fin@la.example", "correct horse battery", now), 0);

	/* a good login: a 64-hex-digit session id and CSRF token, the account's scope */
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "fin@la.example",
					"correct horse battery", "10.0.0.1", &p, 1000, now),
			 0);
	assert_int_equal(strlen(sid), 64);
	assert_int_equal(strspn(sid, "0123456789abcdef"), 64);
	assert_string_equal(u.partner, "la");
	assert_int_equal(u.role, S75_ROLE_PARTNER);
	s75_user_release(&u);
	/* only the hash of the id is stored */
	{
		s75_user v;
		assert_int_equal(s75_session_find(&v, csrf2, db, sid, &p, 1050), 0);
		assert_string_equal(csrf2, csrf);
		assert_string_equal(v.email, "fin@la.example");
		s75_user_release(&v);
		/* used at 1050: idle until 1149, so alive at 1140, not at 1250 */
		assert_int_equal(s75_session_find(&v, csrf2, db, sid, &p, 1140), 0);
		s75_user_release(&v);
		assert_int_equal(s75_session_find(&v, csrf2, db, sid, &p, 1250), S75_ENOTFOUND);
		/* a made-up id */
		char other[65];
		memset(other, 'a', 64);
		other[64] = '\0';
		assert_int_equal(s75_session_find(&v, csrf2, db, other, &p, 1000), S75_ENOTFOUND);
		assert_int_equal(s75_session_find(&v, csrf2, db, "short", &p, 1000), S75_ENOTFOUND);
	}

	/* the absolute time-out ends a session in use */
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "fin@la.example",
					"correct horse battery", "10.0.0.1", &p, 2000, now), 0);
	s75_user_release(&u);
	for (int64_t t = 2050; t < 3000; t += 50) {
		s75_user v;
		int rc = s75_session_find(&v, csrf2, db, sid, &p, t);
		s75_user_release(&v);
		assert_int_equal(rc, t - 2000 < 1000 ? 0 : S75_ENOTFOUND);
	}
	/* logout ends it on the server */
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "fin@la.example",
					"correct horse battery", "10.0.0.1", &p, 3000, now), 0);
	s75_user_release(&u);
	assert_int_equal(s75_session_end(db, sid, now), 0);
	assert_int_equal(s75_session_find(&u, csrf2, db, sid, &p, 3001), S75_ENOTFOUND);

	/* five wrong passwords lock the account, even against the right one, for the window */
	for (int i = 1; i <= 5; i++) {
		assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "fin@la.example",
						"wrong password!", "10.0.0.2", &p, 4000 + i, now),
				 S75_EINVALID);
		assert_int_equal(fails, i);
	}
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "fin@la.example",
					"correct horse battery", "10.0.0.3", &p, 4010, now),
			 S75_ERROR);
	assert_non_null(strstr(s75_error_last(), "too many failed logins"));
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "fin@la.example",
					"correct horse battery", "10.0.0.3", &p, 4010 + p.window, now),
			 0);
	s75_user_release(&u);

	/* a disabled account cannot log in and its sessions end */
	assert_int_equal(s75_user_disable(db, "fin@la.example", now), 0);
	assert_int_equal(s75_session_find(&u, csrf2, db, sid, &p, 4010 + p.window), S75_ENOTFOUND);
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "fin@la.example",
					"correct horse battery", "10.0.0.3", &p, 6000, now),
			 S75_EINVALID);
	assert_int_equal(s75_user_disable(db, "nobody@x.example", now), S75_ENOTFOUND);

	/* twenty failures from one address lock the address, whatever the account */
	assert_int_equal(s75_user_add(db, "pm@x.example", S75_ROLE_POOL_MANAGER, NULL, NULL, now), 0);
	assert_int_equal(s75_user_set_password(db, "pm@x.example", "another good one", now), 0);
	for (int i = 0; i < 20; i++)
		s75_user_login(&u, sid, csrf, &fails, db, "nobody@x.example", "guess guess guess",
			       "10.9.9.9", &p, 7000 + i, now);
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "pm@x.example",
					"another good one", "10.9.9.9", &p, 7030, now),
			 S75_ERROR);
	assert_int_equal(s75_user_login(&u, sid, csrf, &fails, db, "pm@x.example",
					"another good one", "10.9.9.8", &p, 7030, now), 0);
	s75_user_release(&u);

	/* every login and failure, and every account change, is in the audit log */
	s75_audit_entry *e;
	size_t n, logins = 0, failed = 0, changes = 0;
	assert_int_equal(s75_audit_list(&e, &n, db), 0);
	for (size_t i = 0; i < n; i++) {
		logins += !strcmp(e[i].action, "login");
		failed += !strcmp(e[i].action, "login-failed");
		changes += !strncmp(e[i].action, "user-", 5);
	}
	s75_audit_free(e, n);
	assert_int_equal(logins, 5);
	/* 1 (no password) + 5 wrong + 1 locked + 1 disabled + 20 + 1 address locked */
	assert_int_equal(failed, 29);
	/* add x2, password x2, disable */
	assert_int_equal(changes, 5);
	close_temp(db, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_rules),
		cmocka_unit_test(test_accounts_and_sessions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
