/* The web dashboard's accounts, sessions and login throttle (users.h). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_internal.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "s75/users.h"
#include "sha256.h"
#include "xalloc.h"

/* argon2id at OWASP's minimum (19 MiB, 2 passes): a login costs tens of milliseconds and a
 * server with a few logins at once stays well inside its memory. */
#define PWHASH_OPS 2ULL
#define PWHASH_MEM (19ULL << 20)

static const char *const role_names[] = {"pool-manager", "partner", "board", "auditor"};

/* A short list of the passwords most often found in breaches, of S75_PASSWORD_MIN or more
 * characters (shorter ones are refused by length). Compared without regard to case. */
static const char *const common_passwords[] = {
	"123456789012", "1234567890123", "12345678901234", "qwertyuiopas", "qwertyuiop123",
	"password1234", "password12345", "passwordpassword", "iloveyou1234", "abcdefghijkl",
	"abc123456789", "111111111111", "000000000000", "123123123123", "letmein12345",
	"welcome12345", "administrator", "football1234", "monkey123456", "qwerty123456",
	"changeme1234", "passw0rd1234", "trustno11234", "superman1234", "baseball1234",
	"sunshine1234", "princess1234", "1q2w3e4r5t6y", "zaq12wsxcde3", "qazwsxedcrfv",
};

const char *s75_role_name(s75_role r)
{
	return (unsigned)r < 4 ? role_names[r] : "?";
}

int s75_role_parse(s75_role *out, const char *name)
{
	for (int i = 0; i < 4; i++)
		if (name && !strcmp(name, role_names[i])) {
			*out = (s75_role)i;
			return 0;
		}
	return s75_error_set(S75_EINVALID,
			     "'%s' is not a role (pool-manager, partner, board, auditor)",
			     name ? name : "");
}

void s75_user_release(s75_user *u)
{
	if (!u)
		return;
	free(u->email);
	free(u->partner);
	free(u->pool);
	free(u->created_at);
	free(u->disabled_at);
	memset(u, 0, sizeof(*u));
}

void s75_users_free(s75_user *u, size_t n)
{
	for (size_t i = 0; u && i < n; i++)
		s75_user_release(&u[i]);
	free(u);
}

int s75_password_check(const char *password)
{
	size_t len = strlen(password);
	if (len < S75_PASSWORD_MIN)
		return s75_error_set(S75_EINVALID,
				     "the password is too short: it needs at least %d characters",
				     S75_PASSWORD_MIN);
	if (len > 1024)
		return s75_error_set(S75_EINVALID, "the password is longer than 1024 characters");
	for (size_t i = 0; i < sizeof(common_passwords) / sizeof(common_passwords[0]); i++)
		if (!strcasecmp(password, common_passwords[i]))
			return s75_error_set(S75_EINVALID,
					     "that password is one of the most common: choose another");
	/* one character repeated is as weak as a listed one */
	size_t same = 0;
	while (same < len && password[same] == password[0])
		same++;
	if (same == len)
		return s75_error_set(S75_EINVALID, "the password is one character repeated");
	return 0;
}

bool s75_secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

#define USER_COLS "id, email, role, partner, pool, created_at, disabled_at,"                  \
		  " CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END"

static void user_from_row(s75_user *u, sql_stmt *st, int c)
{
	u->id = sql_column_int64(st, c);
	u->email = sql_column_dup(st, c + 1);
	const char *role = sql_column_text(st, c + 2);
	u->role = S75_ROLE_AUDITOR;
	for (int i = 0; i < 4; i++)
		if (role && !strcmp(role, role_names[i]))
			u->role = (s75_role)i;
	u->partner = sql_column_dup(st, c + 3);
	u->pool = sql_column_dup(st, c + 4);
	u->created_at = sql_column_dup(st, c + 5);
	u->disabled_at = sql_column_dup(st, c + 6);
	u->has_password = sql_column_int(st, c + 7) != 0;
}

static int audit_user(s75_db *db, const char *now, const char *action, const char *fmt, ...)
	S75_PRINTF(4, 5);
static int audit_user(s75_db *db, const char *now, const char *action, const char *fmt, ...)
{
	s75_buf b = S75_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	s75_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	int rc = db_audit(db, now, action, 0, b.ptr);
	s75_buf_release(&b);
	return rc;
}

static bool email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	size_t len = strlen(e);
	if (!at || at == e || !at[1] || strchr(at + 1, '@') || len > 254)
		return false;
	for (const char *p = e; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || strchr("<>\"'(),;:\\[]", *p))
			return false;
	return true;
}

