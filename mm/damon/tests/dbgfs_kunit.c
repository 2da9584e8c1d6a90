// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the DAMON debugfs interface's input language: every
 * parser, the text the files read back, and the record format.
 */

#include <linux/slab.h>
#include <linux/string.h>

#include "kunit_util.h"
#include "../dbgfs-parse.h"
#include "../dbgfs-record.h"

KUNIT_DEFINE_ACTION_WRAPPER(dbgfs_test_kfree, kfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(dbgfs_test_kvfree, kvfree, const void *);

/* A writable, test-managed copy of @s, as the parsers want. */
static char *dbgfs_test_buf(struct kunit *test, const char *s)
{
	char *buf = kunit_kstrdup(test, s, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

static int dbgfs_test_attrs(struct kunit *test, const char *s,
			    struct damon_attrs *attrs)
{
	return damon_dbgfs_parse_attrs(dbgfs_test_buf(test, s), attrs);
}

static void damon_dbgfs_test_attrs(struct kunit *test)
{
	static const char * const bad[] = {
		"", "1 2 3 4", "1 2 3 4 5 6", "1 2 3 4 5x", "1 2 3 4 5 x",
		"1 2 3 5 4",		/* min_nr_regions > max_nr_regions */
		"1 2 3 2 5",		/* fewer than 3 regions */
		"2 1 3 4 5",		/* aggregation shorter than sampling */
		"0 2 3 4 5", "1 2 0 4 5", "-1 2 3 4 5", "1.5 2 3 4 5",
		"1 2 3 4 99999999999999999999999", "1,2,3,4,5",
	};
	const char *spaced = "  5000\t100000 1000000\n10 0x3e8\n";
	struct damon_attrs attrs = { .sample_interval = 7 };
	char buf[128];
	unsigned int i;
	int err;

	KUNIT_EXPECT_EQ(test, dbgfs_test_attrs(test, "1 2 3 4 5", &attrs), 0);
	KUNIT_EXPECT_EQ(test, attrs.sample_interval, 1UL);
	KUNIT_EXPECT_EQ(test, attrs.aggr_interval, 2UL);
	KUNIT_EXPECT_EQ(test, attrs.ops_update_interval, 3UL);
	KUNIT_EXPECT_EQ(test, attrs.min_nr_regions, 4UL);
	KUNIT_EXPECT_EQ(test, attrs.max_nr_regions, 5UL);

	KUNIT_EXPECT_EQ(test, dbgfs_test_attrs(test, spaced, &attrs), 0);
	KUNIT_EXPECT_EQ(test, attrs.max_nr_regions, 1000UL);
	damon_dbgfs_format_attrs(buf, sizeof(buf), &attrs);
	KUNIT_EXPECT_STREQ(test, buf, "5000 100000 1000000 10 1000\n");

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = dbgfs_test_attrs(test, bad[i], &attrs);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "input \"%s\"", bad[i]);
		/* A refused input leaves the previous values. */
		KUNIT_EXPECT_EQ(test, attrs.sample_interval, 5000UL);
	}
}

/* Parse @s as target_ids; fail the test unless that returns @err. */
static unsigned int dbgfs_test_targets(struct kunit *test, const char *s,
				       int err, bool *paddr, int **pids)
{
	unsigned int nr = 0;
	int ret;

	*pids = NULL;
	ret = damon_dbgfs_parse_targets(dbgfs_test_buf(test, s), paddr, pids,
					&nr);
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "input \"%s\"", s);
	if (!ret && *pids)
		kunit_add_action(test, dbgfs_test_kfree, *pids);
	if (ret)
		KUNIT_EXPECT_NULL(test, *pids);
	return nr;
}

