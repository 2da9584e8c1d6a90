// SPDX-License-Identifier: GPL-2.0
/*
 * A workload for the tests of DAMON's access reports: it writes one buffer
 * and only reads another, optionally pinned to one CPU.
 *
 * Maps the write buffer, then the read buffer, each aligned to 2 MiB, and
 * fills both once so that every page is present.  Then, until it is killed
 * or its time is up, it stores to one byte of each page of the write
 * buffer, never reading it, and loads one byte of each page of the read
 * buffer, never writing it.
 *
 * It prints one line when the buffers are ready:
 *
 *	ready <pid> <write start> <write end> <read start> <read end>
 *
 * with addresses in hex (0 0 for a read buffer of 0 MiB), and when it stops:
 *
 *	sweeps <number of passes> seconds <run time>
 *
 * Usage: rw_workload [-w write MiB] [-r read MiB] [-c cpu] [-n | -N node]
 *		      [-R node]
 *		      [-t seconds]
 *
 * -c pins it to a CPU.  -n keeps NUMA balancing off its memory: a memory
 * policy without MPOL_F_NUMA_BALANCING makes NUMA balancing skip all of
 * its mappings, so that every PROT_NONE entry in it is DAMON's.  -N does
 * the same and takes all of its memory from one NUMA node, far from what
 * another rw_workload took from another node.  -R takes the read buffer
 * from the given node (and keeps NUMA balancing off it), apart from the
 * write buffer where that is on another node.
 */

#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1UL << 20)
#define HUGE_ALIGN	(2 * MIB)
#define MPOL_PREFERRED	1
#define MPOL_BIND	2

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

static unsigned long parse_num(const char *arg, const char *what)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 0);

	if (*end || end == arg) {
		fprintf(stderr, "bad %s: %s\n", what, arg);
		exit(2);
	}
	return v;
}

/*
 * A buffer of @sz bytes aligned to 2 MiB, every page present; from NUMA
 * node @node unless it is negative.
 */
static char *map_filled(unsigned long sz, int node)
{
	char *map;

	if (!sz)
		return NULL;
	map = mmap(NULL, sz + HUGE_ALIGN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	map = (char *)(((uintptr_t)map + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1));
	if (node >= 0) {
		unsigned long nodes = 1UL << node;

		if (syscall(SYS_mbind, map, sz, MPOL_BIND, &nodes,
			    sizeof(nodes) * 8, 0)) {
			perror("mbind");
			exit(1);
		}
	}
	memset(map, 1, sz);
	return map;
}

int main(int argc, char *argv[])
{
	unsigned long w_sz = 10 * MIB, r_sz = 0, off;
	long page = sysconf(_SC_PAGESIZE);
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long long sweeps = 0;
	double seconds = 0, start;
	/* volatile: every access must reach memory, as written. */
	volatile char *w, *r;
	unsigned char sum = 0;
	int opt, cpu = -1, node = -1, r_node = -1;
	bool no_numa = false;

	while ((opt = getopt(argc, argv, "w:r:c:nN:R:t:")) != -1) {
		switch (opt) {
		case 'w':
			w_sz = parse_num(optarg, "write size") * MIB;
			break;
		case 'r':
			r_sz = parse_num(optarg, "read size") * MIB;
			break;
		case 'c':
			cpu = parse_num(optarg, "cpu");
			break;
		case 'n':
			no_numa = true;
			break;
		case 'N':
			node = parse_num(optarg, "node");
			break;
		case 'R':
			r_node = parse_num(optarg, "node");
			break;
		case 't':
			seconds = strtod(optarg, NULL);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-w MiB] [-r MiB] [-c cpu] [-n | -N node] [-R node] [-t s]\n",
				argv[0]);
			return 2;
		}
	}
	if (!w_sz) {
		fprintf(stderr, "the write buffer must not be empty\n");
		return 2;
	}
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("sched_setaffinity");
			return 1;
		}
	}
	if (no_numa || node >= 0) {
		unsigned long nodes = 1UL << (node >= 0 ? node : 0);

		/* Fails without NUMA, where there is no balancing either. */
		syscall(SYS_set_mempolicy, node >= 0 ? MPOL_BIND : MPOL_PREFERRED,
			&nodes, sizeof(nodes) * 8);
	}

	w = map_filled(w_sz, -1);
	r = map_filled(r_sz, r_node);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("ready %d %lx %lx %lx %lx\n", getpid(), (unsigned long)w,
	       (unsigned long)w + w_sz, (unsigned long)r,
	       (unsigned long)r + r_sz);
	fflush(stdout);

	start = now();
	while (!stop) {
		for (off = 0; off < w_sz; off += page)
			w[off] = (char)sweeps;
		for (off = 0; off < r_sz; off += page)
			sum += r[off];
		sweeps++;
		if (seconds > 0 && !(sweeps & 15) && now() - start >= seconds)
			break;
	}
	printf("sweeps %llu seconds %.3f\n", sweeps + (sum & 0), now() - start);
	fflush(stdout);
	return 0;
}