int s75_user_add(s75_db *db, const char *email, s75_role role, const char *partner,
		 const char *pool, const char *now)
{
	sql_stmt *st = NULL;
	int rc;
	if (!email_ok(email))
		return s75_error_set(S75_EINVALID, "'%s' is not an e-mail address", email);
	if (role == S75_ROLE_PARTNER && !partner)
		return s75_error_set(S75_EINVALID, "a partner's account needs --partner");
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = db_prepare(db, &st,
			     "INSERT INTO account(email, role, partner, pool, created_at)"
			     " VALUES (?, ?, ?, ?, ?)")))
		goto done;
	sql_bind_text(st, 1, email, -1);
	sql_bind_text(st, 2, s75_role_name(role), -1);
	sql_bind_text(st, 3, partner, -1);
	sql_bind_text(st, 4, pool, -1);
	sql_bind_text(st, 5, now, -1);
	int step = sql_step(st);
	if (step == SQL_CONSTRAINT) {
		rc = s75_error_set(S75_EEXISTS, "'%s' has an account already", email);
		goto done;
	}
	if (step != SQL_DONE) {
		rc = db_error(db, "cannot add the account");
		goto done;
	}
	rc = audit_user(db, now, "user-add", "%s role %s%s%s%s%s", email, s75_role_name(role),
			partner ? " partner " : "", partner ? partner : "", pool ? " pool " : "",
			pool ? pool : "");
done:
	sql_finalize(st);
	db_exec(db, rc ? "ROLLBACK" : "COMMIT");
	return rc;
}

int s75_user_list(s75_user **out, size_t *n, s75_db *db)
{
	sql_stmt *st;
	s75_user *u = NULL;
	size_t nu = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st, "SELECT " USER_COLS " FROM account ORDER BY id")))
		return rc;
	while (sql_step(st) == SQL_ROW) {
		ALLOC_GROW(u, nu + 1, alloc);
		memset(&u[nu], 0, sizeof(u[nu]));
		user_from_row(&u[nu++], st, 0);
	}
	sql_finalize(st);
	*out = u;
	*n = nu;
	return 0;
}

/* Runs one UPDATE/DELETE bound to `email` (and `text`); S75_ENOTFOUND when no account. */
static int account_change(s75_db *db, const char *sql, const char *email, const char *text,
			  bool must_change)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st, sql)))
		return rc;
	sql_bind_text(st, 1, email, -1);
	if (text)
		sql_bind_text(st, 2, text, -1);
	if (sql_step(st) != SQL_DONE)
		rc = db_error(db, "cannot change the account");
	else if (must_change && sql_changes(st) == 0)
		rc = s75_error_set(S75_ENOTFOUND, "no account '%s'", email);
	sql_finalize(st);
	return rc;
}

#define END_SESSIONS \
	"DELETE FROM session WHERE account_id = (SELECT id FROM account WHERE email = ?)"

int s75_user_disable(s75_db *db, const char *email, const char *now)
{
	int rc;
	if ((rc = db_begin_write(db)))
		return rc;
	/* disabling twice keeps the first day: no error, no change */
	if (!(rc = account_change(db, "UPDATE account SET disabled_at = coalesce(disabled_at, ?2)"
				      " WHERE email = ?1", email, now, true)))
		rc = account_change(db, END_SESSIONS, email, NULL, false);
	if (!rc)
		rc = audit_user(db, now, "user-disable", "%s", email);
	db_exec(db, rc ? "ROLLBACK" : "COMMIT");
	return rc;
}

int s75_user_set_password(s75_db *db, const char *email, const char *password, const char *now)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc;
	if ((rc = s75_password_check(password)))
		return rc;
	if (sodium_init() < 0)
		return s75_error_set(S75_ERROR, "cannot start libsodium");
	if (crypto_pwhash_str(hash, password, strlen(password), PWHASH_OPS, PWHASH_MEM))
		return s75_error_set(S75_ERROR, "out of memory hashing the password");
	if ((rc = db_begin_write(db)))
		return rc;
	rc = account_change(db, "UPDATE account SET password_hash = ?2, failures = 0,"
				" locked_until = 0 WHERE email = ?1", email, hash, true);
	if (!rc)
		rc = account_change(db, END_SESSIONS, email, NULL, false);
	if (!rc)
		rc = audit_user(db, now, "user-password", "%s", email);
	db_exec(db, rc ? "ROLLBACK" : "COMMIT");
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

