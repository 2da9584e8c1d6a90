// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON debugfs interface: monitoring driven by text files under
 * <debugfs>/damon/.
 *
 * The default context's files sit directly in that directory; mk_contexts
 * adds named contexts, each a directory with the same files.  Contexts keep
 * their settings as the user wrote them (struct damon_dbgfs_ctx); reads
 * show those, never a context that a kdamond may be changing, and
 * dbgfs-run.c turns them into DAMON contexts when monitoring starts.
 *
 * Writes: the bytes written through one open file, in order, form one
 * value, which is parsed and applied as a whole after each write().  So a
 * value may come in pieces that end at line ends (bash's echo writes a
 * multi-line value one line per write()), and a single write() of a whole
 * value, the common case, is simply applied.  If a piece makes the value
 * fail, the settings go back to what they were before its first piece, and
 * the open file refuses all further writes: the rest of a refused value
 * must not be taken as a value of its own.  Only the part of the settings
 * that the file writes goes back, and only if no other write changed that
 * part since; a value's pieces are undone also when monitoring started
 * between them.  A write that does not continue where the previous one on
 * that open file ended (other than a new start at offset 0) is refused.
 *
 * Locking: dbgfs_lock protects the list of contexts, their settings and
 * the open files' pending text, and is held while starting.  It is never
 * held while waiting for user memory or for a kdamond: what is written is
 * copied in before it is taken, and "off" waits for the kdamonds (which
 * may be writing a record to a slow file system) after dropping it, with
 * dbgfs_stopping keeping the contexts busy meanwhile.  The kdamonds'
 * callbacks never take it.  File operations take it interruptibly.
 * Removing a context's directory waits for the file operations under way
 * in it, which may wait for dbgfs_lock, so contexts are removed from the
 * list under the lock but their directories after it.
 */

#define pr_fmt(fmt) "damon-dbgfs: " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "core_internal.h"
#include "dbgfs-parse.h"
#include "dbgfs-run.h"
#include "dbgfs-schemes.h"

/*
 * The largest input each kind of file takes in one write().  Longer writes
 * fail with -EINVAL before anything is copied, so that a huge count never
 * turns into a huge allocation.
 */
#define DAMON_DBGFS_SMALL_INPUT_MAX	4096
#define DAMON_DBGFS_LIST_INPUT_MAX	(256 * 1024)
#define DAMON_DBGFS_RECORD_INPUT_MAX	(PATH_MAX + 64)

static DEFINE_MUTEX(dbgfs_lock);
static LIST_HEAD(dbgfs_ctxs);	/* the default context comes first */
static LIST_HEAD(dbgfs_dying);	/* removed, directory not yet gone */
static struct dentry *dbgfs_root;
/* How many "off" writers wait for kdamonds without holding dbgfs_lock. */
static unsigned int dbgfs_stopping;

/* Names in the root directory that a context may not take. */
static const char * const dbgfs_root_names[] = {
	"attrs", "target_ids", "pids", "init_regions", "record",
	"kdamond_pid", "monitor_on", "monitor_on_DEPRECATED", "mk_contexts",
	"rm_contexts",
	"schemes",
	"report_filters",
};

/* Contexts */

static void dbgfs_put_pids(struct pid **pids, unsigned int nr)
{
	unsigned int i;

	if (!pids)
		return;
	for (i = 0; i < nr; i++)
		put_pid(pids[i]);
	kfree(pids);
}

/* Free what @set holds and leave it empty. */
static void dbgfs_settings_free(struct damon_dbgfs_settings *set)
{
	dbgfs_put_pids(set->pids, set->nr_targets);
	kfree(set->ids);
	kvfree(set->regions);
	kfree(set->rec_path);
	kvfree(set->schemes);
	memset(set, 0, sizeof(*set));
}

/* Make @dst a deep copy of @src, with references of its own. */
static int dbgfs_settings_copy(struct damon_dbgfs_settings *dst,
			       const struct damon_dbgfs_settings *src)
{
	unsigned int i;

	*dst = *src;
	dst->ids = NULL;
	dst->pids = NULL;
	dst->regions = NULL;
	dst->rec_path = NULL;
	dst->schemes = NULL;
	if (src->ids) {
		dst->ids = kmemdup_array(src->ids, max(src->nr_targets, 1U),
					 sizeof(*src->ids), GFP_KERNEL);
		if (!dst->ids)
			goto fail;
	}
	if (src->pids) {
		dst->pids = kmemdup_array(src->pids, src->nr_targets,
					  sizeof(*src->pids), GFP_KERNEL);
		if (!dst->pids)
			goto fail;
		for (i = 0; i < src->nr_targets; i++)
			get_pid(dst->pids[i]);
	}
	if (src->regions) {
		dst->regions = kvmalloc_array(src->nr_regions,
					      sizeof(*src->regions),
					      GFP_KERNEL);
		if (!dst->regions)
			goto fail;
		memcpy(dst->regions, src->regions,
		       src->nr_regions * sizeof(*src->regions));
	}
	if (src->rec_path) {
		dst->rec_path = kstrdup(src->rec_path, GFP_KERNEL);
		if (!dst->rec_path)
			goto fail;
	}
	if (src->schemes) {
		dst->schemes = kvmalloc_array(src->nr_schemes,
					      sizeof(*src->schemes),
					      GFP_KERNEL);
		if (!dst->schemes)
			goto fail;
		memcpy(dst->schemes, src->schemes,
		       src->nr_schemes * sizeof(*src->schemes));
	}
	return 0;
fail:
	dbgfs_settings_free(dst);
	return -ENOMEM;
}