static void damon_dbgfs_test_targets(struct kunit *test)
{
	static const char * const bad[] = {
		"paddr 1", "paddr paddr", "0", "1 0", "-2", "1 -1", "1 2 1",
		"12345678901", "1 99999999999",
	};
	static const char trailing_nul[] = "42\0 43";
	unsigned int i;
	bool paddr;
	int *pids;

	KUNIT_ASSERT_EQ(test, dbgfs_test_targets(test, "1 2 3 4\n", 0, &paddr,
						 &pids), 4U);
	KUNIT_EXPECT_FALSE(test, paddr);
	KUNIT_EXPECT_EQ(test, pids[0], 1);
	KUNIT_EXPECT_EQ(test, pids[3], 4);

	/* The list ends at the first word that is not a number. */
	KUNIT_ASSERT_EQ(test, dbgfs_test_targets(test, "1 2 abc 4", 0, &paddr,
						 &pids), 2U);
	KUNIT_EXPECT_EQ(test, pids[1], 2);
	KUNIT_EXPECT_EQ(test, dbgfs_test_targets(test, "7 2abc 3", 0, &paddr,
						 &pids), 1U);
	KUNIT_EXPECT_EQ(test, dbgfs_test_targets(test, "1 paddr", 0, &paddr,
						 &pids), 1U);
	KUNIT_EXPECT_EQ(test, dbgfs_test_targets(test, "abc 2 3", 0, &paddr,
						 &pids), 0U);
	KUNIT_EXPECT_NULL(test, pids);
	KUNIT_EXPECT_EQ(test, dbgfs_test_targets(test, "", 0, &paddr, &pids),
			0U);
	KUNIT_EXPECT_FALSE(test, paddr);

	/* Input ends at a NUL byte, as when a whole buffer is written. */
	KUNIT_ASSERT_EQ(test, dbgfs_test_targets(test, trailing_nul, 0, &paddr,
						 &pids), 1U);
	KUNIT_EXPECT_EQ(test, pids[0], 42);

	KUNIT_EXPECT_EQ(test, dbgfs_test_targets(test, "paddr\n", 0, &paddr,
						 &pids), 0U);
	KUNIT_EXPECT_TRUE(test, paddr);
	KUNIT_EXPECT_NULL(test, pids);
	/* -1 is how the physical address space reads back. */
	KUNIT_EXPECT_EQ(test, dbgfs_test_targets(test, " -1 ", 0, &paddr,
						 &pids), 0U);
	KUNIT_EXPECT_TRUE(test, paddr);

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		dbgfs_test_targets(test, bad[i], -EINVAL, &paddr, &pids);
}

static void damon_dbgfs_test_format_targets(struct kunit *test)
{
	static const long ids[] = { 42, 4242, LONG_MIN, -1 };
	size_t size = damon_dbgfs_targets_text_size(ARRAY_SIZE(ids));
	char *buf = kunit_kzalloc(test, size, GFP_KERNEL);
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = damon_dbgfs_format_targets(buf, size, ids, 2);
	KUNIT_EXPECT_STREQ(test, buf, "42 4242\n");
	KUNIT_EXPECT_EQ(test, len, strlen("42 4242\n"));
	damon_dbgfs_format_targets(buf, size, ids + 3, 1);
	KUNIT_EXPECT_STREQ(test, buf, "-1\n");
	damon_dbgfs_format_targets(buf, size, ids, 0);
	KUNIT_EXPECT_STREQ(test, buf, "\n");
	/* The size bound holds for the longest ids. */
	len = damon_dbgfs_format_targets(buf, size, ids, ARRAY_SIZE(ids));
	KUNIT_EXPECT_LT(test, len, size);
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
}

/*
 * Parse @s as init_regions of targets @ids; fail the test unless that
 * returns @err.  Return the normalised text of the regions, or NULL.
 */
static char *dbgfs_test_regions(struct kunit *test, const char *s, int err,
				const long *ids, unsigned int nr_ids)
{
	struct damon_dbgfs_region *regions = NULL;
	unsigned int nr = 0;
	size_t size, len;
	char *buf;
	int ret;

	ret = damon_dbgfs_parse_init_regions(dbgfs_test_buf(test, s), ids,
					     nr_ids, &regions, &nr);
	KUNIT_EXPECT_EQ_MSG(test, ret, err, "input \"%s\"", s);
	if (ret) {
		KUNIT_EXPECT_NULL(test, regions);
		return NULL;
	}
	if (regions)
		kunit_add_action(test, dbgfs_test_kvfree, regions);
	else
		KUNIT_EXPECT_EQ(test, nr, 0U);
	size = damon_dbgfs_regions_text_size(nr);
	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = damon_dbgfs_format_init_regions(buf, size, ids, regions, nr);
	KUNIT_EXPECT_LT(test, len, size);
	return buf;
}

