// SPDX-License-Identifier: GPL-2.0
/*
 * A workload with a known hot set, for DAMON's accuracy tests.
 *
 * Maps a buffer (100 MiB by default) aligned to 2 MiB so that transparent
 * huge pages can back it, writes all of it once so that every page is
 * present, then keeps touching one part of it (10 MiB by default), one word
 * per page, until it is killed or its time is up.
 *
 * It prints one line when the buffer is ready:
 *
 *	ready <pid> <buffer start> <buffer end> <hot start> <hot end>
 *
 * with addresses in hex, and when it stops:
 *
 *	sweeps <number of passes over the hot set> seconds <run time>
 *
 * so that a test can tell how much monitoring slowed it down.
 *
 * With -H the buffer is made of hugetlb pages (MAP_HUGETLB) instead.  With
 * -l another thread touches the hot set and the main thread exits right
 * after printing "ready", so that the process lives on without its leader.
 *
 * Usage: hot_set_workload [-b buffer MiB] [-h hot MiB] [-o hot offset MiB]
 *			   [-t seconds] [-H] [-l]
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1UL << 20)
#define HUGE_ALIGN	(2 * MIB)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long parse_mib(const char *arg, const char *what)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 0);

	if (*end || end == arg) {
		fprintf(stderr, "bad %s: %s\n", what, arg);
		exit(2);
	}
	return v;
}

static unsigned long hot_sz = 10 * MIB;
static double seconds;
/* volatile: every touch must reach memory, none may be optimised out. */
static volatile char *hot;

/* Touch one word per page of the hot set until stopped; print the score. */
static void *touch_hot_set(void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long sweeps = 0;
	double start = now();

	while (!stop) {
		unsigned long off;

		for (off = 0; off < hot_sz; off += page)
			hot[off]++;
		sweeps++;
		/* Reading the clock every pass would dominate small sets. */
		if (seconds > 0 && !(sweeps & 63) && now() - start >= seconds)
			break;
	}
	printf("sweeps %llu seconds %.3f\n", sweeps, now() - start);
	fflush(stdout);
	return NULL;
}

int main(int argc, char *argv[])
{
	unsigned long buf_sz = 100 * MIB, hot_off = 40 * MIB;
	struct sigaction sa = { .sa_handler = on_signal };
	bool leader_exits = false;
	volatile char *buf;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long align = HUGE_ALIGN;
	char *map;
	int opt;

	while ((opt = getopt(argc, argv, "b:h:o:t:Hl")) != -1) {
		switch (opt) {
		case 'b':
			buf_sz = parse_mib(optarg, "buffer size") * MIB;
			break;
		case 'h':
			hot_sz = parse_mib(optarg, "hot size") * MIB;
			break;
		case 'o':
			hot_off = parse_mib(optarg, "hot offset") * MIB;
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		case 'H':
			/* hugetlb mappings come aligned to the page size. */
			flags |= MAP_HUGETLB;
			align = 0;
			break;
		case 'l':
			leader_exits = true;
			break;
		default:
			fprintf(stderr,
				"usage: %s [-b MiB] [-h MiB] [-o MiB] [-t s] [-H] [-l]\n",
				argv[0]);
			return 2;
		}
	}
	if (!hot_sz || hot_off + hot_sz > buf_sz) {
		fprintf(stderr, "the hot set must lie in the buffer\n");
		return 2;
	}

	map = mmap(NULL, buf_sz + align, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	buf = (char *)(((uintptr_t)map + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1));
	memset((char *)buf, 1, buf_sz);
	hot = buf + hot_off;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("ready %d %lx %lx %lx %lx\n", getpid(), (unsigned long)buf,
	       (unsigned long)buf + buf_sz, (unsigned long)hot,
	       (unsigned long)hot + hot_sz);
	fflush(stdout);

	if (leader_exits) {
		pthread_t thread;

		if (pthread_create(&thread, NULL, touch_hot_set, NULL)) {
			fprintf(stderr, "cannot create a thread\n");
			return 1;
		}
		pthread_exit(NULL);
	}
	touch_hot_set(NULL);
	return 0;
}
