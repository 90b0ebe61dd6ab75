/* One error convention for the whole project: 0 is success, a negative
 * PC_ERR_* code is failure, pc_strerror() names it. */
#ifndef PC_ERR_H
#define PC_ERR_H

enum pc_err {
	PC_OK = 0,
	PC_ERR_NOMEM = -1,	/* allocation failed */
	PC_ERR_INVAL = -2,	/* malformed input */
	PC_ERR_RANGE = -3,	/* number out of range */
	PC_ERR_SYSTEM = -4,	/* a system call failed; see errno */
	PC_ERR_NOTFOUND = -5,	/* no such user, file, key, entry */
	PC_ERR_DENIED = -6,	/* refused by a rule */
	PC_ERR_IO = -7,		/* read/write failure */
	PC_ERR_TOOLONG = -8,	/* input longer than a fixed bound */
	PC_ERR_LIMIT = -9,	/* a configured limit was reached */
	PC_ERR_AGAIN = -10,	/* try again later (non-blocking) */
	PC_ERR_CONFIG = -11,	/* configuration error (message elsewhere) */
	PC_ERR_PROTO = -12,	/* protocol violation by the peer */
};

const char *pc_strerror(int code);

#endif