static void damon_dbgfs_test_init_regions(struct kunit *test)
{
	static const long ids[] = { 42, 4242 };
	static const long paddr[] = { DAMON_DBGFS_PADDR_ID };
	static const char * const bad[] = {
		"0 1",			/* not a whole triple */
		"0 1 100 0",
		"0 1 100x",		/* trailing garbage */
		"0 1 100 abc",
		"x 1 100",
		"0 100 100",		/* empty */
		"0 200 100",		/* reversed */
		"0 100 200 0 1 100",	/* out of order */
		"0 1 100 0 50 200",	/* overlapping */
		"7 1 100",		/* neither a target id nor an index */
		"-1 1 100",		/* -1 only names the physical space */
		"2 1 100",
		"0 -1 100",
		"0 1 99999999999999999999999",
		"0 18446744073709551610 18446744073709551615",	/* top page */
	};
	/* Mainline's example, by target index, written on one line. */
	const char *by_index = "0 1 100 0 100 200 1 20 40 1 50 100";
	/* The same by target id, interleaved and partly in hex. */
	const char *by_id = "4242 20 40\n42 1 0x64\n4242 50 100\n42 100 200\n";
	const char *norm = "42 1 100\n42 100 200\n4242 20 40\n4242 50 100\n";
	const char *edges = "42 0 10 42 10 20 42 4096 18446744073709551615";
	unsigned int i;
	char *text;

	KUNIT_EXPECT_STREQ(test, dbgfs_test_regions(test, by_index, 0, ids, 2),
			   norm);
	KUNIT_EXPECT_STREQ(test, dbgfs_test_regions(test, by_id, 0, ids, 2),
			   norm);
	/* What reads back can be written back. */
	KUNIT_EXPECT_STREQ(test, dbgfs_test_regions(test, norm, 0, ids, 2),
			   norm);

	text = dbgfs_test_regions(test, "-1 4096 1073741824", 0, paddr, 1);
	KUNIT_EXPECT_STREQ(test, text, "-1 4096 1073741824\n");
	text = dbgfs_test_regions(test, "0 4096 8192", 0, paddr, 1);
	KUNIT_EXPECT_STREQ(test, text, "-1 4096 8192\n");

	KUNIT_EXPECT_STREQ(test, dbgfs_test_regions(test, "\n\t", 0, ids, 2),
			   "");
	KUNIT_EXPECT_STREQ(test, dbgfs_test_regions(test, "", 0, NULL, 0), "");
	dbgfs_test_regions(test, "0 1 2", -EINVAL, NULL, 0);
	/* Ranges that touch are fine; so is a range up to the very top. */
	KUNIT_EXPECT_STREQ(test, dbgfs_test_regions(test, edges, 0, ids, 2),
			   "42 0 10\n42 10 20\n42 4096 18446744073709551615\n");

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		dbgfs_test_regions(test, bad[i], -EINVAL, ids, 2);
}

static int dbgfs_test_on_off(struct kunit *test, const char *s, bool *on)
{
	return damon_dbgfs_parse_on_off(dbgfs_test_buf(test, s), on);
}

static void damon_dbgfs_test_on_off(struct kunit *test)
{
	static const char * const bad[] = {
		"", "On", "1", "on off", "onn", "of",
	};
	unsigned int i;
	bool on = false;

	KUNIT_EXPECT_EQ(test, dbgfs_test_on_off(test, "on\n", &on), 0);
	KUNIT_EXPECT_TRUE(test, on);
	KUNIT_EXPECT_EQ(test, dbgfs_test_on_off(test, " off ", &on), 0);
	KUNIT_EXPECT_FALSE(test, on);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, dbgfs_test_on_off(test, bad[i], &on),
				    -EINVAL, "input \"%s\"", bad[i]);
}

