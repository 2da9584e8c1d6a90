// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON debugfs interface: the ``schemes`` file.
 *
 * One scheme a line, eighteen numbers:
 *
 *	<min sz> <max sz> <min nr_accesses> <max nr_accesses> <min age>
 *	<max age> <action> <quota ms> <quota sz> <quota reset ms>
 *	<sz weight> <nr_accesses weight> <age weight> <wmark metric>
 *	<wmark interval us> <high> <mid> <low>
 *
 * Actions are numbered as in mainline's debugfs (0 willneed, 1 cold,
 * 2 pageout, 3 hugepage, 4 nohugepage, 5 stat), and so are watermark
 * metrics (0 none, 1 free memory rate).  Writing nothing but whitespace
 * removes every scheme.  Reading gives the same numbers back, each line
 * followed by the scheme's statistics (tried regions and bytes, applied
 * regions and bytes, quota exceeds) from the context's last or current
 * run.
 *
 * The interface keeps the schemes as plain settings (struct
 * damon_dbgfs_scheme) and builds DAMON schemes from them when monitoring
 * starts, like everything else it sets.
 */

#include <linux/kstrtox.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core_internal.h"
#include "dbgfs-schemes.h"

/* The number of values on a line of the file. */
#define DBGFS_SCHEME_NR_VALUES	18

/* The DAMOS action of each action number of the file. */
static const enum damos_action dbgfs_actions[] = {
	DAMOS_WILLNEED, DAMOS_COLD, DAMOS_PAGEOUT, DAMOS_HUGEPAGE,
	DAMOS_NOHUGEPAGE, DAMOS_STAT,
};

static int dbgfs_action_number(enum damos_action action)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dbgfs_actions); i++) {
		if (dbgfs_actions[i] == action)
			return i;
	}
	return -1;
}

/* Fill a scheme of the core with what a line sets. */
static void dbgfs_scheme_to_damos(const struct damon_dbgfs_scheme *d,
				  struct damos *s)
{
	s->pattern = d->pattern;
	s->action = d->action;
	s->quota = d->quota;
	s->wmarks = d->wmarks;
}

/* Parse the numbers of one line; words must be numbers that fit. */
static int dbgfs_scheme_values(char *line, unsigned long *v)
{
	unsigned int nr = 0;
	char *word;

	while ((word = strsep(&line, " \t\r\f\v"))) {
		if (!*word)
			continue;
		if (nr == DBGFS_SCHEME_NR_VALUES)
			return -EINVAL;
		/* Decimal, or hexadecimal with 0x; never octal. */
		if (kstrtoul(word, strncasecmp(word, "0x", 2) ? 10 : 16,
			     &v[nr]))
			return -EINVAL;
		nr++;
	}
	return nr == DBGFS_SCHEME_NR_VALUES ? 0 : -EINVAL;
}

/*
 * Parse one line into @d, and check it against @ops, the operations set
 * the context will use.
 */
static int dbgfs_parse_scheme(char *line, enum damon_ops_id ops,
			      struct damon_dbgfs_scheme *d)
{
	unsigned long v[DBGFS_SCHEME_NR_VALUES];
	struct damos *s;
	int err;

	err = dbgfs_scheme_values(line, v);
	if (err)
		return err;
	if (v[6] >= ARRAY_SIZE(dbgfs_actions) ||
	    v[13] >= NR_DAMOS_WMARK_METRICS ||
	    v[10] > UINT_MAX || v[11] > UINT_MAX || v[12] > UINT_MAX)
		return -EINVAL;
	*d = (struct damon_dbgfs_scheme){
		.pattern = {
			.sz = { v[0], v[1] },
			.nr_accesses = { v[2], v[3] },
			.age = { v[4], v[5] },
		},
		.action = dbgfs_actions[v[6]],
		.quota = {
			.ms = v[7],
			.sz = v[8],
			.reset_interval = v[9],
			.weight_sz = v[10],
			.weight_nr_accesses = v[11],
			.weight_age = v[12],
		},
		.wmarks = {
			.metric = v[13],
			.interval = v[14],
			.high = v[15],
			.mid = v[16],
			.low = v[17],
		},
	};

	/* The checks of the core, with the operations set that will run. */
	s = damos_new(d->action, NULL, NULL, NULL);
	if (!s)
		return -ENOMEM;
	dbgfs_scheme_to_damos(d, s);
	err = damos_validate(s, NULL);
	if (!err && !damon_ops_supports_scheme(ops, s))
		err = -EOPNOTSUPP;
	damos_destroy(s);
	return err;
}