static struct damon_dbgfs_ctx *dbgfs_new_ctx(const char *name)
{
	struct damon_dbgfs_ctx *dctx = kzalloc(sizeof(*dctx), GFP_KERNEL);

	if (!dctx)
		return NULL;
	if (name) {
		dctx->name = kstrdup(name, GFP_KERNEL);
		if (!dctx->name)
			goto fail;
	}
	dctx->ctx = damon_new_ctx();
	if (!dctx->ctx)
		goto fail;
	dctx->set.attrs = dctx->ctx->attrs;
	INIT_LIST_HEAD(&dctx->list);
	return dctx;
fail:
	kfree(dctx->name);
	kfree(dctx);
	return NULL;
}

/* Free a context that does not run and has no directory any more. */
static void dbgfs_free_ctx(struct damon_dbgfs_ctx *dctx)
{
	damon_destroy_ctx(dctx->ctx);
	damon_dbgfs_record_close(&dctx->rec);
	dbgfs_settings_free(&dctx->set);
	kfree(dctx->name);
	kfree(dctx);
}

/* Remove the directories of removed contexts and free them. */
static void dbgfs_reap(void)
{
	struct damon_dbgfs_ctx *dctx, *next;
	LIST_HEAD(dying);

	mutex_lock(&dbgfs_lock);
	list_splice_init(&dbgfs_dying, &dying);
	mutex_unlock(&dbgfs_lock);
	list_for_each_entry_safe(dctx, next, &dying, list) {
		debugfs_remove(dctx->dir);
		dbgfs_free_ctx(dctx);
	}
}

/*
 * Whether a context runs, or is being stopped.  Settings, and the list of
 * contexts, change only when not.  Called with dbgfs_lock held.
 */
static bool dbgfs_busy(void)
{
	return dbgfs_stopping || damon_dbgfs_running(&dbgfs_ctxs);
}

/* Take dbgfs_lock for an operation on @dctx. */
static int dbgfs_lock_ctx(struct damon_dbgfs_ctx *dctx)
{
	if (mutex_lock_interruptible(&dbgfs_lock))
		return -EINTR;
	if (dctx->dead) {
		mutex_unlock(&dbgfs_lock);
		return -ENODEV;
	}
	return 0;
}

/* Open files */

/**
 * struct dbgfs_file - One open debugfs file.
 * @dctx:	The context the file belongs to.
 * @text:	What was written through this open file so far and applied.
 * @len:	The length of @text.
 * @failed:	A write failed; later writes are refused.
 * @undo:	A piece failed before the lock could be taken: undo the
 *		value's earlier pieces when the file is closed.
 * @saved:	Whether @before holds anything.
 * @part:	The part of the settings that @before is for.
 * @gen:	&damon_dbgfs_ctx->gen of @part after the last piece applied.
 * @before:	The settings from before the first piece of @text, to go
 *		back to if a later piece makes the value fail.
 * @read_lock:	Serialises the reads of this open file.
 * @shown:	The text the last read at offset 0 made, for the reads
 *		after it; or NULL.
 * @shown_len:	The length of @shown.
 */
struct dbgfs_file {
	struct damon_dbgfs_ctx *dctx;
	char *text;
	size_t len;
	bool failed;
	bool undo;
	bool saved;
	enum damon_dbgfs_part part;
	unsigned long gen;
	struct damon_dbgfs_settings before;
	struct mutex read_lock;	/* Serialises this file's reads. */
	char *shown;
	size_t shown_len;
};

static int dbgfs_open(struct inode *inode, struct file *file)
{
	struct dbgfs_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->dctx = inode->i_private;
	mutex_init(&f->read_lock);
	file->private_data = f;
	return 0;
}

static void dbgfs_rollback(struct dbgfs_file *f);

static int dbgfs_release(struct inode *inode, struct file *file)
{
	struct dbgfs_file *f = file->private_data;

	/* A value that failed without the lock (interrupted) goes back now. */
	if (f->undo) {
		mutex_lock(&dbgfs_lock);
		if (!f->dctx->dead)
			dbgfs_rollback(f);
		mutex_unlock(&dbgfs_lock);
	}
	dbgfs_settings_free(&f->before);
	kvfree(f->text);
	kvfree(f->shown);
	mutex_destroy(&f->read_lock);
	kfree(f);
	return 0;
}

/* What monitor_on's apply returns when the contexts must be stopped. */
#define DBGFS_STOP_UNLOCKED	1

