// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON debugfs interface: the text users write, turned into values, and the
 * values turned back into the text they read.
 *
 * These functions neither lock nor touch any context, so that the KUnit
 * suite can check every rule of the input language in isolation.  Common
 * rules: words are separated by any whitespace, newlines included; the
 * input ends at the first NUL byte (some programs write whole fixed-size
 * buffers); numbers are decimal, or hexadecimal with a 0x prefix where an
 * address or size is expected.  A parser either accepts the whole input or
 * returns -EINVAL without giving anything back.
 */

#include <linux/ctype.h>
#include <linux/kstrtox.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "core_internal.h"
#include "dbgfs-parse.h"

/*
 * Cut the next word out of *@pos: terminate it in place and move *@pos
 * past it.  Return NULL when only whitespace is left.
 */
static char *dbgfs_next_word(char **pos)
{
	char *word = skip_spaces(*pos);
	char *end = word;

	*pos = word;
	if (!*word)
		return NULL;
	while (*end && !isspace(*end))
		end++;
	if (*end)
		*end++ = '\0';
	*pos = end;
	return word;
}

static unsigned int dbgfs_count_words(const char *s)
{
	unsigned int nr = 0;

	for (;;) {
		s = skip_spaces(s);
		if (!*s)
			return nr;
		nr++;
		while (*s && !isspace(*s))
			s++;
	}
}

static bool dbgfs_only_spaces(const char *s)
{
	return !*skip_spaces(s);
}

/* A decimal number, or a hexadecimal one with a 0x prefix. */
static int dbgfs_parse_ulong(const char *word, unsigned long *val)
{
	if (!word)
		return -EINVAL;
	if (word[0] == '0' && (word[1] == 'x' || word[1] == 'X'))
		return kstrtoul(word, 16, val);
	return kstrtoul(word, 10, val);
}

/* Like dbgfs_parse_ulong(), but negative decimal numbers are fine too. */
static int dbgfs_parse_long(const char *word, long *val)
{
	unsigned long uval;
	int err;

	if (word[0] == '-')
		return kstrtol(word, 10, val);
	err = dbgfs_parse_ulong(word, &uval);
	if (err)
		return err;
	if (uval > LONG_MAX)
		return -ERANGE;
	*val = uval;
	return 0;
}

/**
 * damon_dbgfs_parse_attrs() - Parse what is written to ``attrs``.
 * @buf:	"<sample us> <aggr us> <update us> <min regions> <max regions>".
 * @attrs:	Where to store the result.
 *
 * Exactly five numbers, which damon_set_attrs() must accept.
 *
 * Return: 0, or -EINVAL leaving @attrs untouched.
 */
int damon_dbgfs_parse_attrs(char *buf, struct damon_attrs *attrs)
{
	unsigned long v[5];
	struct damon_attrs new;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		if (dbgfs_parse_ulong(dbgfs_next_word(&buf), &v[i]))
			return -EINVAL;
	}
	if (!dbgfs_only_spaces(buf))
		return -EINVAL;
	new.sample_interval = v[0];
	new.aggr_interval = v[1];
	new.ops_update_interval = v[2];
	new.min_nr_regions = v[3];
	new.max_nr_regions = v[4];
	if (damon_attrs_validate(&new))
		return -EINVAL;
	*attrs = new;
	return 0;
}

static int dbgfs_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* Whether @nr numbers hold one twice; sorts a copy, the list stays as is. */
static int dbgfs_has_duplicates(const int *nums, unsigned int nr, bool *dup)
{
	unsigned int i;
	int *sorted;

	*dup = false;
	if (nr < 2)
		return 0;
	sorted = kmemdup_array(nums, nr, sizeof(*nums), GFP_KERNEL);
	if (!sorted)
		return -ENOMEM;
	sort(sorted, nr, sizeof(*sorted), dbgfs_cmp_int, NULL);
	for (i = 1; i < nr && !*dup; i++)
		*dup = sorted[i] == sorted[i - 1];
	kfree(sorted);
	return 0;
}

