/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON debugfs interface: the schemes file's language, and the DAMON
 * schemes built from what it sets (dbgfs-schemes.c).
 */

#ifndef _MM_DAMON_DBGFS_SCHEMES_H
#define _MM_DAMON_DBGFS_SCHEMES_H

#include <linux/damon.h>
#include <linux/types.h>

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

#endif	/* _MM_DAMON_DBGFS_SCHEMES_H */