/**
 * struct dbgfs_writer - How a file takes what is written to it.
 * @max:	The longest value it takes.
 * @idle:	Whether writes need monitoring to be off.
 * @settings:	Whether @apply changes only the @part of
 *		&damon_dbgfs_ctx->set.
 * @part:	The part of the settings that @apply changes.
 * @apply:	Parses a value and applies it, or fails changing nothing.
 */
struct dbgfs_writer {
	size_t max;
	bool idle;
	bool settings;
	enum damon_dbgfs_part part;
	int (*apply)(struct damon_dbgfs_ctx *dctx, char *buf);
};

/* Count a change of @part of @dctx's settings. */
static void dbgfs_changed(struct damon_dbgfs_ctx *dctx,
			  enum damon_dbgfs_part part)
{
	dctx->gen[part]++;
	/* New targets clear the initial regions. */
	if (part == DAMON_DBGFS_TARGETS)
		dctx->gen[DAMON_DBGFS_REGIONS]++;
}

/*
 * Apply the value @text, the text written through @f so far, of which
 * @prefix bytes came in earlier writes.  Settings files keep a copy of the
 * settings from before a value's first piece; if a later piece makes the
 * value fail, dbgfs_rollback() goes back to that copy, so that a value
 * works as a whole or changes nothing (unless monitoring started in
 * between).  Called with dbgfs_lock held.
 */
static int dbgfs_apply(struct dbgfs_file *f, const struct dbgfs_writer *w,
		       const char *text, size_t prefix, size_t len)
{
	char *work;
	int err;

	if (w->settings && !prefix) {
		dbgfs_settings_free(&f->before);
		f->saved = false;
		f->len = 0;
		err = dbgfs_settings_copy(&f->before, &f->dctx->set);
		if (err)
			return err;
		f->saved = true;
		f->part = w->part;
	}
	work = kvmalloc(len + 1, GFP_KERNEL);
	if (!work)
		return -ENOMEM;
	/* The parsers cut up their input. */
	memcpy(work, text, len + 1);
	err = w->apply(f->dctx, work);
	kvfree(work);
	if (!err && w->settings) {
		dbgfs_changed(f->dctx, w->part);
		f->gen = f->dctx->gen[w->part];
	}
	return err;
}

/* Exchange @part of two settings. */
static void dbgfs_settings_swap_part(struct damon_dbgfs_settings *a,
				     struct damon_dbgfs_settings *b,
				     enum damon_dbgfs_part part)
{
	switch (part) {
	case DAMON_DBGFS_ATTRS:
		swap(a->attrs, b->attrs);
		break;
	case DAMON_DBGFS_TARGETS:
		swap(a->ops, b->ops);
		swap(a->nr_targets, b->nr_targets);
		swap(a->ids, b->ids);
		swap(a->pids, b->pids);
		fallthrough;	/* the regions named the targets */
	case DAMON_DBGFS_REGIONS:
		swap(a->regions, b->regions);
		swap(a->nr_regions, b->nr_regions);
		break;
	case DAMON_DBGFS_REPORT_FILTERS:
		swap(a->filter, b->filter);
		break;
	case DAMON_DBGFS_SCHEMES:
		swap(a->schemes, b->schemes);
		swap(a->nr_schemes, b->nr_schemes);
		break;
	case DAMON_DBGFS_RECORD:
		swap(a->rec_size, b->rec_size);
		swap(a->rec_path, b->rec_path);
		break;
	default:
		break;
	}
}

/*
 * A value failed: if earlier pieces of it were applied, put the part of
 * the settings it writes back to what it was before them, unless another
 * write changed that part since, which then stands.  Monitoring may have
 * started in between: the settings are not what the kdamonds use, and
 * the next start uses them as they read.  Called with dbgfs_lock held.
 */
static void dbgfs_rollback(struct dbgfs_file *f)
{
	struct damon_dbgfs_ctx *dctx = f->dctx;

	if (!f->saved || !f->len)
		return;
	if (dctx->gen[f->part] == f->gen) {
		dbgfs_settings_swap_part(&dctx->set, &f->before, f->part);
		dbgfs_changed(dctx, f->part);
	}
	dbgfs_settings_free(&f->before);
	f->saved = false;
}

/* Stop the contexts without dbgfs_lock; see dbgfs_monitor_on_apply(). */
static void dbgfs_stop_unlocked(void)
{
	damon_dbgfs_stop(&dbgfs_ctxs);
	mutex_lock(&dbgfs_lock);
	dbgfs_stopping--;
	mutex_unlock(&dbgfs_lock);
}

/*
 * The write path of every file.  Builds the value written through this
 * open file so far plus @ubuf and has it applied.  Values longer than the
 * file's maximum are refused before anything is allocated, and the piece
 * is copied in before dbgfs_lock is taken.  Writes to settings are
 * refused while monitoring is on.
 */
