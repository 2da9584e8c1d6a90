// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the vaddr operations set's address space logic: which
 * ranges of a process's mappings are monitored, how new ranges are applied
 * to the regions of a running target, and how the initial ranges are
 * split.  The logic is tested on arrays of mappings, without a process.
 */

#include "kunit_util.h"

/* Mappings and expected ranges are written in units of the smallest region. */
#define R(s, e)	{ .start = (s) * MR, .end = (e) * MR }

static void damon_va_expect_ranges(struct kunit *test,
				   const struct damon_addr_range *vmas,
				   unsigned int nr_vmas,
				   const struct damon_addr_range *expected,
				   unsigned int nr_expected)
{
	struct damon_addr_range ranges[3];
	unsigned int nr, i;

	nr = damon_va_ranges_of_vmas(vmas, nr_vmas, ranges);
	KUNIT_ASSERT_EQ(test, nr, nr_expected);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ_MSG(test, ranges[i].start, expected[i].start,
				    "range %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ranges[i].end, expected[i].end,
				    "range %u", i);
	}
}

static void damon_va_test_no_vma(struct kunit *test)
{
	struct damon_addr_range ranges[3];

	KUNIT_EXPECT_EQ(test, damon_va_ranges_of_vmas(NULL, 0, ranges), 0U);
}

static void damon_va_test_single_vma(struct kunit *test)
{
	const struct damon_addr_range vmas[] = { R(10, 20) };
	const struct damon_addr_range expected[] = { R(10, 20) };

	damon_va_expect_ranges(test, vmas, 1, expected, 1);
}

static void damon_va_test_two_vmas(struct kunit *test)
{
	const struct damon_addr_range vmas[] = { R(10, 20), R(50, 60) };
	const struct damon_addr_range expected[] = { R(10, 20), R(50, 60) };

	damon_va_expect_ranges(test, vmas, 2, expected, 2);
}

/* Adjacent mappings leave no gap: one range. */
static void damon_va_test_adjacent_vmas(struct kunit *test)
{
	const struct damon_addr_range vmas[] = {
		R(10, 20), R(20, 25), R(25, 40), R(40, 41),
	};
	const struct damon_addr_range expected[] = { R(10, 41) };

	damon_va_expect_ranges(test, vmas, 4, expected, 1);
}

/*
 * A typical process: binary and heap, a big hole, libraries and mmap()ed
 * areas with small holes, another big hole, the stack.  Small holes stay
 * inside the ranges.
 */
static void damon_va_test_holes(struct kunit *test)
{
	const struct damon_addr_range vmas[] = {
		R(10, 20), R(20, 25), R(30, 40),	/* hole of 5 */
		R(200, 210), R(215, 220),		/* hole of 160 before */
		R(1000, 1010),				/* hole of 780 before */
	};
	const struct damon_addr_range expected[] = {
		R(10, 40), R(200, 220), R(1000, 1010),
	};

	damon_va_expect_ranges(test, vmas, ARRAY_SIZE(vmas), expected, 3);
}

/* The ranges come out in address order, whichever gap is larger. */
static void damon_va_test_gap_order(struct kunit *test)
{
	const struct damon_addr_range small_first[] = {
		R(0, 1), R(10, 11), R(11, 12), R(100, 101),
	};
	const struct damon_addr_range big_first[] = {
		R(0, 1), R(90, 91), R(91, 92), R(100, 101),
	};
	const struct damon_addr_range exp_small_first[] = {
		R(0, 1), R(10, 12), R(100, 101),
	};
	const struct damon_addr_range exp_big_first[] = {
		R(0, 1), R(90, 92), R(100, 101),
	};

	damon_va_expect_ranges(test, small_first, 4, exp_small_first, 3);
	damon_va_expect_ranges(test, big_first, 4, exp_big_first, 3);
}

/* With equal gaps the first two are cut, so results are reproducible. */
static void damon_va_test_gap_ties(struct kunit *test)
{
	const struct damon_addr_range vmas[] = {
		R(0, 1), R(2, 3), R(4, 5), R(6, 7),
	};
	const struct damon_addr_range expected[] = {
		R(0, 1), R(2, 3), R(4, 7),
	};

	damon_va_expect_ranges(test, vmas, 4, expected, 3);
}