static void random_hex(char out[S75_SESSION_ID_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, S75_SESSION_ID_LEN + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

static void sid_hash(char out[65], const char *sid)
{
	unsigned char d[32];
	s75_sha256_bytes(d, sid, strlen(sid));
	sodium_bin2hex(out, 65, d, sizeof(d));
}

static int count_address_failures(s75_db *db, const char *address, int64_t since, int *n)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st, "SELECT count(*) FROM login_failure WHERE address = ?"
				      " AND at > ?")))
		return rc;
	sql_bind_text(st, 1, address, -1);
	sql_bind_int64(st, 2, since);
	*n = sql_step(st) == SQL_ROW ? sql_column_int(st, 0) : 0;
	sql_finalize(st);
	return 0;
}

/* Records a failure against the address and (when known) the account, locking it when the
 * policy says; audits it. Returns the failures counted. */
static int login_failed(s75_db *db, int64_t account, int failures, const char *email,
			const char *address, const char *why, const s75_login_policy *p,
			int64_t now, const char *now_iso)
{
	sql_stmt *st;
	if (!db_prepare(db, &st, "INSERT INTO login_failure(address, at) VALUES (?, ?)")) {
		sql_bind_text(st, 1, address, -1);
		sql_bind_int64(st, 2, now);
		sql_step(st);
		sql_finalize(st);
	}
	if (account) {
		failures++;
		if (!db_prepare(db, &st, "UPDATE account SET failures = ?, locked_until = ?"
					 " WHERE id = ?")) {
			sql_bind_int(st, 1, failures);
			sql_bind_int64(st, 2, failures >= p->account_failures ? now + p->window : 0);
			sql_bind_int64(st, 3, account);
			sql_step(st);
			sql_finalize(st);
		}
	}
	/* old rows are of no use to the throttle */
	if (!db_prepare(db, &st, "DELETE FROM login_failure WHERE at <= ?")) {
		sql_bind_int64(st, 1, now - p->window);
		sql_step(st);
		sql_finalize(st);
	}
	int by_address = 0;
	count_address_failures(db, address, now - p->window, &by_address);
	audit_user(db, now_iso, "login-failed", "%s: %s", email, why);
	return failures > by_address ? failures : by_address;
}

int s75_user_login(s75_user *u, char sid[S75_SESSION_ID_LEN + 1],
		   char csrf[S75_SESSION_ID_LEN + 1], int *failures, s75_db *db,
		   const char *email, const char *password, const char *address,
		   const s75_login_policy *p, int64_t now, const char *now_iso)
{
	sql_stmt *st = NULL;
	char *hash = NULL;
	int64_t locked_until = 0;
	int nfail = 0, by_address = 0, rc;
	bool found = false, disabled = false;
	memset(u, 0, sizeof(*u));
	sid[0] = csrf[0] = '\0';
	if (failures)
		*failures = 0;
	if (sodium_init() < 0)
		return s75_error_set(S75_ERROR, "cannot start libsodium");
	/* the actor of what follows is whoever tries to log in */
	s75_db_set_actor(db, email, address);
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = db_prepare(db, &st, "SELECT " USER_COLS ", password_hash, failures, locked_until"
				      " FROM account WHERE email = ?")))
		goto done;
	sql_bind_text(st, 1, email, -1);
	if (sql_step(st) == SQL_ROW) {
		found = true;
		user_from_row(u, st, 0);
		hash = sql_column_dup(st, 8);
		nfail = sql_column_int(st, 9);
		locked_until = sql_column_int64(st, 10);
		disabled = u->disabled_at != NULL;
	}
	sql_finalize(st);
	st = NULL;
	count_address_failures(db, address, now - p->window, &by_address);
	if (by_address >= p->address_failures || (found && locked_until > now)) {
		int n = login_failed(db, 0, 0, email, address,
				     by_address >= p->address_failures ? "address locked"
								       : "account locked",
				     p, now, now_iso);
		if (failures)
			*failures = n > nfail ? n : nfail;
		rc = s75_error_set(S75_ERROR, "too many failed logins: try again in %d minutes",
				   (p->window + 59) / 60);
		goto done;
	}
	bool ok;
	if (found && hash && !disabled) {
		ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	} else {
		/* the same work as a real check, so the time does not tell an account exists */
		char dummy[crypto_pwhash_STRBYTES];
		ok = false;
		if (crypto_pwhash_str(dummy, password, strlen(password), PWHASH_OPS, PWHASH_MEM))
			ok = false; /* out of memory: still a failure */
	}
	if (!ok) {
		int n = login_failed(db, found ? u->id : 0, nfail, email, address,
				     !found ? "no such account" : disabled ? "account disabled"
						: !hash ? "no password set" : "wrong password",
				     p, now, now_iso);
		if (failures)
			*failures = n;
		rc = s75_error_set(S75_EINVALID, "wrong e-mail address or password");
		goto done;
	}
	random_hex(sid);
	random_hex(csrf);
	char h[65];
	sid_hash(h, sid);
	if ((rc = db_prepare(db, &st, "INSERT INTO session(id_hash, account_id, csrf, address,"
				      " created, last_seen) VALUES (?, ?, ?, ?, ?, ?)")))
		goto done;
	sql_bind_text(st, 1, h, -1);
	sql_bind_int64(st, 2, u->id);
	sql_bind_text(st, 3, csrf, -1);
	sql_bind_text(st, 4, address, -1);
	sql_bind_int64(st, 5, now);
	sql_bind_int64(st, 6, now);
	if (sql_step(st) != SQL_DONE) {
		rc = db_error(db, "cannot start the session");
		goto done;
	}
	sql_finalize(st);
	st = NULL;
	if ((rc = account_change(db, "UPDATE account SET failures = 0, locked_until = 0"
				     " WHERE email = ?", email, NULL, false)))
		goto done;
	/* sessions past their absolute time-out are of no use */
	if (!db_prepare(db, &st, "DELETE FROM session WHERE created <= ?")) {
		sql_bind_int64(st, 1, now - p->absolute_timeout);
		sql_step(st);
	}
	rc = audit_user(db, now_iso, "login", "%s role %s", u->email, s75_role_name(u->role));