static ssize_t dbgfs_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos,
			   const struct dbgfs_writer *w)
{
	struct dbgfs_file *f = file->private_data;
	char *piece = NULL, *text = NULL;
	bool stop = false;
	size_t prefix;
	int err;

	err = -EINVAL;
	if (count > w->max)
		goto fail_unlocked;
	err = -ENOMEM;
	piece = kvmalloc(count + 1, GFP_KERNEL);
	if (!piece)
		goto fail_unlocked;
	err = -EFAULT;
	if (copy_from_user(piece, ubuf, count))
		goto fail_unlocked;
	err = dbgfs_lock_ctx(f->dctx);
	if (err)
		goto fail_unlocked;
	err = -EINVAL;
	if (f->failed)
		goto unlock;
	err = -EBUSY;
	if (w->idle && dbgfs_busy())
		goto fail;
	err = -EINVAL;
	if (*ppos == 0)
		prefix = 0;
	else if (*ppos == f->len && f->text)
		prefix = f->len;
	else
		goto fail;
	if (prefix + count > w->max)
		goto fail;
	text = kvmalloc(prefix + count + 1, GFP_KERNEL);
	err = -ENOMEM;
	if (!text)
		goto fail;
	if (prefix)
		memcpy(text, f->text, prefix);
	memcpy(text + prefix, piece, count);
	text[prefix + count] = '\0';
	err = dbgfs_apply(f, w, text, prefix, prefix + count);
	if (err == DBGFS_STOP_UNLOCKED) {
		stop = true;
		err = 0;
	}
	if (err)
		goto fail;
	swap(f->text, text);
	f->len = prefix + count;
	*ppos = f->len;
	goto unlock;
fail:
	f->failed = true;
	/* A new value (at offset 0) leaves the last complete one alone. */
	if (*ppos)
		dbgfs_rollback(f);
unlock:
	mutex_unlock(&dbgfs_lock);
	if (stop)
		dbgfs_stop_unlocked();
	kvfree(piece);
	kvfree(text);
	return err ? err : count;
fail_unlocked:
	/*
	 * Refused before the lock was taken; earlier pieces go back here if
	 * the lock can be had, else when the file is closed.
	 */
	kvfree(piece);
	if (err == -ENODEV)
		return err;
	if (err == -EINTR || mutex_lock_killable(&dbgfs_lock)) {
		WRITE_ONCE(f->failed, true);
		WRITE_ONCE(f->undo, !!*ppos);
		return err;
	}
	if (!f->dctx->dead) {
		f->failed = true;
		if (*ppos)
			dbgfs_rollback(f);
	}
	mutex_unlock(&dbgfs_lock);
	return err;
}

/*
 * The read path of every file.  A read at offset 0 makes the text anew:
 * under the lock, @size says how much room it needs and @format writes it.
 * The open file keeps that text, and later reads copy out of it: a reader
 * that takes the text in several read()s gets one text, not the pieces of
 * two, while a kdamond moves the statistics in it.  Reading from offset 0
 * again, or opening the file again, shows what is current.
 */
static ssize_t dbgfs_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos,
			  size_t (*size)(struct damon_dbgfs_ctx *dctx),
			  size_t (*format)(struct damon_dbgfs_ctx *dctx,
					   char *buf, size_t size))
{
	struct dbgfs_file *f = file->private_data;
	struct damon_dbgfs_ctx *dctx = f->dctx;
	size_t sz, len;
	ssize_t ret;
	char *buf;

	if (mutex_lock_interruptible(&f->read_lock))
		return -EINTR;
	if (!*ppos || !f->shown) {
		ret = dbgfs_lock_ctx(dctx);
		if (ret)
			goto out;
		sz = size(dctx);
		buf = kvmalloc(sz, GFP_KERNEL);
		if (!buf) {
			mutex_unlock(&dbgfs_lock);
			ret = -ENOMEM;
			goto out;
		}
		len = format(dctx, buf, sz);
		mutex_unlock(&dbgfs_lock);
		kvfree(f->shown);
		f->shown = buf;
		f->shown_len = len;
	}
	ret = simple_read_from_buffer(ubuf, count, ppos, f->shown,
				      f->shown_len);
out:
	mutex_unlock(&f->read_lock);
	return ret;
}

/* Room for short, fixed-form text: numbers, "on", "none". */
static size_t dbgfs_small_size(struct damon_dbgfs_ctx *dctx)
{
	return 128;
}

/* attrs */

static size_t dbgfs_attrs_format(struct damon_dbgfs_ctx *dctx, char *buf,
				 size_t size)
{
	return damon_dbgfs_format_attrs(buf, size, &dctx->set.attrs);
}

static int dbgfs_attrs_apply(struct damon_dbgfs_ctx *dctx, char *buf)
{
	struct damon_attrs attrs;
	int err = damon_dbgfs_parse_attrs(buf, &attrs);

	if (!err)
		dctx->set.attrs = attrs;
	return err;
}

static ssize_t dbgfs_attrs_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	return dbgfs_read(file, ubuf, count, ppos, dbgfs_small_size,
			  dbgfs_attrs_format);
}

static const struct dbgfs_writer dbgfs_attrs_writer = {
	.max = DAMON_DBGFS_SMALL_INPUT_MAX,
	.idle = true,
	.settings = true,
	.part = DAMON_DBGFS_ATTRS,
	.apply = dbgfs_attrs_apply,
};