/* Many mappings: only the two largest of their many gaps are cut. */
static void damon_va_test_many_vmas(struct kunit *test)
{
	struct damon_addr_range *vmas;
	const struct damon_addr_range expected[] = {
		R(0, 999), R(1100, 2999), R(3500, 4000),
	};
	unsigned long start = 0;
	unsigned int nr = 0;

	vmas = kunit_kcalloc(test, 2000, sizeof(*vmas), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vmas);
	/* One-unit mappings with one-unit holes, and two big holes. */
	while (start < 4000) {
		if (start == 1000)
			start = 1100;
		else if (start == 3000)
			start = 3500;
		vmas[nr++] = (struct damon_addr_range)R(start, start + 1);
		start += 2;
	}
	vmas[nr - 1].end = 4000 * MR;
	damon_va_expect_ranges(test, vmas, nr, expected, 3);
}

/* Empty and overlapping input is tolerated and ignored. */
static void damon_va_test_bad_vmas(struct kunit *test)
{
	const struct damon_addr_range vmas[] = {
		R(10, 10), R(10, 20), R(15, 18), R(15, 30), R(40, 50),
		R(45, 45), R(100, 110),
	};
	const struct damon_addr_range expected[] = {
		R(10, 30), R(40, 50), R(100, 110),
	};

	damon_va_expect_ranges(test, vmas, ARRAY_SIZE(vmas), expected, 3);
}

/* The layout can be built one mapping at a time, as from a VMA walk. */
static void damon_va_test_layout_incremental(struct kunit *test)
{
	struct damon_va_layout layout;
	struct damon_addr_range ranges[3];

	damon_va_layout_init(&layout);
	KUNIT_EXPECT_EQ(test, damon_va_layout_ranges(&layout, ranges), 0U);
	damon_va_layout_add(&layout, 0x1000, 0x3000);
	damon_va_layout_add(&layout, 0x7f0000000000UL, 0x7f0000100000UL);
	damon_va_layout_add(&layout, 0x7ffffff00000UL, 0x7ffffff21000UL);
	KUNIT_EXPECT_EQ(test, layout.nr_vmas, 3U);
	KUNIT_ASSERT_EQ(test, damon_va_layout_ranges(&layout, ranges), 3U);
	KUNIT_EXPECT_EQ(test, ranges[0].start, 0x1000UL);
	KUNIT_EXPECT_EQ(test, ranges[0].end, 0x3000UL);
	KUNIT_EXPECT_EQ(test, ranges[1].start, 0x7f0000000000UL);
	KUNIT_EXPECT_EQ(test, ranges[1].end, 0x7f0000100000UL);
	KUNIT_EXPECT_EQ(test, ranges[2].start, 0x7ffffff00000UL);
	KUNIT_EXPECT_EQ(test, ranges[2].end, 0x7ffffff21000UL);
}

/*
 * Applying new ranges to a target, as the vaddr update does.  @regions are
 * the existing regions, each with nr_accesses set to its index + 1; the
 * result must be @expected, with the given access counts (0 for new
 * regions).
 */
struct damon_va_apply_case {
	struct damon_addr_range regions[6];
	unsigned int nr_regions;
	struct damon_addr_range ranges[3];
	unsigned int nr_ranges;
	struct damon_addr_range expected[8];
	unsigned int nr_accesses[8];
	unsigned int nr_expected;
};

static void damon_va_check_apply(struct kunit *test,
				 const struct damon_va_apply_case *c)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_addr_range ranges[3];
	struct damon_region *r;
	unsigned int i;

	for (i = 0; i < c->nr_regions; i++) {
		r = damon_new_region(c->regions[i].start, c->regions[i].end);
		KUNIT_ASSERT_NOT_NULL(test, r);
		r->nr_accesses = i + 1;
		r->age = 10 + i;
		damon_add_region(r, t);
	}
	memcpy(ranges, c->ranges, sizeof(ranges));
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, c->nr_ranges), 0);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), c->nr_expected);
	i = 0;
	damon_for_each_region(r, t) {
		KUNIT_EXPECT_EQ_MSG(test, r->ar.start, c->expected[i].start,
				    "region %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r->ar.end, c->expected[i].end,
				    "region %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r->nr_accesses, c->nr_accesses[i],
				    "region %u", i);
		i++;
	}
}

