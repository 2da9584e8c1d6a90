/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON debugfs interface: the writer of the ``record`` file
 * (dbgfs-record.c).
 */

#ifndef _MM_DAMON_DBGFS_RECORD_H
#define _MM_DAMON_DBGFS_RECORD_H

#include <linux/damon.h>
#include <linux/types.h>

struct file;

/**
 * struct damon_dbgfs_record - Recording of one context's results to a file.
 * @buf_size:	Size of @buf.
 * @path:	The record file's path, for messages.
 * @file:	The open record file while recording, else NULL.
 * @pos:	Where the next write to @file goes.
 * @whole:	Where the last whole snapshot on @file ends.
 * @buf:	Bytes not yet written to @file.
 * @len:	How many bytes of @buf are used.
 * @err:	The first error writing @file met; recording stops there.
 *
 * From damon_dbgfs_record_open() until damon_dbgfs_record_close(), it
 * belongs to the context's kdamond.
 */
struct damon_dbgfs_record {
	unsigned long buf_size;
	const char *path;
	struct file *file;
	loff_t pos;
	loff_t whole;
	char *buf;
	size_t len;
	int err;
};

int damon_dbgfs_record_open(struct damon_dbgfs_record *rec,
			    unsigned long buf_size, const char *path);
bool damon_dbgfs_record_same_file(const struct damon_dbgfs_record *a,
				  const struct damon_dbgfs_record *b);
void damon_dbgfs_record_begin(struct damon_dbgfs_record *rec);
void damon_dbgfs_record_snapshot(struct damon_dbgfs_record *rec,
				 struct damon_ctx *ctx);
void damon_dbgfs_record_close(struct damon_dbgfs_record *rec);

#endif	/* _MM_DAMON_DBGFS_RECORD_H */