static ssize_t dbgfs_attrs_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	return dbgfs_write(file, ubuf, count, ppos, &dbgfs_attrs_writer);
}

/* target_ids and pids */

static size_t dbgfs_targets_size(struct damon_dbgfs_ctx *dctx)
{
	return damon_dbgfs_targets_text_size(dctx->set.nr_targets);
}

/* paddr_fault reads back as its keyword, so that it can be written back. */
static size_t dbgfs_targets_format(struct damon_dbgfs_ctx *dctx, char *buf,
				   size_t size)
{
	if (dctx->set.ops == DAMON_OPS_PADDR_FAULT && dctx->set.nr_targets)
		return scnprintf(buf, size, "paddr_fault\n");
	return damon_dbgfs_format_targets(buf, size, dctx->set.ids,
					  dctx->set.nr_targets);
}

/*
 * Make parsed target ids the targets of @dctx: take a reference to each
 * process (which must exist), then replace the old targets, dropping their
 * references, and the initial regions, which named the old targets.
 */
static int dbgfs_set_targets(struct damon_dbgfs_ctx *dctx,
			     enum damon_ops_id ops, const int *nums,
			     unsigned int nr)
{
	bool paddr = ops != DAMON_OPS_VADDR;
	struct pid **pids = NULL;
	unsigned int i;
	long *ids;

	if (paddr)
		nr = 1;
	if (nr && !damon_is_registered_ops(ops))
		return -EINVAL;
	ids = kmalloc_array(max(nr, 1U), sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	if (paddr) {
		ids[0] = DAMON_DBGFS_PADDR_ID;
	} else if (nr) {
		pids = kcalloc(nr, sizeof(*pids), GFP_KERNEL);
		if (!pids) {
			kfree(ids);
			return -ENOMEM;
		}
	}
	for (i = 0; i < nr && !paddr; i++) {
		ids[i] = nums[i];
		pids[i] = find_get_pid(nums[i]);
		if (!pids[i]) {
			dbgfs_put_pids(pids, i);
			kfree(ids);
			return -EINVAL;
		}
	}
	dbgfs_put_pids(dctx->set.pids, dctx->set.nr_targets);
	kfree(dctx->set.ids);
	kvfree(dctx->set.regions);
	dctx->set.regions = NULL;
	dctx->set.nr_regions = 0;
	dctx->set.ops = ops;
	dctx->set.ids = ids;
	dctx->set.pids = pids;
	dctx->set.nr_targets = nr;
	return 0;
}

static int dbgfs_targets_apply(struct damon_dbgfs_ctx *dctx, char *buf)
{
	enum damon_ops_id ops;
	unsigned int nr;
	int *nums;
	int err;

	err = damon_dbgfs_parse_targets(buf, &ops, &nums, &nr);
	if (err)
		return err;
	err = dbgfs_set_targets(dctx, ops, nums, nr);
	kfree(nums);
	return err;
}

static ssize_t dbgfs_targets_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return dbgfs_read(file, ubuf, count, ppos, dbgfs_targets_size,
			  dbgfs_targets_format);
}

static const struct dbgfs_writer dbgfs_targets_writer = {
	.max = DAMON_DBGFS_LIST_INPUT_MAX,
	.idle = true,
	.settings = true,
	.part = DAMON_DBGFS_TARGETS,
	.apply = dbgfs_targets_apply,
};

static ssize_t dbgfs_targets_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return dbgfs_write(file, ubuf, count, ppos, &dbgfs_targets_writer);
}

/* init_regions */

static size_t dbgfs_regions_size(struct damon_dbgfs_ctx *dctx)
{
	return damon_dbgfs_regions_text_size(dctx->set.nr_regions);
}

static size_t dbgfs_regions_format(struct damon_dbgfs_ctx *dctx, char *buf,
				   size_t size)
{
	return damon_dbgfs_format_init_regions(buf, size, dctx->set.ids,
					       dctx->set.regions,
					       dctx->set.nr_regions);
}

static int dbgfs_regions_apply(struct damon_dbgfs_ctx *dctx, char *buf)
{
	struct damon_dbgfs_region *regions;
	unsigned int nr;
	int err;

	err = damon_dbgfs_parse_init_regions(buf, dctx->set.ids,
					     dctx->set.nr_targets, &regions,
					     &nr);
	if (err)
		return err;
	kvfree(dctx->set.regions);
	dctx->set.regions = regions;
	dctx->set.nr_regions = nr;
	return 0;
}

static ssize_t dbgfs_regions_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return dbgfs_read(file, ubuf, count, ppos, dbgfs_regions_size,
			  dbgfs_regions_format);
}

static const struct dbgfs_writer dbgfs_regions_writer = {
	.max = DAMON_DBGFS_LIST_INPUT_MAX,
	.idle = true,
	.settings = true,
	.part = DAMON_DBGFS_REGIONS,
	.apply = dbgfs_regions_apply,
};

static ssize_t dbgfs_regions_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return dbgfs_write(file, ubuf, count, ppos, &dbgfs_regions_writer);
}