/* Mappings grew at both ends and a hole was filled: new regions there. */
static void damon_va_test_apply_grow(struct kunit *test)
{
	const struct damon_va_apply_case c = {
		.regions = { R(10, 20), R(20, 30), R(40, 50) },
		.nr_regions = 3,
		.ranges = { R(5, 55), R(100, 110) },
		.nr_ranges = 2,
		.expected = { R(5, 10), R(10, 20), R(20, 30), R(30, 40),
			      R(40, 50), R(50, 55), R(100, 110) },
		.nr_accesses = { 0, 1, 2, 0, 3, 0, 0 },
		.nr_expected = 7,
	};

	damon_va_check_apply(test, &c);
}

/* Mappings shrank: regions are cut at the new edges, keeping their counts. */
static void damon_va_test_apply_shrink(struct kunit *test)
{
	const struct damon_va_apply_case c = {
		.regions = { R(10, 20), R(20, 30), R(30, 40), R(50, 60) },
		.nr_regions = 4,
		.ranges = { R(15, 25), R(28, 35), R(52, 54) },
		.nr_ranges = 3,
		.expected = { R(15, 20), R(20, 25), R(28, 30), R(30, 35),
			      R(52, 54) },
		.nr_accesses = { 1, 2, 2, 3, 4 },
		.nr_expected = 5,
	};

	damon_va_check_apply(test, &c);
}

/* A range moved: what still overlaps keeps its counts, the rest is new. */
static void damon_va_test_apply_move(struct kunit *test)
{
	const struct damon_va_apply_case c = {
		.regions = { R(10, 20), R(20, 30), R(100, 110) },
		.nr_regions = 3,
		.ranges = { R(25, 45), R(100, 110) },
		.nr_ranges = 2,
		.expected = { R(25, 30), R(30, 45), R(100, 110) },
		.nr_accesses = { 2, 0, 3 },
		.nr_expected = 3,
	};

	damon_va_check_apply(test, &c);
}

/* A mapping vanished: its regions go, the others are untouched. */
static void damon_va_test_apply_vanish(struct kunit *test)
{
	const struct damon_va_apply_case c = {
		.regions = { R(10, 20), R(100, 105), R(105, 110), R(200, 210) },
		.nr_regions = 4,
		.ranges = { R(10, 20), R(200, 210) },
		.nr_ranges = 2,
		.expected = { R(10, 20), R(200, 210) },
		.nr_accesses = { 1, 4 },
		.nr_expected = 2,
	};

	damon_va_check_apply(test, &c);
}

/* A region spanning a new hole is cut in two, both keeping its counts. */
static void damon_va_test_apply_new_hole(struct kunit *test)
{
	const struct damon_va_apply_case c = {
		.regions = { R(10, 50) },
		.nr_regions = 1,
		.ranges = { R(10, 20), R(30, 50) },
		.nr_ranges = 2,
		.expected = { R(10, 20), R(30, 50) },
		.nr_accesses = { 1, 1 },
		.nr_expected = 2,
	};

	damon_va_check_apply(test, &c);
}

/* Applying the same ranges again changes nothing. */
static void damon_va_test_apply_same(struct kunit *test)
{
	const struct damon_va_apply_case c = {
		.regions = { R(10, 20), R(20, 30), R(100, 110) },
		.nr_regions = 3,
		.ranges = { R(10, 30), R(100, 110) },
		.nr_ranges = 2,
		.expected = { R(10, 20), R(20, 30), R(100, 110) },
		.nr_accesses = { 1, 2, 3 },
		.nr_expected = 3,
	};

	damon_va_check_apply(test, &c);
}

/*
 * The initial regions of a vaddr target: the three ranges are split evenly
 * into about min_nr_regions pieces in all, with remainders spread, never
 * across a gap, and a range too small to split stays whole.
 */