/**
 * damon_dbgfs_parse_schemes() - Parse what is written to ``schemes``.
 * @buf:	One scheme a line; nothing but whitespace for none.
 * @ops:	The operations set the context will run: each scheme's
 *		action must be one it can do.
 * @schemes:	Set to a kvmalloc()ed array of the schemes (NULL if none);
 *		the caller frees it.
 * @nr:		Set to the number of schemes.
 *
 * Every line must hold exactly eighteen numbers, decimal or hexadecimal
 * with a 0x prefix, with known action and metric numbers, weights whose
 * sum fits in an unsigned int, and values the core accepts (closed ranges
 * with min <= max, ordered watermarks).
 *
 * Return: 0; -EINVAL for bad input; -EOPNOTSUPP for an action @ops cannot
 * do; -ENOMEM.  On error nothing is returned.
 */
int damon_dbgfs_parse_schemes(char *buf, enum damon_ops_id ops,
			      struct damon_dbgfs_scheme **schemes,
			      unsigned int *nr)
{
	struct damon_dbgfs_scheme *out = NULL;
	unsigned int n = 0, max = 0;
	char *line, *pos;
	int err = 0;

	for (pos = buf; *pos; pos++)
		max += *pos == '\n';
	max++;
	while ((line = strsep(&buf, "\n"))) {
		if (!*skip_spaces(line))
			continue;
		if (!out) {
			out = kvmalloc_array(max, sizeof(*out), GFP_KERNEL);
			if (!out)
				return -ENOMEM;
		}
		err = dbgfs_parse_scheme(line, ops, &out[n]);
		if (err) {
			kvfree(out);
			return err;
		}
		n++;
	}
	*schemes = out;
	*nr = n;
	return 0;
}

/**
 * damon_dbgfs_schemes_text_size() - Room the text of schemes needs.
 * @nr:	The number of schemes.
 *
 * Return: the bytes damon_dbgfs_format_schemes() may use, with its NUL.
 */
size_t damon_dbgfs_schemes_text_size(unsigned int nr)
{
	/* 23 numbers of at most 20 digits and a separator each. */
	return (size_t)nr * 23 * 21 + 1;
}

/**
 * damon_dbgfs_format_schemes() - Write the text ``schemes`` reads.
 * @buf:	Where to write.
 * @size:	The room in @buf.
 * @schemes:	The schemes as the user set them.
 * @nr:		How many @schemes holds.
 * @ctx:	The context, whose schemes, when built from @schemes, give
 *		the statistics; NULL or a context without them gives zeros.
 *
 * Return: the number of bytes written, without the NUL.
 */
size_t damon_dbgfs_format_schemes(char *buf, size_t size,
				  const struct damon_dbgfs_scheme *schemes,
				  unsigned int nr, struct damon_ctx *ctx)
{
	struct damos *s = NULL;
	size_t len = 0;
	unsigned int i;

	if (ctx && damon_nr_schemes(ctx) == nr && nr)
		s = list_first_entry(&ctx->schemes, struct damos, list);
	if (size)
		buf[0] = '\0';
	for (i = 0; i < nr; i++) {
		const struct damon_dbgfs_scheme *d = &schemes[i];
		struct damos_stat st = {};

		if (s) {
			damos_get_stat(s, &st);
			s = list_next_entry(s, list);
		}
		len += scnprintf(buf + len, size - len,
				 "%lu %lu %lu %lu %lu %lu %d %lu %lu %lu %u %u %u %d %lu %lu %lu %lu %lu %lu %lu %lu %lu\n",
				 d->pattern.sz.min, d->pattern.sz.max,
				 d->pattern.nr_accesses.min,
				 d->pattern.nr_accesses.max,
				 d->pattern.age.min, d->pattern.age.max,
				 dbgfs_action_number(d->action),
				 d->quota.ms, d->quota.sz,
				 d->quota.reset_interval, d->quota.weight_sz,
				 d->quota.weight_nr_accesses,
				 d->quota.weight_age, d->wmarks.metric,
				 d->wmarks.interval, d->wmarks.high,
				 d->wmarks.mid, d->wmarks.low,
				 st.nr_tried, st.sz_tried, st.nr_applied,
				 st.sz_applied, st.qt_exceeds);
	}
	return len;
}

/**
 * damon_dbgfs_build_schemes() - Give a context the schemes of the settings.
 * @ctx:	The context, not running, with its operations set selected.
 * @schemes:	The schemes as the user set them.
 * @nr:		How many @schemes holds.
 *
 * The context's old schemes, with their statistics, are dropped.
 *
 * Return: 0, -ENOMEM, or the error of damon_add_scheme().
 */
int damon_dbgfs_build_schemes(struct damon_ctx *ctx,
			      const struct damon_dbgfs_scheme *schemes,
			      unsigned int nr)
{
	struct damos *s, *next;
	unsigned int i;
	int err;

	damon_for_each_scheme_safe(s, next, ctx)
		damos_destroy(s);
	for (i = 0; i < nr; i++) {
		s = damos_new(schemes[i].action, NULL, NULL, NULL);
		if (!s)
			return -ENOMEM;
		dbgfs_scheme_to_damos(&schemes[i], s);
		err = damon_add_scheme(ctx, s);
		if (err) {
			damos_destroy(s);
			return err;
		}
	}
	return 0;
}