/* record */

static size_t dbgfs_record_size(struct damon_dbgfs_ctx *dctx)
{
	return PATH_MAX + 32;
}

static size_t dbgfs_record_format(struct damon_dbgfs_ctx *dctx, char *buf,
				  size_t size)
{
	if (!dctx->set.rec_size)
		return scnprintf(buf, size, "0\n");
	return scnprintf(buf, size, "%lu %s\n", dctx->set.rec_size,
			 dctx->set.rec_path);
}

static int dbgfs_record_apply(struct damon_dbgfs_ctx *dctx, char *buf)
{
	unsigned long size;
	char *new_path = NULL;
	const char *path;
	int err;

	err = damon_dbgfs_parse_record(buf, &size, &path);
	if (err)
		return err;
	if (size) {
		new_path = kstrdup(path, GFP_KERNEL);
		if (!new_path)
			return -ENOMEM;
	}
	kfree(dctx->set.rec_path);
	dctx->set.rec_path = new_path;
	dctx->set.rec_size = size;
	return 0;
}

static ssize_t dbgfs_record_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	return dbgfs_read(file, ubuf, count, ppos, dbgfs_record_size,
			  dbgfs_record_format);
}

static const struct dbgfs_writer dbgfs_record_writer = {
	.max = DAMON_DBGFS_RECORD_INPUT_MAX,
	.idle = true,
	.settings = true,
	.part = DAMON_DBGFS_RECORD,
	.apply = dbgfs_record_apply,
};

static ssize_t dbgfs_record_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return dbgfs_write(file, ubuf, count, ppos, &dbgfs_record_writer);
}

/* report_filters */

static size_t dbgfs_report_filters_size(struct damon_dbgfs_ctx *dctx)
{
	/* "write_only=0 cpus=" and the longest CPU list, "0,2,4,...". */
	return 32 + 6 * nr_cpu_ids;
}

static size_t dbgfs_report_filters_format(struct damon_dbgfs_ctx *dctx,
					  char *buf, size_t size)
{
	return damon_dbgfs_format_report_filters(buf, size, &dctx->set.filter);
}

static int dbgfs_report_filters_apply(struct damon_dbgfs_ctx *dctx, char *buf)
{
	return damon_dbgfs_parse_report_filters(buf, &dctx->set.filter);
}

static ssize_t dbgfs_report_filters_read(struct file *file, char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	return dbgfs_read(file, ubuf, count, ppos, dbgfs_report_filters_size,
			  dbgfs_report_filters_format);
}

static const struct dbgfs_writer dbgfs_report_filters_writer = {
	.max = DAMON_DBGFS_SMALL_INPUT_MAX,
	.idle = true,
	.settings = true,
	.part = DAMON_DBGFS_REPORT_FILTERS,
	.apply = dbgfs_report_filters_apply,
};

static ssize_t dbgfs_report_filters_write(struct file *file,
					  const char __user *ubuf, size_t count,
					  loff_t *ppos)
{
	return dbgfs_write(file, ubuf, count, ppos,
			   &dbgfs_report_filters_writer);
}

/* schemes */

static size_t dbgfs_schemes_size(struct damon_dbgfs_ctx *dctx)
{
	return damon_dbgfs_schemes_text_size(dctx->set.nr_schemes);
}

/* The statistics come from the DAMON context, running or last run. */
static size_t dbgfs_schemes_format(struct damon_dbgfs_ctx *dctx, char *buf,
				   size_t size)
{
	return damon_dbgfs_format_schemes(buf, size, dctx->set.schemes,
					  dctx->set.nr_schemes, dctx->ctx);
}

/*
 * Schemes must suit the operations set the targets call for.  New schemes
 * start with new statistics: the old ones go with the old schemes.
 */
static int dbgfs_schemes_apply(struct damon_dbgfs_ctx *dctx, char *buf)
{
	struct damon_dbgfs_scheme *schemes;
	unsigned int nr;
	int err;

	err = damon_dbgfs_parse_schemes(buf, dctx->set.ops, &schemes, &nr);
	if (err)
		return err;
	damon_dbgfs_build_schemes(dctx->ctx, NULL, 0);
	kvfree(dctx->set.schemes);
	dctx->set.schemes = schemes;
	dctx->set.nr_schemes = nr;
	return 0;
}

static ssize_t dbgfs_schemes_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	return dbgfs_read(file, ubuf, count, ppos, dbgfs_schemes_size,
			  dbgfs_schemes_format);
}

static const struct dbgfs_writer dbgfs_schemes_writer = {
	.max = DAMON_DBGFS_LIST_INPUT_MAX,
	.idle = true,
	.settings = true,
	.part = DAMON_DBGFS_SCHEMES,
	.apply = dbgfs_schemes_apply,
};

static ssize_t dbgfs_schemes_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	return dbgfs_write(file, ubuf, count, ppos, &dbgfs_schemes_writer);
}

/* kdamond_pid */

