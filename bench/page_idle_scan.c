// SPDX-License-Identifier: GPL-2.0
/*
 * The full-scan baseline of the benchmark: idle page tracking
 * (/sys/kernel/mm/page_idle/bitmap) driven from user space over the same
 * memory DAMON monitors.
 *
 * Once per interval it reads the idle bits of every page frame of the
 * memory and marks them all idle again, which is what a user of idle page
 * tracking does to learn which pages were accessed in each interval.  The
 * memory is either a range of a process's virtual address space (-p, -a,
 * -e: its page frames are looked up once in /proc/<pid>/pagemap, so the
 * mapping should be populated and stable) or a range of physical addresses
 * (-r).
 *
 * A scan that does not fit in the interval is followed by the next one
 * right away; the cost that matters is therefore the CPU time of one scan
 * divided by the interval: the CPU seconds a full scan needs per second of
 * monitoring at that interval, which may exceed 1.  It prints
 * "begin <CLOCK_MONOTONIC seconds>" when the first interval starts (after
 * looking up the frames) and at the end
 *
 *   scans <n> cpu <s> wall <s> frames <n> cpu_per_scan <s> needed <cpu s/s>
 *
 * Usage: page_idle_scan (-p pid -a start -e end | -r start-end)
 *                       [-i interval ms] [-d duration s]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BITMAP "/sys/kernel/mm/page_idle/bitmap"
#define PFN_MASK ((1ULL << 55) - 1)
#define PRESENT (1ULL << 63)

/* A run of consecutive 64-frame words of the bitmap and the bits we own. */
struct run {
	uint64_t word;
	size_t nr;
	uint64_t *mask;
};

static struct run *runs;
static size_t nr_runs;
static sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Page frames of [start, end) of pid's address space that are present. */
static uint64_t *vaddr_frames(int pid, unsigned long start, unsigned long end,
			      size_t *nr)
{
	unsigned long page = sysconf(_SC_PAGESIZE);
	size_t n = (end - start) / page, i, got = 0;
	uint64_t *entries = malloc(n * sizeof(*entries));
	char path[64];
	ssize_t len;
	size_t done = 0;
	int fd;

	if (!entries)
		die("malloc");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	while (done < n * sizeof(*entries)) {
		len = pread(fd, (char *)entries + done,
			    n * sizeof(*entries) - done,
			    start / page * sizeof(*entries) + done);
		if (len <= 0)
			die("pagemap");
		done += len;
	}
	close(fd);
	for (i = 0; i < n; i++)
		if (entries[i] & PRESENT)
			entries[got++] = entries[i] & PFN_MASK;
	*nr = got;
	return entries;
}

/* Group sorted frames into runs of bitmap words. */
static void build_runs(uint64_t *pfns, size_t nr)
{
	size_t i = 0;

	qsort(pfns, nr, sizeof(*pfns), cmp_u64);
	runs = calloc(nr ? nr : 1, sizeof(*runs));
	if (!runs)
		die("calloc");
	while (i < nr) {
		struct run *r = &runs[nr_runs++];
		size_t j = i, cap;

		r->word = pfns[i] / 64;
		/* A run ends where a word without any of our frames would be. */
		while (j + 1 < nr && pfns[j + 1] / 64 <= pfns[j] / 64 + 1)
			j++;
		r->nr = pfns[j] / 64 - r->word + 1;
		cap = r->nr;
		r->mask = calloc(cap, sizeof(uint64_t));
		if (!r->mask)
			die("calloc");
		for (; i <= j; i++)
			r->mask[pfns[i] / 64 - r->word] |= 1ULL << (pfns[i] % 64);
	}
}

/*
 * pread/pwrite all of it: sysfs moves at most a page per call.  The word
 * holding max_pfn is only partly handled and counts as 0 bytes moved, so a
 * return of 0 means the end of memory.
 */