/**
 * damon_dbgfs_parse_targets() - Parse what is written to ``target_ids``.
 * @buf:	Process ids, or the keyword ``paddr``.
 * @paddr:	Set to whether the physical address space was chosen.
 * @pids:	Set to a kmalloc()ed array of the process ids (NULL if none);
 *		the caller frees it.
 * @nr:		Set to the number of process ids.
 *
 * The list of process ids ends at the first word that is not a decimal
 * number, as it always did on this file: "1 2 abc 4" means "1 2" and
 * "abc" means no target at all.  ``paddr`` must be the only word.  A lone
 * -1, which is how the physical address space reads back, means ``paddr``
 * too.  Other numbers must be positive, and none may appear twice.
 *
 * Return: 0, -EINVAL, or -ENOMEM; on error nothing is returned.
 */
int damon_dbgfs_parse_targets(char *buf, bool *paddr, int **pids,
			      unsigned int *nr)
{
	unsigned int max = dbgfs_count_words(buf), n = 0, i;
	char *word = dbgfs_next_word(&buf);
	int *out = NULL;
	bool dup;
	int err;

	if (word && !strcmp(word, "paddr")) {
		if (!dbgfs_only_spaces(buf))
			return -EINVAL;
		goto phys;
	}
	if (max) {
		out = kmalloc_array(max, sizeof(*out), GFP_KERNEL);
		if (!out)
			return -ENOMEM;
	}
	for (; word; word = dbgfs_next_word(&buf)) {
		err = kstrtoint(word, 10, &out[n]);
		if (err == -EINVAL)
			break;	/* not a number: the list ends here */
		if (err)
			goto fail;
		n++;
	}
	if (n == 1 && out[0] == DAMON_DBGFS_PADDR_ID) {
		kfree(out);
		goto phys;
	}
	err = -EINVAL;
	for (i = 0; i < n; i++) {
		if (out[i] <= 0)
			goto fail;
	}
	err = dbgfs_has_duplicates(out, n, &dup);
	if (err)
		goto fail;
	if (dup) {
		err = -EINVAL;
		goto fail;
	}
	if (!n) {
		kfree(out);
		out = NULL;
	}
	*paddr = false;
	*pids = out;
	*nr = n;
	return 0;
fail:
	kfree(out);
	return err == -ENOMEM ? err : -EINVAL;
phys:
	*paddr = true;
	*pids = NULL;
	*nr = 0;
	return 0;
}

/*
 * The index of the target an ``init_regions`` line names, or -1.  A target
 * id (a pid, or -1 for the physical address space) is looked up first; a
 * number that is no target's id is taken as an index, as mainline does.
 */
static long dbgfs_target_of(long key, const long *ids, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (ids[i] == key)
			return i;
	}
	if (key >= 0 && key < nr)
		return key;
	return -1;
}

/*
 * DAMON widens regions to DAMON_MIN_REGION boundaries, and the last,
 * partial unit below ULONG_MAX cannot hold one: no range may start there.
 */
#define DBGFS_TOP_REGION_START	ALIGN_DOWN(ULONG_MAX, DAMON_MIN_REGION)

static int dbgfs_cmp_region(const void *a, const void *b)
{
	const struct damon_dbgfs_region *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	if (x->ar.start != y->ar.start)
		return x->ar.start < y->ar.start ? -1 : 1;
	return 0;
}

/**
 * damon_dbgfs_parse_init_regions() - Parse what is written to
 *				      ``init_regions``.
 * @buf:	Triples "<target> <start> <end>".
 * @ids:	The ids of the context's targets, in order.
 * @nr_targets:	How many ids @ids holds.
 * @regions:	Set to a kvmalloc()ed array of the regions, grouped by target
 *		in target order (NULL if there is none); the caller frees it.
 * @nr:		Set to how many regions @regions holds.
 *
 * <target> is a target's id or, if no target has that id, its index.  Each
 * range must be non-empty, and the ranges of one target must come in
 * address order without overlapping (touching is fine), and must not start
 * in the last, partial DAMON_MIN_REGION below ULONG_MAX.  Triples of
 * different targets may be interleaved.  An empty input gives no region.
 *
 * Return: 0, -EINVAL, or -ENOMEM; on error nothing is returned.
 */
