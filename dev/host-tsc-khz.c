// SPDX-License-Identifier: GPL-2.0
/*
 * Print the rate of this machine's time stamp counter in kHz.
 *
 * Under qemu's TCG a guest's RDTSC reads the host's counter, but the guest
 * kernel cannot calibrate it: the emulated PIT is too slow and irregular,
 * and without ACPI there is no HPET or PM timer to compare with.  Its
 * clocksource then falls back to jiffies, which leaves high-resolution
 * timers off, and every sleep rounds up to the next tick.  dev/guest-run.sh
 * hands this rate to the guest as tsc_early_khz (GUEST_HOST_TSC=1).
 *
 * Counts TSC ticks against CLOCK_MONOTONIC_RAW over 100 ms, each end read
 * between two RDTSCs, keeping the tightest of a few tries.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

/* A TSC reading and the raw clock at the same moment, in ns. */
static void sample(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < 100; i++) {
		struct timespec ts;
		uint64_t t0, t1;

		t0 = __rdtsc();
		clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
		t1 = __rdtsc();
		if (t1 - t0 < best) {
			best = t1 - t0;
			*tsc = t0 + (t1 - t0) / 2;
			*ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
		}
	}
}

int main(void)
{
	struct timespec pause = { .tv_nsec = 100 * 1000 * 1000 };
	uint64_t tsc0, ns0, tsc1, ns1;

	sample(&tsc0, &ns0);
	nanosleep(&pause, NULL);
	sample(&tsc1, &ns1);
	if (ns1 <= ns0 || tsc1 <= tsc0)
		return 1;
	printf("%llu\n", (unsigned long long)((tsc1 - tsc0) * 1000000ULL /
					      (ns1 - ns0)));
	return 0;
}