static size_t dbgfs_kdamond_pid_format(struct damon_dbgfs_ctx *dctx,
				       char *buf, size_t size)
{
	struct damon_ctx *ctx = dctx->ctx;
	size_t len;

	mutex_lock(&ctx->kdamond_lock);
	if (ctx->kdamond)
		len = scnprintf(buf, size, "%d\n", task_pid_nr(ctx->kdamond));
	else
		len = scnprintf(buf, size, "none\n");
	mutex_unlock(&ctx->kdamond_lock);
	return len;
}

static ssize_t dbgfs_kdamond_pid_read(struct file *file, char __user *ubuf,
				      size_t count, loff_t *ppos)
{
	return dbgfs_read(file, ubuf, count, ppos, dbgfs_small_size,
			  dbgfs_kdamond_pid_format);
}

/* monitor_on */

static size_t dbgfs_monitor_on_format(struct damon_dbgfs_ctx *dctx,
				      char *buf, size_t size)
{
	return scnprintf(buf, size, "%s\n",
			 damon_dbgfs_running(&dbgfs_ctxs) ? "on" : "off");
}

/*
 * "on" starts all contexts, "off" stops those that run, if any.  A kdamond
 * may take long to stop (writing its record to a slow or frozen file
 * system), so "off" only marks the stop under way here and the writer
 * waits for the kdamonds after dropping dbgfs_lock.
 */
static int dbgfs_monitor_on_apply(struct damon_dbgfs_ctx *dctx, char *buf)
{
	bool on;
	int err;

	err = damon_dbgfs_parse_on_off(buf, &on);
	if (err)
		return err;
	if (!on) {
		dbgfs_stopping++;
		return DBGFS_STOP_UNLOCKED;
	}
	if (dbgfs_busy())
		return -EBUSY;
	return damon_dbgfs_start(&dbgfs_ctxs);
}

static ssize_t dbgfs_monitor_on_read(struct file *file, char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	return dbgfs_read(file, ubuf, count, ppos, dbgfs_small_size,
			  dbgfs_monitor_on_format);
}

static const struct dbgfs_writer dbgfs_monitor_on_writer = {
	.max = DAMON_DBGFS_SMALL_INPUT_MAX,
	.idle = false,
	.settings = false,
	.apply = dbgfs_monitor_on_apply,
};

static ssize_t dbgfs_monitor_on_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	return dbgfs_write(file, ubuf, count, ppos, &dbgfs_monitor_on_writer);
}

/* The file operations */

#define DBGFS_FOPS(_name, _read, _write)		\
static const struct file_operations _name = {		\
	.owner = THIS_MODULE,				\
	.open = dbgfs_open,				\
	.release = dbgfs_release,			\
	.read = _read,					\
	.write = _write,				\
	.llseek = default_llseek,			\
}

DBGFS_FOPS(dbgfs_attrs_fops, dbgfs_attrs_read, dbgfs_attrs_write);
DBGFS_FOPS(dbgfs_targets_fops, dbgfs_targets_read, dbgfs_targets_write);
DBGFS_FOPS(dbgfs_regions_fops, dbgfs_regions_read, dbgfs_regions_write);
DBGFS_FOPS(dbgfs_record_fops, dbgfs_record_read, dbgfs_record_write);
DBGFS_FOPS(dbgfs_report_filters_fops, dbgfs_report_filters_read,
	   dbgfs_report_filters_write);
DBGFS_FOPS(dbgfs_schemes_fops, dbgfs_schemes_read, dbgfs_schemes_write);
DBGFS_FOPS(dbgfs_kdamond_pid_fops, dbgfs_kdamond_pid_read, NULL);
DBGFS_FOPS(dbgfs_monitor_on_fops, dbgfs_monitor_on_read,
	   dbgfs_monitor_on_write);

static void dbgfs_create_ctx_files(struct damon_dbgfs_ctx *dctx)
{
	static const struct {
		const char *name;
		umode_t mode;
		const struct file_operations *fops;
	} files[] = {
		{ "attrs", 0600, &dbgfs_attrs_fops },
		{ "target_ids", 0600, &dbgfs_targets_fops },
		{ "pids", 0600, &dbgfs_targets_fops },
		{ "init_regions", 0600, &dbgfs_regions_fops },
		{ "record", 0600, &dbgfs_record_fops },
		{ "report_filters", 0600, &dbgfs_report_filters_fops },
		{ "schemes", 0600, &dbgfs_schemes_fops },
		{ "kdamond_pid", 0400, &dbgfs_kdamond_pid_fops },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++)
		debugfs_create_file(files[i].name, files[i].mode, dctx->dir,
				    dctx, files[i].fops);
}

/* mk_contexts and rm_contexts */

static struct damon_dbgfs_ctx *dbgfs_find_ctx(const char *name)
{
	struct damon_dbgfs_ctx *dctx;

	list_for_each_entry(dctx, &dbgfs_ctxs, list) {
		if (dctx->name && !strcmp(dctx->name, name))
			return dctx;
	}
	return NULL;
}

static bool dbgfs_is_root_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dbgfs_root_names); i++) {
		if (!strcmp(dbgfs_root_names[i], name))
			return true;
	}
	return false;
}