int damon_dbgfs_parse_init_regions(char *buf, const long *ids,
				   unsigned int nr_targets,
				   struct damon_dbgfs_region **regions,
				   unsigned int *nr)
{
	unsigned int nr_words = dbgfs_count_words(buf), n = 0;
	struct damon_dbgfs_region *out;
	unsigned long *last_end;
	char *word;
	int err = -EINVAL;

	if (nr_words % 3)
		return -EINVAL;
	if (!nr_words) {
		*regions = NULL;
		*nr = 0;
		return 0;
	}
	if (!nr_targets)
		return -EINVAL;
	out = kvmalloc_array(nr_words / 3, sizeof(*out), GFP_KERNEL);
	/* The end of each target's latest range; 0 until it has one. */
	last_end = kvcalloc(nr_targets, sizeof(*last_end), GFP_KERNEL);
	if (!out || !last_end) {
		err = -ENOMEM;
		goto fail;
	}
	while ((word = dbgfs_next_word(&buf))) {
		struct damon_dbgfs_region *r = &out[n];
		long key, idx;

		if (dbgfs_parse_long(word, &key) ||
		    dbgfs_parse_ulong(dbgfs_next_word(&buf), &r->ar.start) ||
		    dbgfs_parse_ulong(dbgfs_next_word(&buf), &r->ar.end))
			goto fail;
		idx = dbgfs_target_of(key, ids, nr_targets);
		if (idx < 0 || r->ar.start >= r->ar.end ||
		    r->ar.start < last_end[idx] ||
		    r->ar.start >= DBGFS_TOP_REGION_START)
			goto fail;
		last_end[idx] = r->ar.end;
		r->target = idx;
		n++;
	}
	kvfree(last_end);
	/* Ranges of a target are already in order: this only groups them. */
	sort(out, n, sizeof(*out), dbgfs_cmp_region, NULL);
	*regions = out;
	*nr = n;
	return 0;
fail:
	kvfree(last_end);
	kvfree(out);
	return err;
}

/**
 * damon_dbgfs_parse_on_off() - Parse what is written to ``monitor_on``.
 * @buf:	``on`` or ``off``.
 * @on:		Set to true for ``on``.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int damon_dbgfs_parse_on_off(char *buf, bool *on)
{
	char *word = dbgfs_next_word(&buf);

	if (!word || !dbgfs_only_spaces(buf))
		return -EINVAL;
	if (!strcmp(word, "on"))
		*on = true;
	else if (!strcmp(word, "off"))
		*on = false;
	else
		return -EINVAL;
	return 0;
}

/**
 * damon_dbgfs_parse_record() - Parse what is written to ``record``.
 * @buf:	"<buffer bytes> <path>", or "0" or nothing to stop recording.
 * @size:	Set to the buffer size, 0 when recording is turned off.
 * @path:	Set to the path, which points into @buf, or NULL.
 *
 * The path is everything after the size and the whitespace that follows
 * it, minus trailing whitespace, so it may hold spaces.  It must be
 * absolute (the file is opened when monitoring starts, possibly by
 * another process with another working directory) and shorter than
 * PATH_MAX.  With a size of 0 the path does not matter.  Sizes above
 * DAMON_DBGFS_RECORD_BUF_MAX are refused.
 *
 * Return: 0, or -EINVAL leaving @size and @path untouched.
 */
int damon_dbgfs_parse_record(char *buf, unsigned long *size,
			     const char **path)
{
	char *word = dbgfs_next_word(&buf);
	unsigned long sz;
	char *p, *end;

	if (!word) {
		*size = 0;
		*path = NULL;
		return 0;
	}
	if (dbgfs_parse_ulong(word, &sz))
		return -EINVAL;
	if (!sz) {
		*size = 0;
		*path = NULL;
		return 0;
	}
	if (sz > DAMON_DBGFS_RECORD_BUF_MAX)
		return -EINVAL;
	p = skip_spaces(buf);
	end = p + strlen(p);
	while (end > p && isspace(end[-1]))
		end--;
	*end = '\0';
	if (p[0] != '/' || end - p >= PATH_MAX)
		return -EINVAL;
	*size = sz;
	*path = p;
	return 0;
}