static int dbgfs_test_record(struct kunit *test, const char *s,
			     unsigned long *size, const char **path)
{
	return damon_dbgfs_parse_record(dbgfs_test_buf(test, s), size, path);
}

static void damon_dbgfs_test_record(struct kunit *test)
{
	static const char * const bad[] = {
		"1024", "1024 ", "1024 relative/path", "1024x /tmp/a",
		"-1 /tmp/a", "67108865 /tmp/a", "abc /tmp/a",
	};
	unsigned long size = 7;
	const char *path = "unchanged";
	char *long_path;
	unsigned int i;
	int err;

	err = dbgfs_test_record(test, "1024 /tmp/damon.data\n", &size, &path);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, size, 1024UL);
	KUNIT_EXPECT_STREQ(test, path, "/tmp/damon.data");
	err = dbgfs_test_record(test, "0x10\t/a dir/with spaces\t\n", &size,
				&path);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, size, 16UL);
	KUNIT_EXPECT_STREQ(test, path, "/a dir/with spaces");
	err = dbgfs_test_record(test, "67108864 /x", &size, &path);
	KUNIT_EXPECT_EQ(test, err, 0);

	/* "0", with or without a path, and nothing at all turn it off. */
	KUNIT_EXPECT_EQ(test, dbgfs_test_record(test, "0\n", &size, &path), 0);
	KUNIT_EXPECT_EQ(test, size, 0UL);
	KUNIT_EXPECT_NULL(test, path);
	err = dbgfs_test_record(test, "0 /tmp/x", &size, &path);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, size, 0UL);
	KUNIT_EXPECT_EQ(test, dbgfs_test_record(test, "\n", &size, &path), 0);
	KUNIT_EXPECT_EQ(test, size, 0UL);

	size = 7;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = dbgfs_test_record(test, bad[i], &size, &path);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "input \"%s\"", bad[i]);
		KUNIT_EXPECT_EQ(test, size, 7UL);
	}

	/* "1 /" and PATH_MAX - 1 more characters: one too many. */
	long_path = kunit_kzalloc(test, PATH_MAX + 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, long_path);
	memset(long_path, 'a', PATH_MAX + 2);
	memcpy(long_path, "1 /", 3);
	err = damon_dbgfs_parse_record(long_path, &size, &path);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	memset(long_path, 'a', PATH_MAX + 2);
	memcpy(long_path, "1 /", 3);
	long_path[PATH_MAX + 1] = '\0';
	err = damon_dbgfs_parse_record(long_path, &size, &path);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, strlen(path), (size_t)PATH_MAX - 1);
}

static int dbgfs_test_ctx_name(struct kunit *test, const char *s,
			       const char **name)
{
	return damon_dbgfs_parse_ctx_name(dbgfs_test_buf(test, s), name);
}

static void damon_dbgfs_test_ctx_name(struct kunit *test)
{
	static const char * const bad[] = {
		"", "\n", "a/b", "/", ".", "..", "a b", "a\tb", "\x7f",
		"caf\xc3\xa9",
	};
	const char *name;
	char *long_name;
	unsigned int i;
	int err;

	KUNIT_EXPECT_EQ(test, dbgfs_test_ctx_name(test, "foo\n", &name), 0);
	KUNIT_EXPECT_STREQ(test, name, "foo");
	KUNIT_EXPECT_EQ(test, dbgfs_test_ctx_name(test, "...-_x1", &name), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err = dbgfs_test_ctx_name(test, bad[i], &name);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "input \"%s\"", bad[i]);
	}

	long_name = kunit_kzalloc(test, NAME_MAX + 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, long_name);
	memset(long_name, 'n', NAME_MAX);
	KUNIT_EXPECT_EQ(test, damon_dbgfs_parse_ctx_name(long_name, &name), 0);
	memset(long_name, 'n', NAME_MAX + 1);
	KUNIT_EXPECT_EQ(test, damon_dbgfs_parse_ctx_name(long_name, &name),
			-EINVAL);
}

