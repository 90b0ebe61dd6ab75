#include "config.h"

#include <stddef.h>

#include "common/err.h"

static const struct {
	int code;
	const char *text;
} pc_errtab[] = {
	{ PC_OK, "success" },
	{ PC_ERR_NOMEM, "out of memory" },
	{ PC_ERR_INVAL, "invalid argument" },
	{ PC_ERR_RANGE, "value out of range" },
	{ PC_ERR_SYSTEM, "system error" },
	{ PC_ERR_NOTFOUND, "not found" },
	{ PC_ERR_DENIED, "denied" },
	{ PC_ERR_IO, "input/output error" },
	{ PC_ERR_TOOLONG, "input too long" },
	{ PC_ERR_LIMIT, "limit reached" },
	{ PC_ERR_AGAIN, "try again" },
	{ PC_ERR_CONFIG, "configuration error" },
	{ PC_ERR_PROTO, "protocol error" },
};

const char *
pc_strerror(int code)
{
	size_t i;

	for (i = 0; i < sizeof(pc_errtab) / sizeof(pc_errtab[0]); i++) {
		if (pc_errtab[i].code == code)
			return pc_errtab[i].text;
	}
	return "unknown error";
}
