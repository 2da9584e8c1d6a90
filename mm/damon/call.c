// SPDX-License-Identifier: GPL-2.0
/*
 * Running a function in the kdamond of a context, for code outside of it.
 *
 * While a context runs, only its kdamond may change it (see struct
 * damon_ctx): the monitoring loop reads the targets, regions and attributes
 * without any lock.  Interfaces and kernel users that want to change a
 * running context, or read a consistent view of it, queue a request with
 * damon_call().  The kdamond runs the queued requests between two sampling
 * intervals, where nothing of the context is in use, and the caller sleeps
 * until its request has run.  A kdamond that exits cancels what is still
 * queued, so no caller waits for a thread that is gone.
 */

#include <linux/completion.h>
#include <linux/sched.h>

#include "core_internal.h"

/**
 * struct damon_call_request - A function queued for a kdamond.
 * @fn:		The function.
 * @arg:	Its second argument.
 * @ret:	What @fn returned.
 * @canceled:	Whether the kdamond exited without running @fn.
 * @done:	Completed once @fn ran or was canceled.
 * @list:	Link in &damon_ctx->calls.
 *
 * Lives on the stack of damon_call(); the kdamond must not touch it after
 * completing @done.
 */
struct damon_call_request {
	int (*fn)(struct damon_ctx *ctx, void *arg);
	void *arg;
	int ret;
	bool canceled;
	struct completion done;
	struct list_head list;
};

/**
 * damon_call() - Run a function in the kdamond of a context and wait.
 * @ctx:	The context.
 * @fn:		The function; it gets @ctx and @arg.
 * @arg:	The second argument of @fn.
 *
 * @fn runs in the kdamond of @ctx between two sampling intervals, so it
 * may change anything of @ctx that the kdamond alone may change while
 * running: attributes, targets and regions (see damon_commit_ctx()).  It
 * should be short, since monitoring waits for it, and it must not wait for
 * anything that waits for the caller, which sleeps until @fn returns.  A
 * kdamond cuts its current sampling interval short to run a request, so
 * the wait does not depend on the sampling interval.  Called from the
 * kdamond of @ctx itself (in a callback), it runs @fn at once.
 *
 * Context: process context; may sleep.
 * Return: what @fn returned; -ESRCH if no kdamond of @ctx runs; or
 * -ECANCELED if the kdamond ended, by itself or through damon_stop(),
 * before it ran @fn.  @fn should not return these two codes itself, so
 * that callers can tell.
 */
int damon_call(struct damon_ctx *ctx,
	       int (*fn)(struct damon_ctx *ctx, void *arg), void *arg)
{
	struct damon_call_request req = { .fn = fn, .arg = arg };

	init_completion(&req.done);
	mutex_lock(&ctx->kdamond_lock);
	if (!ctx->kdamond) {
		mutex_unlock(&ctx->kdamond_lock);
		return -ESRCH;
	}
	if (ctx->kdamond == current) {
		mutex_unlock(&ctx->kdamond_lock);
		return fn(ctx, arg);
	}
	/*
	 * The kdamond clears ctx->kdamond under kdamond_lock before it
	 * cancels the queue (damon_calls_cancel()), so a request queued here
	 * is either run or canceled.
	 */
	spin_lock(&ctx->calls_lock);
	list_add_tail(&req.list, &ctx->calls);
	spin_unlock(&ctx->calls_lock);
	wake_up_process(ctx->kdamond);
	mutex_unlock(&ctx->kdamond_lock);

	wait_for_completion(&req.done);
	return req.canceled ? -ECANCELED : req.ret;
}
EXPORT_SYMBOL_GPL(damon_call);

/**
 * damon_calls_pending() - Whether requests wait for a kdamond.
 * @ctx:	The context of the kdamond.
 *
 * A hint for the sleeping kdamond; a request queued right after this
 * returned false wakes the kdamond up again.
 *
 * Return: true if damon_calls_run() has work to do.
 */
bool damon_calls_pending(struct damon_ctx *ctx)
{
	return !list_empty_careful(&ctx->calls);
}

/* Take all queued requests of @ctx into @list. */
static void damon_calls_take(struct damon_ctx *ctx, struct list_head *list)
{
	spin_lock(&ctx->calls_lock);
	list_splice_init(&ctx->calls, list);
	spin_unlock(&ctx->calls_lock);
}

/**
 * damon_calls_run() - Run the requests queued for a kdamond.
 * @ctx:	The context; called by its kdamond only.
 *
 * Runs each request queued by damon_call() and wakes up its caller.
 */
void damon_calls_run(struct damon_ctx *ctx)
{
	struct damon_call_request *req, *next;
	LIST_HEAD(list);

	if (!damon_calls_pending(ctx))
		return;
	damon_calls_take(ctx, &list);
	list_for_each_entry_safe(req, next, &list, list) {
		list_del(&req->list);
		req->ret = req->fn(ctx, req->arg);
		complete(&req->done);
	}
}

/**
 * damon_calls_cancel() - Cancel the requests of a kdamond that exits.
 * @ctx:	The context, whose &damon_ctx->kdamond is already NULL.
 *
 * Called by the exiting kdamond; no request can be queued any more.
 */
void damon_calls_cancel(struct damon_ctx *ctx)
{
	struct damon_call_request *req, *next;
	LIST_HEAD(list);

	damon_calls_take(ctx, &list);
	list_for_each_entry_safe(req, next, &list, list) {
		list_del(&req->list);
		req->canceled = true;
		complete(&req->done);
	}
}