static int dbgfs_mk_context_apply(struct damon_dbgfs_ctx *root, char *buf)
{
	struct damon_dbgfs_ctx *dctx;
	struct dentry *dir;
	const char *name;
	int err;

	err = damon_dbgfs_parse_ctx_name(buf, &name);
	if (err)
		return err;
	if (dbgfs_find_ctx(name) || dbgfs_is_root_name(name))
		return -EEXIST;
	dctx = dbgfs_new_ctx(name);
	if (!dctx)
		return -ENOMEM;
	dir = debugfs_create_dir(name, dbgfs_root);
	if (IS_ERR(dir)) {
		/* e.g. a context of that name still being removed */
		dbgfs_free_ctx(dctx);
		return PTR_ERR(dir);
	}
	dctx->dir = dir;
	dbgfs_create_ctx_files(dctx);
	list_add_tail(&dctx->list, &dbgfs_ctxs);
	return 0;
}

/* Unlink the context and mark it dead; dbgfs_reap() does the rest. */
static int dbgfs_rm_context_apply(struct damon_dbgfs_ctx *root, char *buf)
{
	struct damon_dbgfs_ctx *dctx;
	const char *name;
	int err;

	err = damon_dbgfs_parse_ctx_name(buf, &name);
	if (err)
		return err;
	dctx = dbgfs_find_ctx(name);
	if (!dctx)
		return -ENOENT;
	dctx->dead = true;
	list_move_tail(&dctx->list, &dbgfs_dying);
	return 0;
}

static const struct dbgfs_writer dbgfs_mk_context_writer = {
	.max = DAMON_DBGFS_SMALL_INPUT_MAX,
	.idle = true,
	.settings = false,
	.apply = dbgfs_mk_context_apply,
};

static ssize_t dbgfs_mk_contexts_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	return dbgfs_write(file, ubuf, count, ppos, &dbgfs_mk_context_writer);
}

static const struct dbgfs_writer dbgfs_rm_context_writer = {
	.max = DAMON_DBGFS_SMALL_INPUT_MAX,
	.idle = true,
	.settings = false,
	.apply = dbgfs_rm_context_apply,
};

static ssize_t dbgfs_rm_contexts_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	ssize_t ret;

	ret = dbgfs_write(file, ubuf, count, ppos, &dbgfs_rm_context_writer);

	dbgfs_reap();
	return ret;
}

DBGFS_FOPS(dbgfs_mk_contexts_fops, NULL, dbgfs_mk_contexts_write);
DBGFS_FOPS(dbgfs_rm_contexts_fops, NULL, dbgfs_rm_contexts_write);

/* Module init and exit */

/**
 * damon_dbgfs_init() - Create <debugfs>/damon/ and the default context.
 *
 * Called from the damon module's init.  Without a usable debugfs (booted
 * with debugfs=off, say) the interface is simply not there.
 *
 * Return: 0, or -ENOMEM.
 */
int damon_dbgfs_init(void)
{
	struct damon_dbgfs_ctx *dctx;
	struct dentry *root;

	root = debugfs_create_dir("damon", NULL);
	if (IS_ERR(root)) {
		pr_info("debugfs unavailable (%ld); no debugfs interface\n",
			PTR_ERR(root));
		return 0;
	}
	dctx = dbgfs_new_ctx(NULL);
	if (!dctx) {
		debugfs_remove(root);
		return -ENOMEM;
	}
	dctx->dir = root;
	dbgfs_root = root;
	dbgfs_create_ctx_files(dctx);
	debugfs_create_file("monitor_on", 0600, root, dctx,
			    &dbgfs_monitor_on_fops);
	/* The name mainline 6.12 gives the same file; its tools use it. */
	debugfs_create_file("monitor_on_DEPRECATED", 0600, root, dctx,
			    &dbgfs_monitor_on_fops);
	debugfs_create_file("mk_contexts", 0200, root, dctx,
			    &dbgfs_mk_contexts_fops);
	debugfs_create_file("rm_contexts", 0200, root, dctx,
			    &dbgfs_rm_contexts_fops);
	list_add(&dctx->list, &dbgfs_ctxs);
	return 0;
}

/**
 * damon_dbgfs_exit() - Stop monitoring and remove <debugfs>/damon/.
 *
 * Called from the damon module's exit.
 */
void damon_dbgfs_exit(void)
{
	struct damon_dbgfs_ctx *dctx;

	mutex_lock(&dbgfs_lock);
	damon_dbgfs_stop(&dbgfs_ctxs);
	list_for_each_entry(dctx, &dbgfs_ctxs, list)
		dctx->dead = true;
	list_splice_tail_init(&dbgfs_ctxs, &dbgfs_dying);
	mutex_unlock(&dbgfs_lock);

	/* The root goes first, with all directories and files below it. */
	debugfs_remove(dbgfs_root);
	dbgfs_root = NULL;
	list_for_each_entry(dctx, &dbgfs_dying, list)
		dctx->dir = NULL;
	dbgfs_reap();
}