static void xfer(int fd, uint64_t *buf, size_t nr, uint64_t word, int write)
{
	size_t done = 0, len = nr * sizeof(*buf);
	ssize_t ret;

	while (done < len) {
		if (write)
			ret = pwrite(fd, (char *)buf + done, len - done,
				     word * sizeof(*buf) + done);
		else
			ret = pread(fd, (char *)buf + done, len - done,
				    word * sizeof(*buf) + done);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret == 0)
			break;
		if (ret < 0)
			die(write ? "write " BITMAP : "read " BITMAP);
		done += ret;
	}
}

static void scan(int fd, uint64_t *buf)
{
	size_t i;

	for (i = 0; i < nr_runs; i++) {
		xfer(fd, buf, runs[i].nr, runs[i].word, 0);
		xfer(fd, runs[i].mask, runs[i].nr, runs[i].word, 1);
	}
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s (-p pid -a start -e end | -r start-end)\n"
		"          [-i interval_ms] [-d duration_s]\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long start = 0, end = 0, pstart = 0, pend = 0;
	double interval = 0.1, duration = 10, t0, c0, next, t;
	size_t nr_pfns = 0, max_words = 0, i;
	unsigned long nr_scans = 0;
	uint64_t *pfns, *buf;
	struct timespec ts;
	int pid = 0, opt, fd;
	char *dash;

	while ((opt = getopt(argc, argv, "p:a:e:r:i:d:")) != -1) {
		switch (opt) {
		case 'p':
			pid = atoi(optarg);
			break;
		case 'a':
			start = strtoul(optarg, NULL, 0);
			break;
		case 'e':
			end = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			pstart = strtoul(optarg, &dash, 0);
			if (*dash != '-')
				usage(argv[0]);
			pend = strtoul(dash + 1, NULL, 0);
			break;
		case 'i':
			interval = atof(optarg) / 1000;
			break;
		case 'd':
			duration = atof(optarg);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (interval <= 0 || (pid ? end <= start : pend <= pstart))
		usage(argv[0]);

	if (pid) {
		pfns = vaddr_frames(pid, start, end, &nr_pfns);
	} else {
		unsigned long page = sysconf(_SC_PAGESIZE);

		nr_pfns = (pend - pstart) / page;
		pfns = malloc((nr_pfns ? nr_pfns : 1) * sizeof(*pfns));
		if (!pfns)
			die("malloc");
		for (i = 0; i < nr_pfns; i++)
			pfns[i] = pstart / page + i;
	}
	build_runs(pfns, nr_pfns);
	free(pfns);
	for (i = 0; i < nr_runs; i++)
		if (runs[i].nr > max_words)
			max_words = runs[i].nr;
	buf = malloc((max_words ? max_words : 1) * sizeof(*buf));
	fd = open(BITMAP, O_RDWR);
	if (!buf || fd < 0)
		die(BITMAP);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	/* Start from all idle, outside the measurement. */
	for (i = 0; i < nr_runs; i++)
		xfer(fd, runs[i].mask, runs[i].nr, runs[i].word, 1);

	t0 = clock_s(CLOCK_MONOTONIC);
	c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
	next = t0 + interval;
	printf("begin %.6f\n", t0);
	fflush(stdout);
	while (!stop && (t = clock_s(CLOCK_MONOTONIC)) - t0 < duration) {
		if (t < next) {
			ts.tv_sec = (time_t)next;
			ts.tv_nsec = (next - ts.tv_sec) * 1e9;
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					NULL);
			continue;
		}
		scan(fd, buf);
		nr_scans++;
		next += interval;
		/* Behind schedule: scan again at once, don't catch up. */
		if (next < clock_s(CLOCK_MONOTONIC))
			next = clock_s(CLOCK_MONOTONIC);
	}
	t = clock_s(CLOCK_MONOTONIC) - t0;
	c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
	printf("scans %lu cpu %.4f wall %.3f frames %zu cpu_per_scan %.6f needed %.4f\n",
	       nr_scans, c0, t, nr_pfns, nr_scans ? c0 / nr_scans : 0,
	       nr_scans ? c0 / nr_scans / interval : 0);
	return 0;
}
