// SPDX-License-Identifier: GPL-2.0
/*
 * A workload whose hot memory is known at every moment, for DAMON's demo,
 * tests and benchmarks.
 *
 * It maps one anonymous area, touches all of it once, then keeps writing
 * one byte per page of the currently hot part, following a pattern:
 *
 *   stairs  the area is cut in N equal parts; each is hot in turn for a phase
 *   zigzag  the area is cut in two; the halves are hot alternately
 *   hold    a fixed part at the start of the area stays hot the whole time
 *
 * It first prints "area <pid> <start> <end>", the whole mapping, once it is
 * populated, and "start <CLOCK_MONOTONIC seconds>", which is the trace
 * clock "mono" of tracefs, then each time the hot part changes one line of
 * ground truth:
 *
 *   truth <seconds since start> <pid> <hot start> <hot end>
 *
 * (virtual addresses, hex), and "done <seconds> <passes>" at the end, where
 * passes counts the hot-set sweeps made (the work done, for slowdown
 * figures).  With -P, it also prints "progress <seconds> <passes>" every
 * that many seconds, so that a benchmark can tell its speed in any window.
 *
 * Usage: workload [-p stairs|zigzag|hold] [-s MiB] [-n parts] [-H MiB]
 *                 [-t phase seconds] [-d duration seconds] [-T thp|nothp]
 *                 [-w seconds to wait before starting] [-P seconds]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-p stairs|zigzag|hold] [-s MiB] [-n parts] [-H MiB]\n"
		"          [-t phase_s] [-d duration_s] [-T thp|nothp] [-w wait_s]\n"
		"          [-P progress_s]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *pattern = "stairs", *thp = NULL;
	unsigned long size_mib = 100, hot_mib = 10, nr_parts = 10;
	double phase = 5, duration = 30, wait = 0, progress = 0, start, t;
	double next_progress;
	unsigned long passes = 0, page = sysconf(_SC_PAGESIZE);
	unsigned long size, hot_off = 0, hot_len = 0, last_off = -1UL;
	char *area;
	int opt;

	while ((opt = getopt(argc, argv, "p:s:n:H:t:d:T:w:P:")) != -1) {
		switch (opt) {
		case 'p':
			pattern = optarg;
			break;
		case 's':
			size_mib = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			nr_parts = strtoul(optarg, NULL, 0);
			break;
		case 'H':
			hot_mib = strtoul(optarg, NULL, 0);
			break;
		case 't':
			phase = atof(optarg);
			break;
		case 'd':
			duration = atof(optarg);
			break;
		case 'T':
			thp = optarg;
			break;
		case 'w':
			wait = atof(optarg);
			break;
		case 'P':
			progress = atof(optarg);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (!size_mib || !nr_parts || phase <= 0 || hot_mib > size_mib)
		usage(argv[0]);
	size = size_mib << 20;
	area = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (thp && madvise(area, size, strcmp(thp, "thp") ?
			   MADV_NOHUGEPAGE : MADV_HUGEPAGE))
		perror("madvise");
	memset(area, 1, size);
	printf("area %d %lx %lx\n", getpid(), (unsigned long)area,
	       (unsigned long)area + size);
	fflush(stdout);
	if (wait > 0)
		usleep(wait * 1e6);

	start = now();
	next_progress = progress;
	printf("start %.6f\n", start);
	while ((t = now() - start) < duration) {
		unsigned long i;

		if (!strcmp(pattern, "stairs")) {
			hot_len = size / nr_parts / page * page;
			hot_off = ((unsigned long)(t / phase) % nr_parts) * hot_len;
		} else if (!strcmp(pattern, "zigzag")) {
			hot_len = size / 2 / page * page;
			hot_off = ((unsigned long)(t / phase) % 2) * hot_len;
		} else if (!strcmp(pattern, "hold")) {
			hot_len = hot_mib << 20;
			hot_off = 0;
		} else {
			usage(argv[0]);
		}
		if (hot_off != last_off) {
			printf("truth %.3f %d %lx %lx\n", t, getpid(),
			       (unsigned long)area + hot_off,
			       (unsigned long)area + hot_off + hot_len);
			fflush(stdout);
			last_off = hot_off;
		}
		if (progress > 0 && t >= next_progress) {
			printf("progress %.3f %lu\n", t, passes);
			fflush(stdout);
			while (next_progress <= t)
				next_progress += progress;
		}
		for (i = 0; i < hot_len; i += page)
			area[hot_off + i]++;
		passes++;
	}
	printf("done %.3f %lu\n", now() - start, passes);
	return 0;
}
