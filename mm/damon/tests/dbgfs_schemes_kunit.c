// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the debugfs ``schemes`` file: its language, what it reads
 * back, and the DAMON schemes built from it.
 */

#include <linux/slab.h>
#include <linux/string.h>

#include "kunit_util.h"
#include "../dbgfs-schemes.h"

#define DBGFS_TEST_LINE	"1 2 3 4 5 6 2 0 0 0 1 2 3 1 100 3 2 1"
#define DBGFS_TEST_WILLNEED	"0 1 0 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0"
#define DBGFS_TEST_STAT	"0 4096 0 0 0 0 5 0 0 0 0 0 0 0 0 0 0 0"

static int dbgfs_test_schemes(struct kunit *test, const char *s,
			      enum damon_ops_id ops,
			      struct damon_dbgfs_scheme **schemes,
			      unsigned int *nr)
{
	char *buf = kunit_kstrdup(test, s, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return damon_dbgfs_parse_schemes(buf, ops, schemes, nr);
}

static void damon_dbgfs_test_schemes_parse(struct kunit *test)
{
	static const char * const bad[] = {
		"1 2",
		"1 2\n3 4 5 6 4 0 0 0 1 2 3 1 100 3 2 1",
		"2 1 2 1 10 1 3 10 1 1 1 1 1 1 1 1 2 3",	/* min > max */
		"1 2 3 4 5 6 6 0 0 0 1 2 3 1 100 3 2 1",	/* action 6 */
		"1 2 3 4 5 6 4 0 0 0 1 2 3 2 100 3 2 1",	/* metric 2 */
		"1 2 3 4 5 6 4 0 0 0 1 2 3 1 100 2 3 1",	/* high < mid */
		"1 2 3 4 5 6 4 0 0 0 1 2 3 1 100 3 2 4",	/* mid < low */
		"1 2 3 4 5 6 4 0 0 0 4294967295 1 0 0 0 0 0 0",	/* sum */
		"1 2 3 4 5 6 4 0 0 0 4294967296 0 0 0 0 0 0 0",
		"1 2 3 4 5 6 4 0 0 0 1 2 3 1 100 3 2 1 9",
		"1 2 3 4 5 6 -4 0 0 0 1 2 3 1 100 3 2 1",
		"1 2 3 4 5 6 4 0 0 0 1 2 3 1 100 3 2 x",
	};
	struct damon_dbgfs_scheme *schemes = NULL;
	unsigned int nr = 7, i;
	int err;

	KUNIT_ASSERT_EQ(test, dbgfs_test_schemes(test, DBGFS_TEST_LINE,
						 DAMON_OPS_VADDR, &schemes,
						 &nr), 0);
	KUNIT_ASSERT_EQ(test, nr, 1U);
	KUNIT_EXPECT_EQ(test, schemes[0].pattern.sz.min, 1UL);
	KUNIT_EXPECT_EQ(test, schemes[0].pattern.age.max, 6UL);
	KUNIT_EXPECT_EQ(test, schemes[0].action, DAMOS_PAGEOUT);
	KUNIT_EXPECT_EQ(test, schemes[0].quota.weight_age, 3U);
	KUNIT_EXPECT_EQ(test, schemes[0].wmarks.metric,
			DAMOS_WMARK_FREE_MEM_RATE);
	KUNIT_EXPECT_EQ(test, schemes[0].wmarks.low, 1UL);
	kvfree(schemes);

	/* Lines, blanks around them, 0x; a leading 0 is still decimal. */
	err = dbgfs_test_schemes(test,
				 "\n 010 0x20 0 5 0 9 2 10 0 1000 0 0 1 0 0 0 0 0\t\n\n"
				 "0 4096 0 0 0 0 5 0 0 0 0 0 0 0 0 0 0 0\n",
				 DAMON_OPS_VADDR, &schemes, &nr);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_ASSERT_EQ(test, nr, 2U);
	KUNIT_EXPECT_EQ(test, schemes[0].pattern.sz.min, 10UL);
	KUNIT_EXPECT_EQ(test, schemes[0].pattern.sz.max, 32UL);
	KUNIT_EXPECT_EQ(test, schemes[0].action, DAMOS_PAGEOUT);
	KUNIT_EXPECT_EQ(test, schemes[1].action, DAMOS_STAT);
	kvfree(schemes);

	/* Nothing: no scheme. */
	KUNIT_EXPECT_EQ(test, dbgfs_test_schemes(test, "\t\n", DAMON_OPS_VADDR,
						 &schemes, &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0U);
	KUNIT_EXPECT_NULL(test, schemes);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		schemes = NULL;
		err = dbgfs_test_schemes(test, bad[i], DAMON_OPS_VADDR,
					 &schemes, &nr);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "input \"%s\"", bad[i]);
		KUNIT_EXPECT_NULL(test, schemes);
	}

	/* An action the targets' operations set cannot do. */
	err = dbgfs_test_schemes(test, "0 1 0 1 0 1 4 0 0 0 0 0 0 0 0 0 0 0",
				 DAMON_OPS_VADDR, &schemes, &nr);
	KUNIT_EXPECT_EQ(test, err, IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ?
			0 : -EOPNOTSUPP);
	if (!err)
		kvfree(schemes);
	if (damon_is_registered_ops(DAMON_OPS_PADDR))
		KUNIT_EXPECT_EQ(test,
				dbgfs_test_schemes(test, DBGFS_TEST_WILLNEED,
						   DAMON_OPS_PADDR, &schemes,
						   &nr),
				-EOPNOTSUPP);
}

