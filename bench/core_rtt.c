/* core_rtt.c — eddy-core-rtt: how long a cache line takes to go from one
 * thread to another and back (two threads bounce an atomic counter 2 M
 * times; no pinning, so it measures wherever the OS and the hypervisor put
 * them). bench/scaling.sh prints it next to each two-thread speedup: on
 * this VM the round trip is ~90 ns in some stretches of minutes and ~420 ns
 * in others, and the two-thread q5 speedup follows it (docs/BENCHMARKS.md).
 * Prints "rtt_ns=N". */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

enum { ROUNDS = 2000000 };
static _Alignas(64) atomic_long ball;

static void bounce(long first)
{
    for (long i = first; i < 2 * ROUNDS; i += 2) {
        while (atomic_load_explicit(&ball, memory_order_acquire) != i) {
        }
        atomic_store_explicit(&ball, i + 1, memory_order_release);
    }
}

static void *other(void *arg)
{
    (void)arg;
    bounce(1);
    return NULL;
}

int main(void)
{
    pthread_t t;
    if (pthread_create(&t, NULL, other, NULL) != 0) return 1;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    bounce(0);
    while (atomic_load(&ball) != 2 * ROUNDS) {
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    pthread_join(t, NULL);
    printf("rtt_ns=%.1f\n", ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / ROUNDS);
    return 0;
}
