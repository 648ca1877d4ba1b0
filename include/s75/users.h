/* s75 — the accounts of the web dashboard (s75 serve), their sessions and the login
 * throttle. Passwords are stored as argon2id (libsodium crypto_pwhash_str); session ids are
 * 256 random bits (randombytes_buf) given to the browser and stored only as their sha256.
 * Every account change and every login, failed or not, goes to the audit log (db.h).
 *
 *     s75_user u;
 *     char sid[S75_SESSION_ID_LEN + 1], csrf[S75_SESSION_ID_LEN + 1];
 *     if (s75_user_login(&u, sid, csrf, db, email, password, "127.0.0.1", &policy, now, iso))
 *         ... s75_error_last() says why, in words fit to show ...
 *     s75_user_release(&u);
 */
#ifndef S75_USERS_H
#define S75_USERS_H

#include <stdbool.h>
#include <stdint.h>
#include "common.h"
#include "db.h"

/** What an account may see and do (docs/web.md). */
typedef enum s75_role {
	S75_ROLE_POOL_MANAGER, /**< everything */
	S75_ROLE_PARTNER,      /**< a partner's finance lead: its pools, its own uploads */
	S75_ROLE_BOARD,        /**< reads papers, KPIs and governance of its pools */
	S75_ROLE_AUDITOR       /**< reads everything, changes nothing */
} s75_role;

/** "pool-manager", "partner", "board", "auditor". */
S75_EXTERN(const char *) s75_role_name(s75_role r);
/** @return 0, or S75_EINVALID (message set) for an unknown name */
S75_EXTERN(int) s75_role_parse(s75_role *out, const char *name);

typedef struct s75_user {
	int64_t id;
	char *email;
	s75_role role;
	char *partner;    /**< partner id, or NULL */
	char *pool;       /**< pool id the account is limited to, or NULL */
	char *created_at;
	char *disabled_at; /**< NULL while active */
	bool has_password;
} s75_user;

/** Frees the strings of `u` (NULL fields are fine). */
S75_EXTERN(void) s75_user_release(s75_user *u);

/** Minimum length of a password. */
#define S75_PASSWORD_MIN 12

/** Checks a new password: at least S75_PASSWORD_MIN characters and not a common one.
 * @return 0, or S75_EINVALID with the reason */
S75_EXTERN(int) s75_password_check(const char *password);

/**
 * Adds an account (no password yet: it cannot log in until s75_user_set_password()).
 * The caller checks `partner` and `pool` against the agreement.
 * @return 0; S75_EINVALID (a bad e-mail address, a partner role without a partner);
 *         S75_EEXISTS (the address has an account)
 */
S75_EXTERN(int) s75_user_add(s75_db *db, const char *email, s75_role role, const char *partner,
                             const char *pool, const char *now);
/** Every account, oldest first; free with s75_users_free(). */
S75_EXTERN(int) s75_user_list(s75_user **out, size_t *n, s75_db *db);
S75_EXTERN(void) s75_users_free(s75_user *u, size_t n);
/** Disables an account and ends its sessions. @return 0 or S75_ENOTFOUND */
S75_EXTERN(int) s75_user_disable(s75_db *db, const char *email, const char *now);
/** Sets a password (checked by s75_password_check), ends the account's sessions and clears
 * its lock. @return 0, S75_EINVALID or S75_ENOTFOUND */
S75_EXTERN(int) s75_user_set_password(s75_db *db, const char *email, const char *password,
                                      const char *now);

/** The login throttle and the session time-outs, in seconds. */
typedef struct s75_login_policy {
	int account_failures; /**< consecutive failures that lock an account */
	int address_failures; /**< failures from one address within `window` that lock it */
	int window;           /**< the address window, and how long a lock lasts */
	int idle_timeout;     /**< a session unused this long ends */
	int absolute_timeout; /**< a session this old ends */
} s75_login_policy;

#define S75_LOGIN_POLICY_INIT {5, 20, 900, 1800, 43200}

/** The length of a session id and of a CSRF token: 64 hex digits (256 bits). */
#define S75_SESSION_ID_LEN 64

/**
 * Logs in: checks the account is active and not locked, the address not locked, and the
 * password; on success starts a session. Audits "login" or "login-failed" (who, from where).
 * @param[out] u     the account (release it) on success
 * @param[out] sid   the new session id, for the cookie (only its hash is stored)
 * @param[out] csrf  the session's CSRF token
 * @param[out] failures  the failures so far of this account or address (0 on success), for
 *                       the caller to slow the next answer; may be NULL
 * @return 0; S75_EINVALID (wrong e-mail or password: one message for both); S75_ERROR
 *         (locked: try later); S75_EIO
 */
S75_EXTERN(int) s75_user_login(s75_user *u, char sid[S75_SESSION_ID_LEN + 1],
                               char csrf[S75_SESSION_ID_LEN + 1], int *failures, s75_db *db,
                               const char *email, const char *password, const char *address,
                               const s75_login_policy *policy, int64_t now, const char *now_iso);

/**
 * The account of session `sid`, if the session is live (within both time-outs and the
 * account active); refreshes its last use.
 * @param[out] u     the account (release it)
 * @param[out] csrf  the session's CSRF token
 * @return 0, or S75_ENOTFOUND (no such session, expired, or disabled account)
 */
S75_EXTERN(int) s75_session_find(s75_user *u, char csrf[S75_SESSION_ID_LEN + 1], s75_db *db,
                                 const char *sid, const s75_login_policy *policy, int64_t now);
/** Ends session `sid` (logout) and audits it. @return 0 (also when there was none) */
S75_EXTERN(int) s75_session_end(s75_db *db, const char *sid, const char *now_iso);

/** Compares two NUL-terminated secrets in time independent of where they differ. */
S75_EXTERN(bool) s75_secret_equal(const char *a, const char *b);

#endif