static void damon_dbgfs_test_schemes_format(struct kunit *test)
{
	struct damon_dbgfs_scheme *schemes;
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	unsigned int nr;
	size_t sz;
	char *buf;
	struct damos *s;

	KUNIT_ASSERT_EQ(test,
			dbgfs_test_schemes(test,
					   DBGFS_TEST_LINE "\n" DBGFS_TEST_STAT,
					   DAMON_OPS_VADDR, &schemes, &nr),
			0);
	sz = damon_dbgfs_schemes_text_size(nr);
	buf = kunit_kzalloc(test, sz, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/* Without DAMON schemes behind them, the statistics are zeros. */
	damon_dbgfs_format_schemes(buf, sz, schemes, nr, ctx);
	KUNIT_EXPECT_STREQ(test, buf,
			   DBGFS_TEST_LINE " 0 0 0 0 0\n"
			   "0 4096 0 0 0 0 5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");

	if (damon_select_ops(ctx, DAMON_OPS_VADDR))
		kunit_skip(test, "no vaddr operations set");
	KUNIT_ASSERT_EQ(test, damon_dbgfs_build_schemes(ctx, schemes, nr), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_schemes(ctx), 2U);
	s = list_last_entry(&ctx->schemes, struct damos, list);
	KUNIT_EXPECT_EQ(test, s->action, DAMOS_STAT);
	s->stat = (struct damos_stat){
		.nr_tried = 1, .sz_tried = 2, .nr_applied = 3, .sz_applied = 4,
		.qt_exceeds = 5,
	};
	damon_dbgfs_format_schemes(buf, sz, schemes, nr, ctx);
	KUNIT_EXPECT_STREQ(test, buf,
			   DBGFS_TEST_LINE " 0 0 0 0 0\n"
			   "0 4096 0 0 0 0 5 0 0 0 0 0 0 0 0 0 0 0 1 2 3 4 5\n");
	/* Building again drops the old schemes. */
	KUNIT_ASSERT_EQ(test, damon_dbgfs_build_schemes(ctx, schemes, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_schemes(ctx), 1U);
	kvfree(schemes);
}

static struct kunit_case damon_dbgfs_schemes_cases[] = {
	KUNIT_CASE(damon_dbgfs_test_schemes_parse),
	KUNIT_CASE(damon_dbgfs_test_schemes_format),
	{}
};

static struct kunit_suite damon_dbgfs_schemes_suite = {
	.name = "damon_dbgfs_schemes",
	.test_cases = damon_dbgfs_schemes_cases,
};

kunit_test_suite(damon_dbgfs_schemes_suite);