/**
 * damon_dbgfs_parse_ctx_name() - Parse what is written to ``mk_contexts``
 *				  and ``rm_contexts``.
 * @buf:	One name.
 * @name:	Set to the name, which points into @buf.
 *
 * A name is a single word of printable ASCII characters other than '/',
 * not "." or "..", and at most NAME_MAX long, so that it can name a
 * directory.
 *
 * Return: 0, or -EINVAL.
 */
int damon_dbgfs_parse_ctx_name(char *buf, const char **name)
{
	char *word = dbgfs_next_word(&buf);
	const char *c;

	if (!word || !dbgfs_only_spaces(buf))
		return -EINVAL;
	if (strlen(word) > NAME_MAX || !strcmp(word, ".") ||
	    !strcmp(word, ".."))
		return -EINVAL;
	for (c = word; *c; c++) {
		if (*c <= ' ' || *c >= 0x7f || *c == '/')
			return -EINVAL;
	}
	*name = word;
	return 0;
}

/**
 * damon_dbgfs_format_attrs() - The text ``attrs`` reads.
 * @buf:	Where to write.
 * @size:	Size of @buf.
 * @attrs:	The attributes.
 *
 * Return: the number of bytes written, without a terminating NUL.
 */
size_t damon_dbgfs_format_attrs(char *buf, size_t size,
				const struct damon_attrs *attrs)
{
	return scnprintf(buf, size, "%lu %lu %lu %lu %lu\n",
			 attrs->sample_interval, attrs->aggr_interval,
			 attrs->ops_update_interval, attrs->min_nr_regions,
			 attrs->max_nr_regions);
}

/* The longest long printed in decimal, plus a separator. */
#define DBGFS_LONG_TEXT	21

/**
 * damon_dbgfs_targets_text_size() - Room for damon_dbgfs_format_targets().
 * @nr:	The number of targets.
 *
 * Return: a buffer size that always fits the text of @nr targets.
 */
size_t damon_dbgfs_targets_text_size(unsigned int nr)
{
	return (size_t)nr * DBGFS_LONG_TEXT + 2;
}

/**
 * damon_dbgfs_format_targets() - The text ``target_ids`` reads.
 * @buf:	Where to write.
 * @size:	Size of @buf.
 * @ids:	The target ids; -1 for the physical address space.
 * @nr:		How many ids @ids holds.
 *
 * The ids separated by spaces, then a newline.
 *
 * Return: the number of bytes written, without a terminating NUL.
 */
size_t damon_dbgfs_format_targets(char *buf, size_t size, const long *ids,
				  unsigned int nr)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		len += scnprintf(buf + len, size - len, "%s%ld", i ? " " : "",
				 ids[i]);
	len += scnprintf(buf + len, size - len, "\n");
	return len;
}

/**
 * damon_dbgfs_regions_text_size() - Room for
 *				     damon_dbgfs_format_init_regions().
 * @nr:	The number of regions.
 *
 * Return: a buffer size that always fits the text of @nr regions.
 */
size_t damon_dbgfs_regions_text_size(unsigned int nr)
{
	return (size_t)nr * 3 * DBGFS_LONG_TEXT + 1;
}

/**
 * damon_dbgfs_format_init_regions() - The text ``init_regions`` reads.
 * @buf:	Where to write.
 * @size:	Size of @buf.
 * @ids:	The ids of the context's targets.
 * @regions:	The regions, as damon_dbgfs_parse_init_regions() made them.
 * @nr:		How many regions @regions holds.
 *
 * One "<target id> <start> <end>" line per region, grouped by target in
 * target order: the normalised form of any accepted input, which can be
 * written back as it is.
 *
 * Return: the number of bytes written, without a terminating NUL.
 */
size_t damon_dbgfs_format_init_regions(char *buf, size_t size,
				       const long *ids,
				       const struct damon_dbgfs_region *regions,
				       unsigned int nr)
{
	size_t len = 0;
	unsigned int i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < nr; i++)
		len += scnprintf(buf + len, size - len, "%ld %lu %lu\n",
				 ids[regions[i].target], regions[i].ar.start,
				 regions[i].ar.end);
	return len;
}
