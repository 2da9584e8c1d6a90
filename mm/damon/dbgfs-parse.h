/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON debugfs interface: the parsers of the text users write and the
 * formatters of the text they read (dbgfs-parse.c).
 */

#ifndef _MM_DAMON_DBGFS_PARSE_H
#define _MM_DAMON_DBGFS_PARSE_H

#include <linux/damon.h>
#include <linux/types.h>

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

#endif	/* _MM_DAMON_DBGFS_PARSE_H */
