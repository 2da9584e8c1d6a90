// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON debugfs interface: the ``record`` file's writer.
 *
 * When monitoring starts, the writing process opens the record file (so
 * that its permissions, not the kdamond's, apply and errors reach it).
 * From then on the context's kdamond owns the record: before its first
 * sample it truncates the file and writes the header, so that a start that
 * fails leaves the previous record alone; after each aggregation interval
 * it appends one snapshot to the buffer, writing the buffer out first when
 * the snapshot does not fit; and it writes the rest and closes the file
 * when monitoring ends.  A snapshot larger than the whole buffer goes to
 * the file in pieces, so any buffer size works; small ones just mean more,
 * smaller writes.  If a write fails (a full disk, say), the file is cut
 * back to the end of its last whole snapshot and recording stops with a
 * kernel message, but monitoring goes on.
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
#include <linux/minmax.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "dbgfs-record.h"

#define DBGFS_RECORD_MAGIC	"damon_recfmt_ver"
#define DBGFS_RECORD_MAGIC_LEN	(sizeof(DBGFS_RECORD_MAGIC) - 1)
#define DBGFS_RECORD_VERSION	2

/*
 * Cut the file back to its last whole snapshot after a failed write, so
 * that a full disk leaves a file that ends where a snapshot ends.  The
 * kdamond's own credentials (it is a kernel thread) do the truncation;
 * the file was opened for writing by the task that turned monitoring on.
 */
static void dbgfs_record_cut(struct damon_dbgfs_record *rec)
{
	int err = vfs_truncate(&rec->file->f_path, rec->whole);

	if (err)
		pr_warn("cannot cut %s back to its last whole snapshot (%d)\n",
			rec->path, err);
	rec->pos = rec->whole;
}

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
			dbgfs_record_cut(rec);
			break;
		}
		data += ret;
		len -= ret;
	}
}

/*
 * Write out the buffer.  @boundary says that the file then ends where a
 * snapshot ends, the place a later failed write cuts the file back to.
 */
static void dbgfs_record_flush(struct damon_dbgfs_record *rec, bool boundary)
{
	dbgfs_record_write(rec, rec->buf, rec->len);
	rec->len = 0;
	if (boundary && !rec->err)
		rec->whole = rec->pos;
}

/*
 * Add a piece of the current snapshot.  A snapshot that fits in the buffer
 * stays there whole (damon_dbgfs_record_snapshot() made room for it); a
 * larger one goes to the file in pieces.
 */
