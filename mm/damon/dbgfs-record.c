// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON debugfs interface: the ``record`` file's writer.
 *
 * When monitoring starts, the writing process opens the record file (so
 * that its permissions, not the kdamond's, apply and errors reach it) and
 * writes the header.  From then on the context's kdamond owns the record:
 * after each aggregation interval it appends one snapshot to the buffer,
 * writes the buffer out when the next piece does not fit, and writes the
 * rest and closes the file when monitoring ends.  A piece larger than the
 * whole buffer goes straight to the file, so any buffer size works; small
 * ones just mean more, smaller writes.  If a write fails (a full disk, say),
 * recording stops with a kernel message but monitoring goes on.
 *
 * The format, in native byte order without padding (see the admin guide):
 *
 *	header:		"damon_recfmt_ver" (16 bytes, no NUL), s32 version 2
 *	per snapshot:	s64 seconds, s64 nanoseconds (CLOCK_MONOTONIC at the
 *			end of the aggregation interval), u32 nr_targets
 *	per target:	u64 target id, u32 nr_regions
 *	per region:	u64 start, u64 end, u32 nr_accesses
 */

#define pr_fmt(fmt) "damon-dbgfs: " fmt

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "dbgfs-record.h"

#define DBGFS_RECORD_MAGIC	"damon_recfmt_ver"
#define DBGFS_RECORD_MAGIC_LEN	(sizeof(DBGFS_RECORD_MAGIC) - 1)
#define DBGFS_RECORD_VERSION	2

/* Write straight to the file.  The first error stops all later writes. */
static void dbgfs_record_write(struct damon_dbgfs_record *rec,
			       const void *data, size_t len)
{
	while (len && !rec->err) {
		ssize_t ret;

		if (!rec->file) {
			rec->err = -EBADF;
			break;
		}
		ret = kernel_write(rec->file, data, len, &rec->pos);
		if (ret <= 0) {
			rec->err = ret ? ret : -EIO;
			break;
		}
		data += ret;
		len -= ret;
	}
}

static void dbgfs_record_flush(struct damon_dbgfs_record *rec)
{
	dbgfs_record_write(rec, rec->buf, rec->len);
	rec->len = 0;
}

static void dbgfs_record_add(struct damon_dbgfs_record *rec,
			     const void *data, size_t len)
{
	if (rec->err)
		return;
	if (len > rec->buf_size - rec->len)
		dbgfs_record_flush(rec);
	if (len > rec->buf_size) {
		dbgfs_record_write(rec, data, len);
		return;
	}
	memcpy(rec->buf + rec->len, data, len);
	rec->len += len;
}

static void dbgfs_record_add_u32(struct damon_dbgfs_record *rec, u32 val)
{
	dbgfs_record_add(rec, &val, sizeof(val));
}

static void dbgfs_record_add_u64(struct damon_dbgfs_record *rec, u64 val)
{
	dbgfs_record_add(rec, &val, sizeof(val));
}

static void dbgfs_record_warn(struct damon_dbgfs_record *rec, int old_err)
{
	if (!old_err && rec->err)
		pr_warn("writing %s failed (%d); recording stops, monitoring goes on\n",
			rec->path, rec->err);
}

/*
 * The record file must be a regular file, or not exist yet: opening a
 * device or a FIFO for writing could block or have side effects.
 */
static int dbgfs_record_check_path(const char *path)
{
	struct path p;
	int err;

	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err == -ENOENT)
		return 0;	/* to be created; the parent is checked later */
	if (err)
		return err;
	if (!d_is_reg(p.dentry))
		err = d_is_dir(p.dentry) ? -EISDIR : -EINVAL;
	path_put(&p);
	return err;
}