/* Native-endian values of a record, read one after the other. */
static u64 dbgfs_test_take(const char *buf, size_t *pos, size_t sz)
{
	u64 v64 = 0;
	u32 v32 = 0;

	if (sz == sizeof(u32)) {
		memcpy(&v32, buf + *pos, sz);
		v64 = v32;
	} else {
		memcpy(&v64, buf + *pos, sz);
	}
	*pos += sz;
	return v64;
}

static void damon_dbgfs_test_record_snapshot(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_dbgfs_record rec = { .buf_size = 4096 };
	static const u64 want[] = {
		2,					/* nr_targets */
		42, 2,					/* id, nr_regions */
		0x1000, 0x2000, 3, 0x2000, 0x3000, 0,	/* regions */
		U64_MAX, 1,				/* id -1, 1 region */
		0x100000, 0x103000, 20,
	};
	/* The u32 fields: nr_targets, nr_regions and nr_accesses. */
	static const bool is_u32[] = {
		1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1,
	};
	struct damon_target *t1, *t2;
	size_t pos = 0, sz;
	unsigned int i;
	u64 nsec;

	t1 = damon_test_new_target(test, ctx);
	t1->id = 42;
	damon_test_add_regions(test, t1, 0x1000, 0x1000, 2);
	damon_first_region(t1)->nr_accesses = 3;
	t2 = damon_test_new_target(test, ctx);
	t2->id = DAMON_DBGFS_PADDR_ID;
	damon_test_add_regions(test, t2, 0x100000, 0x3000, 1);
	damon_first_region(t2)->nr_accesses = 20;

	rec.buf = kunit_kzalloc(test, rec.buf_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec.buf);
	damon_dbgfs_record_snapshot(&rec, ctx);
	KUNIT_EXPECT_EQ(test, rec.err, 0);
	/* time, nr_targets, two target headers and three regions */
	KUNIT_ASSERT_EQ(test, rec.len, (size_t)(16 + 4 + 2 * 12 + 3 * 20));

	dbgfs_test_take(rec.buf, &pos, sizeof(u64));	/* seconds */
	nsec = dbgfs_test_take(rec.buf, &pos, sizeof(u64));
	KUNIT_EXPECT_LT(test, nsec, (u64)NSEC_PER_SEC);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		sz = is_u32[i] ? sizeof(u32) : sizeof(u64);
		KUNIT_EXPECT_EQ_MSG(test, dbgfs_test_take(rec.buf, &pos, sz),
				    want[i], "field %u", i);
	}
	KUNIT_EXPECT_EQ(test, pos, rec.len);

	/*
	 * A buffer smaller than a snapshot writes through to the file; with
	 * no file that is an error, which stops recording but nothing else.
	 */
	rec.buf_size = 8;
	rec.len = 0;
	damon_dbgfs_record_snapshot(&rec, ctx);
	KUNIT_EXPECT_EQ(test, rec.err, -EBADF);
	KUNIT_EXPECT_LE(test, rec.len, rec.buf_size);
	damon_dbgfs_record_snapshot(&rec, ctx);
	KUNIT_EXPECT_EQ(test, rec.err, -EBADF);
}

static struct kunit_case damon_dbgfs_cases[] = {
	KUNIT_CASE(damon_dbgfs_test_attrs),
	KUNIT_CASE(damon_dbgfs_test_targets),
	KUNIT_CASE(damon_dbgfs_test_format_targets),
	KUNIT_CASE(damon_dbgfs_test_init_regions),
	KUNIT_CASE(damon_dbgfs_test_on_off),
	KUNIT_CASE(damon_dbgfs_test_record),
	KUNIT_CASE(damon_dbgfs_test_ctx_name),
	KUNIT_CASE(damon_dbgfs_test_record_snapshot),
	{}
};

static struct kunit_suite damon_dbgfs_suite = {
	.name = "damon_dbgfs",
	.test_cases = damon_dbgfs_cases,
};

kunit_test_suite(damon_dbgfs_suite);