static void damon_va_test_initial_split(struct kunit *test)
{
	const struct damon_addr_range vmas[] = {
		R(0, 10), R(10, 103),		/* 103 units */
		R(1000, 1001),			/* too small to split */
		R(5000, 5017),			/* 17 units */
	};
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_addr_range ranges[3];
	unsigned long prev_end = 0, covered = 0;
	unsigned long min_sz[3] = { ULONG_MAX, ULONG_MAX, ULONG_MAX };
	unsigned long max_sz[3] = { 0, 0, 0 };
	unsigned int nr, i, pieces[3] = { 0, 0, 0 };
	struct damon_region *r;

	nr = damon_va_ranges_of_vmas(vmas, ARRAY_SIZE(vmas), ranges);
	KUNIT_ASSERT_EQ(test, nr, 3U);
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, nr), 0);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 3U);
	damon_initial_split(ctx);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
	KUNIT_EXPECT_GE(test, damon_nr_regions(t),
			(unsigned int)ctx->attrs.min_nr_regions);

	damon_for_each_region(r, t) {
		for (i = 0; i < 3; i++) {
			if (r->ar.start >= ranges[i].start &&
			    r->ar.end <= ranges[i].end)
				break;
		}
		KUNIT_ASSERT_LT_MSG(test, i, 3U, "region %lu-%lu crosses a gap",
				    r->ar.start, r->ar.end);
		KUNIT_EXPECT_EQ(test, r->ar.start % MR, 0UL);
		pieces[i]++;
		min_sz[i] = min(min_sz[i], damon_sz_region(r));
		max_sz[i] = max(max_sz[i], damon_sz_region(r));
		if (r->ar.start != prev_end)
			KUNIT_EXPECT_TRUE(test, r->ar.start == ranges[0].start ||
					  r->ar.start == ranges[1].start ||
					  r->ar.start == ranges[2].start);
		prev_end = r->ar.end;
		covered += damon_sz_region(r);
	}
	KUNIT_EXPECT_EQ(test, covered, (103UL + 1 + 17) * MR);
	KUNIT_EXPECT_EQ(test, pieces[1], 1U);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_LE_MSG(test, max_sz[i] - min_sz[i], MR,
				    "range %u is split unevenly", i);
	KUNIT_EXPECT_GT(test, pieces[0], pieces[2]);
}

/*
 * Splitting a range evenly: the remainder goes to the first pieces, and a
 * range smaller than one unit per piece is refused and left alone.
 */
static void damon_va_test_split_evenly(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	const unsigned long sizes[] = { 3, 3, 2, 2 };
	struct damon_region *r;
	unsigned int i = 0;

	damon_test_add_regions(test, t, 100 * MR, 2 * MR, 1);
	r = damon_first_region(t);
	KUNIT_EXPECT_EQ(test, damon_split_region_evenly(t, r, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);
	KUNIT_EXPECT_EQ(test, r->ar.start, 100 * MR);
	KUNIT_EXPECT_EQ(test, r->ar.end, 102 * MR);
	damon_destroy_region(r, t);

	damon_test_add_regions(test, t, 0, 10 * MR, 1);
	r = damon_first_region(t);
	KUNIT_ASSERT_EQ(test, damon_split_region_evenly(t, r, 4), 0);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 4U);
	damon_for_each_region(r, t) {
		KUNIT_EXPECT_EQ_MSG(test, damon_sz_region(r), sizes[i] * MR,
				    "piece %u", i);
		i++;
	}
	KUNIT_EXPECT_EQ(test, damon_last_region(t)->ar.end, 10 * MR);
}

static struct kunit_case damon_va_cases[] = {
	KUNIT_CASE(damon_va_test_no_vma),
	KUNIT_CASE(damon_va_test_single_vma),
	KUNIT_CASE(damon_va_test_two_vmas),
	KUNIT_CASE(damon_va_test_adjacent_vmas),
	KUNIT_CASE(damon_va_test_holes),
	KUNIT_CASE(damon_va_test_gap_order),
	KUNIT_CASE(damon_va_test_gap_ties),
	KUNIT_CASE(damon_va_test_many_vmas),
	KUNIT_CASE(damon_va_test_bad_vmas),
	KUNIT_CASE(damon_va_test_layout_incremental),
	KUNIT_CASE(damon_va_test_apply_grow),
	KUNIT_CASE(damon_va_test_apply_shrink),
	KUNIT_CASE(damon_va_test_apply_move),
	KUNIT_CASE(damon_va_test_apply_vanish),
	KUNIT_CASE(damon_va_test_apply_new_hole),
	KUNIT_CASE(damon_va_test_apply_same),
	KUNIT_CASE(damon_va_test_initial_split),
	KUNIT_CASE(damon_va_test_split_evenly),
	{}
};

static struct kunit_suite damon_va_suite = {
	.name = "damon_vaddr",
	.test_cases = damon_va_cases,
};

kunit_test_suite(damon_va_suite);
