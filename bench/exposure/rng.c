#define _POSIX_C_SOURCE 199309L
/* The exposure generator alone: s75_rng_u64() and s75_normal_quantile() per second, and
 * a check that the normals come out standard (mean 0, variance 1, 10% above 1.2816). */
#include <stdio.h>
#include <time.h>

#include "s75/exposure.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void)
{
	const uint64_t n = 20000000;
	uint64_t acc = 0, above = 0;
	double t0 = now(), sum = 0, sq = 0;
	for (uint64_t d = 0; d < n; d++)
		acc ^= s75_rng_u64(1, d, 3);
	double t1 = now();
	for (uint64_t d = 0; d < n; d++) {
		double u = ((double)(s75_rng_u64(1, d, 3) >> 11) + 0.5) * 0x1p-53;
		double z = s75_normal_quantile(u);
		sum += z;
		sq += z * z;
		above += z > 1.2815515655446004;
	}
	double t2 = now();
	printf("rng_u64        %.0f million a second (xor %016llx)\n", (double)n / (t1 - t0) / 1e6,
	       (unsigned long long)acc);
	printf("rng + normal   %.0f million a second\n", (double)n / (t2 - t1) / 1e6);
	printf("normals        mean %.5f, variance %.5f, above z90 %.5f (want 0, 1, 0.1)\n",
	       sum / (double)n, sq / (double)n - (sum / (double)n) * (sum / (double)n),
	       (double)above / (double)n);
	return 0;
}
