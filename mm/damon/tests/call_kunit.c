// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of damon_call(): requests run in the kdamond, promptly even
 * when it sleeps long sampling intervals, and are canceled when it ends.
 */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#include "kunit_util.h"

static int damon_test_call_where(struct damon_ctx *ctx, void *arg)
{
	*(bool *)arg = current == ctx->kdamond;
	return 42;
}

static void damon_test_call_runs(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_attrs attrs = ctx->attrs;
	bool in_kdamond = false;
	u64 start;

	KUNIT_EXPECT_EQ(test, damon_call(ctx, damon_test_call_where,
					 &in_kdamond), -ESRCH);
	/* A kdamond sleeping for an hour per sample still answers at once. */
	attrs.sample_interval = 3600UL * USEC_PER_SEC;
	attrs.aggr_interval = attrs.sample_interval;
	attrs.ops_update_interval = attrs.sample_interval;
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	msleep(20);
	start = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, damon_call(ctx, damon_test_call_where,
					 &in_kdamond), 42);
	KUNIT_EXPECT_LT(test, ktime_get_ns() - start, 5ULL * NSEC_PER_SEC);
	KUNIT_EXPECT_TRUE(test, in_kdamond);
	KUNIT_EXPECT_EQ(test, damon_call(ctx, damon_test_call_where,
					 &in_kdamond), 42);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_call(ctx, damon_test_call_where,
					 &in_kdamond), -ESRCH);
}

/* A kdamond held in a callback until the test lets it stop. */
struct damon_test_held {
	struct completion in_callback;
	struct completion go;
	struct damon_ctx *ctx;
	int ret;
	struct completion called;
};

static int damon_test_hold_then_stop(struct damon_ctx *ctx)
{
	struct damon_test_held *held = ctx->callback.private;

	complete(&held->in_callback);
	wait_for_completion(&held->go);
	return 1;
}

static int damon_test_never_run(struct damon_ctx *ctx, void *arg)
{
	return 0;
}

static int damon_test_caller_fn(void *data)
{
	struct damon_test_held *held = data;

	held->ret = damon_call(held->ctx, damon_test_never_run, NULL);
	kthread_complete_and_exit(&held->called, 0);
}

static void damon_test_call_canceled(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_test_held *held;
	struct task_struct *tsk;
	unsigned long called;
	unsigned int i;

	/* Freed only once the caller is done with it. */
	held = kzalloc(sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	init_completion(&held->in_callback);
	init_completion(&held->go);
	init_completion(&held->called);
	held->ctx = ctx;
	ctx->callback.private = held;
	ctx->callback.after_sampling = damon_test_hold_then_stop;
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	wait_for_completion(&held->in_callback);

	/* Queue a request while the kdamond is busy, then let it end. */
	tsk = kthread_run(damon_test_caller_fn, held, "damon_test_call");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
	for (i = 0; i < 250 && !damon_calls_pending(ctx); i++)
		msleep(20);
	KUNIT_EXPECT_TRUE(test, damon_calls_pending(ctx));
	complete(&held->go);
	/* A caller still waiting keeps @held: leak it. */
	called = wait_for_completion_timeout(&held->called, 10 * HZ);
	KUNIT_ASSERT_TRUE(test, called);
	KUNIT_EXPECT_EQ(test, held->ret, -ECANCELED);
	KUNIT_EXPECT_FALSE(test, damon_calls_pending(ctx));
	kfree(held);
}

static int damon_test_call_suite_init(struct kunit_suite *suite)
{
	/* damon_start() of a non-exclusive group needs no exclusive one. */
	if (damon_nr_running_ctxs())
		return -EBUSY;
	return 0;
}

static struct kunit_case damon_call_cases[] = {
	KUNIT_CASE(damon_test_call_runs),
	KUNIT_CASE(damon_test_call_canceled),
	{}
};

static struct kunit_suite damon_call_suite = {
	.name = "damon_call",
	.suite_init = damon_test_call_suite_init,
	.test_cases = damon_call_cases,
};

kunit_test_suite(damon_call_suite);