done:
	sql_finalize(st);
	if (hash) {
		sodium_memzero(hash, strlen(hash));
		free(hash);
	}
	/* a failure is recorded, so it commits too; only a database error rolls back */
	db_exec(db, rc == S75_EIO ? "ROLLBACK" : "COMMIT");
	if (rc) {
		s75_user_release(u);
		sodium_memzero(sid, S75_SESSION_ID_LEN + 1);
		sid[0] = csrf[0] = '\0';
	}
	return rc;
}

int s75_session_find(s75_user *u, char csrf[S75_SESSION_ID_LEN + 1], s75_db *db,
		     const char *sid, const s75_login_policy *p, int64_t now)
{
	sql_stmt *st;
	char h[65];
	int rc;
	memset(u, 0, sizeof(*u));
	csrf[0] = '\0';
	if (strlen(sid) != S75_SESSION_ID_LEN)
		return s75_error_set(S75_ENOTFOUND, "no session");
	sid_hash(h, sid);
	/* on every request of the server: kept prepared */
	if ((rc = db_prepare_kept(db, &st, "SELECT " USER_COLS ", s.csrf, s.created, s.last_seen"
					   " FROM session s JOIN account a ON a.id = s.account_id"
					   " WHERE s.id_hash = ?")))
		return rc;
	sql_bind_text(st, 1, h, -1);
	rc = s75_error_set(S75_ENOTFOUND, "no session");
	int64_t last_seen = 0;
	if (sql_step(st) == SQL_ROW) {
		int64_t created = sql_column_int64(st, 9);
		last_seen = sql_column_int64(st, 10);
		if (now - last_seen < p->idle_timeout && now - created < p->absolute_timeout &&
		    sql_column_is_null(st, 6)) {
			user_from_row(u, st, 0);
			snprintf(csrf, S75_SESSION_ID_LEN + 1, "%s", sql_column_text(st, 8));
			rc = 0;
		}
	}
	db_done(db, st);
	/* refresh the last use now and then, not on every request (a write each time) */
	if (!rc && now - last_seen >= (p->idle_timeout < 60 ? 0 : 15) &&
	    !db_prepare(db, &st, "UPDATE session SET last_seen = ? WHERE id_hash = ?")) {
		sql_bind_int64(st, 1, now);
		sql_bind_text(st, 2, h, -1);
		/* best effort: while an import holds the write lock, a page does not wait for it
		 * (the session is refreshed on a later request) */
		db_set_wait(db, 0);
		sql_step(st);
		db_set_wait(db, DB_BUSY_WAIT_MS);
		sql_finalize(st);
	}
	if (rc == S75_ENOTFOUND)
		s75_error_set(S75_ENOTFOUND, "no session");
	return rc;
}

int s75_session_end(s75_db *db, const char *sid, const char *now_iso)
{
	sql_stmt *st;
	char h[65];
	int rc;
	if (strlen(sid) != S75_SESSION_ID_LEN)
		return 0;
	sid_hash(h, sid);
	if ((rc = db_prepare(db, &st, "DELETE FROM session WHERE id_hash = ?")))
		return rc;
	sql_bind_text(st, 1, h, -1);
	sql_step(st);
	int64_t n = sql_changes(st);
	sql_finalize(st);
	return n ? audit_user(db, now_iso, "logout", "%s", db->actor ? db->actor : "") : 0;
}
