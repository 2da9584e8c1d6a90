// SPDX-License-Identifier: GPL-2.0
/*
 * hotset: a workload whose working set is known, for damo's in-guest tests.
 *
 * Maps TOTAL MiB of anonymous memory, writes every page once so all of it
 * is resident, then keeps writing one byte in every page of the first HOT
 * MiB, round after round, until SECONDS have passed.  The rest stays
 * resident and untouched, so the working set DAMON should report is HOT
 * MiB.  The hot range is printed first ("hot <start> <end>", hexadecimal,
 * end exclusive) so that tests can find it in a heatmap.
 *
 * Usage: hotset [-t TOTAL_MIB] [-w HOT_MIB] [-d SECONDS] [-n]
 *   -n  advise the kernel not to use transparent huge pages for the area
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB		(1024UL * 1024)
#define PAGE_BYTES	4096UL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-t TOTAL_MIB] [-w HOT_MIB] [-d SECONDS] [-n]\n",
		prog);
	exit(2);
}

int main(int argc, char *argv[])
{
	unsigned long total = 256, hot = 64, i;
	double seconds = 10, end;
	int nothp = 0, opt;
	char *area;

	while ((opt = getopt(argc, argv, "t:w:d:n")) != -1) {
		switch (opt) {
		case 't':
			total = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			hot = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			seconds = atof(optarg);
			break;
		case 'n':
			nothp = 1;
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (!total || hot > total || seconds <= 0)
		print_usage(argv[0]);

	area = mmap(NULL, total * MIB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		perror("hotset: mmap");
		return 1;
	}
	if (nothp && madvise(area, total * MIB, MADV_NOHUGEPAGE))
		perror("hotset: madvise");
	for (i = 0; i < total * MIB; i += PAGE_BYTES)
		area[i] = 1;
	printf("hot %#lx %#lx\n", (unsigned long)area,
	       (unsigned long)area + hot * MIB);
	fflush(stdout);

	end = now() + seconds;
	while (now() < end) {
		for (i = 0; i < hot * MIB; i += PAGE_BYTES)
			area[i]++;
		/* Make the compiler keep every round's writes. */
		__asm__ __volatile__("" : : "r"(area) : "memory");
	}
	return 0;
}
