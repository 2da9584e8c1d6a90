/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON debugfs interface: the contexts of the interface, their settings,
 * and starting and stopping them (dbgfs-run.c).  The files (dbgfs.c) keep
 * the contexts; the run layer only reads the settings and drives the DAMON
 * contexts and records.
 */

#ifndef _MM_DAMON_DBGFS_RUN_H
#define _MM_DAMON_DBGFS_RUN_H

#include <linux/damon.h>
#include <linux/list.h>
#include <linux/types.h>

#include "dbgfs-parse.h"
#include "dbgfs-record.h"
#include "dbgfs-schemes.h"

struct dentry;
struct pid;

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

/*
 * The parts of &struct damon_dbgfs_settings that the settings files write.
 * Writing the targets also clears the initial regions, which name them.
 */
enum damon_dbgfs_part {
	DAMON_DBGFS_ATTRS,
	DAMON_DBGFS_TARGETS,
	DAMON_DBGFS_REGIONS,
	DAMON_DBGFS_RECORD,
	NR_DAMON_DBGFS_PARTS,
};

/**
 * struct damon_dbgfs_ctx - A monitoring context of the debugfs interface.
 * @list:	Link in the interface's list of contexts.
 * @name:	Name of its directory; NULL for the default context.
 * @dir:	Its directory.
 * @ctx:	The DAMON context.
 * @dead:	Being removed: file operations that reach it now fail.
 * @set:	The settings, as the user wrote them.
 * @gen:	For each part of @set, how many values changed it so far; a
 *		value that fails undoes its earlier pieces only if no other
 *		write changed that part since.
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
	unsigned long gen[NR_DAMON_DBGFS_PARTS];
	struct damon_dbgfs_record rec;
};

/* Starting and stopping the contexts of a list. */
bool damon_dbgfs_running(struct list_head *ctxs);
int damon_dbgfs_start(struct list_head *ctxs);
void damon_dbgfs_stop(struct list_head *ctxs);

#endif	/* _MM_DAMON_DBGFS_RUN_H */