/**
 * damon_dbgfs_record_open() - Start recording, if asked to.
 * @rec:	The record of a context that is about to start.
 * @buf_size:	The buffer size; 0 means no recording.
 * @path:	The absolute path of the record file.  It must stay valid
 *		until damon_dbgfs_record_close().
 *
 * Allocates the buffer, creates or truncates the file and writes the
 * header.  Called by the task that turns monitoring on, before the
 * kdamond starts.
 *
 * Return: 0, or the error of the allocation, the open or the write, in
 * which case nothing is left open.
 */
int damon_dbgfs_record_open(struct damon_dbgfs_record *rec,
			    unsigned long buf_size, const char *path)
{
	u8 header[DBGFS_RECORD_MAGIC_LEN + sizeof(s32)];
	s32 version = DBGFS_RECORD_VERSION;
	struct file *file;
	int err;

	*rec = (struct damon_dbgfs_record) {
		.buf_size = buf_size,
		.path = path,
	};
	if (!buf_size || !path)
		return 0;
	err = dbgfs_record_check_path(path);
	if (err)
		return err;
	rec->buf = kvmalloc(buf_size, GFP_KERNEL);
	if (!rec->buf)
		return -ENOMEM;
	file = filp_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_LARGEFILE,
			 0600);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto free;
	}
	rec->file = file;
	memcpy(header, DBGFS_RECORD_MAGIC, DBGFS_RECORD_MAGIC_LEN);
	memcpy(header + DBGFS_RECORD_MAGIC_LEN, &version, sizeof(version));
	dbgfs_record_write(rec, header, sizeof(header));
	err = rec->err;
	if (!err)
		return 0;
	filp_close(file, NULL);
	rec->file = NULL;
free:
	kvfree(rec->buf);
	rec->buf = NULL;
	return err;
}

/**
 * damon_dbgfs_record_snapshot() - Record one aggregation interval.
 * @rec:	The record of @ctx.
 * @ctx:	The context, whose regions hold the interval's access counts.
 *
 * Called by @ctx's kdamond after each aggregation interval.  Does nothing
 * when not recording or after a write error.
 */
void damon_dbgfs_record_snapshot(struct damon_dbgfs_record *rec,
				 struct damon_ctx *ctx)
{
	int old_err = rec->err;
	struct damon_target *t;
	struct damon_region *r;
	struct timespec64 now;
	u32 nr_targets = 0;

	if (!rec->buf || rec->err)
		return;
	ktime_get_ts64(&now);
	damon_for_each_target(t, ctx)
		nr_targets++;
	dbgfs_record_add_u64(rec, now.tv_sec);
	dbgfs_record_add_u64(rec, now.tv_nsec);
	dbgfs_record_add_u32(rec, nr_targets);
	damon_for_each_target(t, ctx) {
		dbgfs_record_add_u64(rec, t->id);
		dbgfs_record_add_u32(rec, damon_nr_regions(t));
		damon_for_each_region(r, t) {
			u8 one[2 * sizeof(u64) + sizeof(u32)];
			u64 start = r->ar.start, end = r->ar.end;
			u32 nr_accesses = r->nr_accesses;

			/* One piece per region: fewer calls, same bytes. */
			memcpy(one, &start, sizeof(start));
			memcpy(one + sizeof(start), &end, sizeof(end));
			memcpy(one + 2 * sizeof(u64), &nr_accesses,
			       sizeof(nr_accesses));
			dbgfs_record_add(rec, one, sizeof(one));
		}
	}
	dbgfs_record_warn(rec, old_err);
}

/**
 * damon_dbgfs_record_close() - Write what is buffered and stop recording.
 * @rec:	The record.
 *
 * Called by the kdamond when monitoring ends, or by the interface when a
 * start failed before the kdamond ran.  Safe to call when not recording.
 */
void damon_dbgfs_record_close(struct damon_dbgfs_record *rec)
{
	int old_err = rec->err;

	if (rec->file) {
		dbgfs_record_flush(rec);
		dbgfs_record_warn(rec, old_err);
		filp_close(rec->file, NULL);
		rec->file = NULL;
	}
	kvfree(rec->buf);
	rec->buf = NULL;
	rec->len = 0;
}