static void dbgfs_record_add(struct damon_dbgfs_record *rec,
			     const void *data, size_t len)
{
	if (rec->err)
		return;
	if (len > rec->buf_size - rec->len)
		dbgfs_record_flush(rec, false);
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
 * Whether @file takes writes at all, changing nothing: a write of no bytes
 * fails where writing is not possible (such as most files of /proc), so
 * that "on" fails rather than the kdamond's first write.
 */
static int dbgfs_record_probe(struct file *file)
{
	loff_t pos = 0;
	ssize_t ret = kernel_write(file, "", 0, &pos);

	return ret < 0 ? ret : 0;
}

/*
 * Open the record file for writing, for the task that turns monitoring on
 * and with its permissions, without truncating it yet.  No symbolic link
 * is followed anywhere in the path, and only a regular file with a single
 * link is taken: root must not be led to write a file that somebody who
 * can write one of the directories on the way chose, and opening a FIFO
 * or a device could block or have side effects.
 */
static struct file *dbgfs_record_open_file(const char *path)
{
	const char *name = strrchr(path, '/') + 1;
	struct file *file;
	struct path dir;
	char *dirname;
	int err;

	if (!*name)
		return ERR_PTR(-EISDIR);
	dirname = kstrndup(path, max_t(size_t, name - 1 - path, 1), GFP_KERNEL);
	if (!dirname)
		return ERR_PTR(-ENOMEM);
	err = kern_path(dirname, LOOKUP_FOLLOW | LOOKUP_DIRECTORY |
			LOOKUP_NO_SYMLINKS, &dir);
	kfree(dirname);
	if (err)
		return ERR_PTR(err);
	file = file_open_root(&dir, name, O_WRONLY | O_CREAT | O_NOFOLLOW |
			      O_NONBLOCK | O_LARGEFILE | O_CLOEXEC, 0600);
	path_put(&dir);
	if (IS_ERR(file))
		return file;
	err = 0;
	if (!S_ISREG(file_inode(file)->i_mode))
		err = -EINVAL;
	else if (file_inode(file)->i_nlink > 1)
		err = -EMLINK;
	else
		err = dbgfs_record_probe(file);
	if (err) {
		filp_close(file, NULL);
		return ERR_PTR(err);
	}
	return file;
}

/**
 * damon_dbgfs_record_open() - Open the record file, if asked to.
 * @rec:	The record of a context that is about to start.
 * @buf_size:	The buffer size; 0 means no recording.
 * @path:	The absolute path of the record file.  It must stay valid
 *		until damon_dbgfs_record_close().
 *
 * Allocates the buffer and opens or creates the file, but leaves what it
 * holds alone: damon_dbgfs_record_begin(), run by the kdamond once
 * monitoring started, truncates it, so that a start that fails keeps the
 * previous record.  Called by the task that turns monitoring on, so that
 * its permissions apply and the errors of opening reach it.
 *
 * Return: 0, or the error of the allocation or the open (-ELOOP for a
 * symbolic link, -EINVAL for anything but a regular file, -EMLINK for a
 * file with several links), in which case nothing is left open.
 */
int damon_dbgfs_record_open(struct damon_dbgfs_record *rec,
			    unsigned long buf_size, const char *path)
{
	struct file *file;

	*rec = (struct damon_dbgfs_record) {
		.buf_size = buf_size,
		.path = path,
	};
	if (!buf_size || !path)
		return 0;
	rec->buf = kvmalloc(buf_size, GFP_KERNEL);
	if (!rec->buf)
		return -ENOMEM;
	file = dbgfs_record_open_file(path);
	if (IS_ERR(file)) {
		kvfree(rec->buf);
		rec->buf = NULL;
		return PTR_ERR(file);
	}
	rec->file = file;
	return 0;
}

/**
 * damon_dbgfs_record_same_file() - Whether two records write one file.
 * @a:	An open record.
 * @b:	Another open record.
 *
 * Two contexts writing one file would interleave their snapshots.
 *
 * Return: true if both are recording, to the same file.
 */
bool damon_dbgfs_record_same_file(const struct damon_dbgfs_record *a,
				  const struct damon_dbgfs_record *b)
{
	return a->file && b->file && file_inode(a->file) == file_inode(b->file);
}

/**
 * damon_dbgfs_record_begin() - Truncate the record file and write the
 *				header.
 * @rec:	The record of a context whose kdamond just started.
 *
 * Called by the kdamond before its first sample.  An error stops the
 * recording with a kernel message; monitoring goes on.
 */
void damon_dbgfs_record_begin(struct damon_dbgfs_record *rec)
{
	u8 header[DBGFS_RECORD_MAGIC_LEN + sizeof(s32)];
	s32 version = DBGFS_RECORD_VERSION;

	if (!rec->file)
		return;
	rec->whole = 0;
	rec->pos = 0;
	rec->err = vfs_truncate(&rec->file->f_path, 0);
	memcpy(header, DBGFS_RECORD_MAGIC, DBGFS_RECORD_MAGIC_LEN);
	memcpy(header + DBGFS_RECORD_MAGIC_LEN, &version, sizeof(version));
	dbgfs_record_write(rec, header, sizeof(header));
	if (!rec->err)
		rec->whole = rec->pos;
	dbgfs_record_warn(rec, 0);
}

/* The bytes a snapshot of @ctx takes in the record. */
static size_t dbgfs_record_snapshot_size(struct damon_ctx *ctx)
{
	size_t sz = 2 * sizeof(u64) + sizeof(u32);
	struct damon_target *t;

	damon_for_each_target(t, ctx)
		sz += sizeof(u64) + sizeof(u32) + (size_t)damon_nr_regions(t) *
			(2 * sizeof(u64) + sizeof(u32));
	return sz;
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
	size_t sz;

	if (!rec->buf || rec->err)
		return;
	/* Flush at snapshot boundaries only, so a failed write cuts cleanly. */
	sz = dbgfs_record_snapshot_size(ctx);
	if (sz > rec->buf_size - rec->len)
		dbgfs_record_flush(rec, true);
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
	/* A snapshot larger than the buffer is complete only on the file. */
	if (sz > rec->buf_size)
		dbgfs_record_flush(rec, true);
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
		dbgfs_record_flush(rec, true);
		dbgfs_record_warn(rec, old_err);
		filp_close(rec->file, NULL);
		rec->file = NULL;
	}
	kvfree(rec->buf);
	rec->buf = NULL;
	rec->len = 0;
}
