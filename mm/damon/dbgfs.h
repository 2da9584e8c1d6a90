/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of DAMON's debugfs interface, shared by its files (dbgfs.c, the
 * debugfs files; dbgfs-run.c, starting and stopping; dbgfs-parse.c, the
 * text parsers and formatters; dbgfs-record.c, the record writer;
 * dbgfs-schemes.c, the schemes file's language) and their KUnit suite.
 * Nothing here leaves damon.ko.
 */

#ifndef _MM_DAMON_DBGFS_H
#define _MM_DAMON_DBGFS_H

#include <linux/damon.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/types.h>

struct dentry;
struct file;
struct pid;

/*
 * The largest input each kind of file takes in one write().  Longer writes
 * fail with -EINVAL before anything is copied, so that a huge count never
 * turns into a huge allocation.
 */
#define DAMON_DBGFS_SMALL_INPUT_MAX	4096
#define DAMON_DBGFS_LIST_INPUT_MAX	(256 * 1024)
#define DAMON_DBGFS_RECORD_INPUT_MAX	(PATH_MAX + 64)

/* The largest record buffer a context may ask for. */
#define DAMON_DBGFS_RECORD_BUF_MAX	(64UL << 20)

/* The target id that stands for the physical address space. */
#define DAMON_DBGFS_PADDR_ID		(-1L)

/**
 * struct damon_dbgfs_region - One line of ``init_regions``.
 * @target:	Index of the target in the context's target list.
 * @ar:		The address range, exactly as the user gave it.
 */
struct damon_dbgfs_region {
	unsigned int target;
	struct damon_addr_range ar;
};

/* Parsers: each takes a NUL-terminated, writable copy of the input. */
int damon_dbgfs_parse_attrs(char *buf, struct damon_attrs *attrs);
int damon_dbgfs_parse_targets(char *buf, bool *paddr, int **pids,
			      unsigned int *nr);
int damon_dbgfs_parse_init_regions(char *buf, const long *ids,
				   unsigned int nr_targets,
				   struct damon_dbgfs_region **regions,
				   unsigned int *nr);
int damon_dbgfs_parse_on_off(char *buf, bool *on);
int damon_dbgfs_parse_record(char *buf, unsigned long *size,
			     const char **path);
int damon_dbgfs_parse_ctx_name(char *buf, const char **name);

/* Formatters: write at most @size bytes and return how many were used. */
size_t damon_dbgfs_format_attrs(char *buf, size_t size,
				const struct damon_attrs *attrs);
size_t damon_dbgfs_targets_text_size(unsigned int nr);
size_t damon_dbgfs_format_targets(char *buf, size_t size, const long *ids,
				  unsigned int nr);
size_t damon_dbgfs_regions_text_size(unsigned int nr);
size_t damon_dbgfs_format_init_regions(char *buf, size_t size,
				       const long *ids,
				       const struct damon_dbgfs_region *regions,
				       unsigned int nr);

/**
 * struct damon_dbgfs_scheme - One line of ``schemes``.
 * @pattern:	The access pattern.
 * @action:	The action.
 * @quota:	The quota, with its priority weights.
 * @wmarks:	The watermarks.
 */
struct damon_dbgfs_scheme {
	struct damos_pattern pattern;
	enum damos_action action;
	struct damos_quota quota;
	struct damos_watermarks wmarks;
};

int damon_dbgfs_parse_schemes(char *buf, enum damon_ops_id ops,
			      struct damon_dbgfs_scheme **schemes,
			      unsigned int *nr);
size_t damon_dbgfs_schemes_text_size(unsigned int nr);
size_t damon_dbgfs_format_schemes(char *buf, size_t size,
				  const struct damon_dbgfs_scheme *schemes,
				  unsigned int nr, struct damon_ctx *ctx);
int damon_dbgfs_build_schemes(struct damon_ctx *ctx,
			      const struct damon_dbgfs_scheme *schemes,
			      unsigned int nr);

/**
 * struct damon_dbgfs_record - Recording of one context's results to a file.
 * @buf_size:	Size of @buf.
 * @path:	The record file's path, for messages.
 * @file:	The open record file while recording, else NULL.
 * @pos:	Where the next write to @file goes.
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
	char *buf;
	size_t len;
	int err;
};

int damon_dbgfs_record_open(struct damon_dbgfs_record *rec,
			    unsigned long buf_size, const char *path);
void damon_dbgfs_record_snapshot(struct damon_dbgfs_record *rec,
				 struct damon_ctx *ctx);
void damon_dbgfs_record_close(struct damon_dbgfs_record *rec);

/**
 * struct damon_dbgfs_settings - What the files of a context set.
 * @attrs:	The monitoring attributes.
 * @paddr:	Whether the target is the physical address space.
 * @nr_targets:	The number of targets.
 * @ids:	The target ids as they read back: pids, or -1 for paddr.
 * @pids:	Counted references to the target processes; NULL for paddr.
 * @regions:	The initial regions from init_regions.
 * @nr_regions:	How many regions @regions holds.
 * @rec_size:	The record buffer size; 0 when not recording.
 * @rec_path:	The record file's path, or NULL.
 * @schemes:	The operation schemes.
 * @nr_schemes:	How many schemes @schemes holds.
 */
struct damon_dbgfs_settings {
	struct damon_attrs attrs;
	bool paddr;
	unsigned int nr_targets;
	long *ids;
	struct pid **pids;
	struct damon_dbgfs_region *regions;
	unsigned int nr_regions;
	unsigned long rec_size;
	char *rec_path;
	struct damon_dbgfs_scheme *schemes;
	unsigned int nr_schemes;
};

/**
 * struct damon_dbgfs_ctx - A monitoring context of the debugfs interface.
 * @list:	Link in the interface's list of contexts.
 * @name:	Name of its directory; NULL for the default context.
 * @dir:	Its directory.
 * @ctx:	The DAMON context.
 * @dead:	Being removed: file operations that reach it now fail.
 * @set:	The settings, as the user wrote them.
 * @rec:	The record while monitoring records.
 *
 * @ctx gets its targets and regions from @set only when monitoring starts.
 * All but @rec is protected by the interface's lock; @set changes only
 * while no context runs.
 */
struct damon_dbgfs_ctx {
	struct list_head list;
	char *name;
	struct dentry *dir;
	struct damon_ctx *ctx;
	bool dead;
	struct damon_dbgfs_settings set;
	struct damon_dbgfs_record rec;
};

/* Starting and stopping the contexts of a list (dbgfs-run.c). */
bool damon_dbgfs_running(struct list_head *ctxs);
int damon_dbgfs_start(struct list_head *ctxs);
void damon_dbgfs_stop(struct list_head *ctxs);

#endif	/* _MM_DAMON_DBGFS_H */
