/* check.h — the assertion macros of the C tests: a failed CHECK prints its
 * file, line and expression and counts in `failures`; the test goes on and
 * main() returns failures != 0. Include once per test program. */
#ifndef EDDY_TESTS_CHECK_H
#define EDDY_TESTS_CHECK_H
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); \
            failures++;                                                            \
        }                                                                          \
    } while (0)

#endif
