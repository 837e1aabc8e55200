/* nexmark_cmd.c — `eddy nexmark`: the in-process Nexmark generator's rows of
 * one table written as JSON lines to stdout (the same rows, values and event
 * times as the `connector = 'nexmark'` source with the same seed/rate/events),
 * for feeding TCP sources, Kafka topics or `eddy test`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../connectors/nexmark.h"
#include "cli.h"

static const char nexmark_usage[] =
    "usage: eddy nexmark --events N [--table bid|auction|person] [--seed S] [--rate R]\n"
    "Writes the Nexmark generator's rows of one table as JSON lines on stdout.\n"
    "  --events N   events of the whole person/auction/bid sequence (bids are\n"
    "               46 of every 50 events, auctions 3, persons 1); -1 = endless\n"
    "  --table T    bid (default), auction or person\n"
    "  --seed S     random seed (default 42, as the nexmark connector)\n"
    "  --rate R     events/s of event time (0 = the Flink default 10 M/s); the\n"
    "               output itself is written as fast as possible\n"
    "Same options, same bytes. The values equal those of a stream WITH\n"
    "(connector = 'nexmark', table = T, events = N, seed = S, rate = R).\n";

static int parse_i64(const char *opt, const char *v, long long min, long long *out)
{
    char *end;
    errno = 0;
    long long x = v ? strtoll(v, &end, 10) : 0;
    if (!v || !*v || *end || errno || x < min) {
        ed_cli_err("nexmark: %s expects an integer >= %lld, got '%s'", opt, min, v ? v : "");
        return -1;
    }
    *out = x;
    return 0;
}

int ed_cmd_nexmark(int argc, char **argv)
{
    long long events = 0, seed = 42, rate = 0;
    int have_events = 0;
    int table = ED_NX_BID;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(nexmark_usage, stdout);
            return 0;
        } else if (!strcmp(a, "--events")) {
            if (parse_i64(a, v, -1, &events) < 0) return 2;
            have_events = 1;
            i++;
        } else if (!strcmp(a, "--seed")) {
            if (parse_i64(a, v, 0, &seed) < 0) return 2;
            i++;
        } else if (!strcmp(a, "--rate")) {
            if (parse_i64(a, v, 0, &rate) < 0) return 2;
            i++;
        } else if (!strcmp(a, "--table")) {
            table = v ? ed_nx_table_parse(v) : -1;
            if (table < 0) {
                ed_cli_err("nexmark: --table expects bid, auction or person, got '%s'", v ? v : "");
                return 2;
            }
            i++;
        } else {
            ed_cli_err("nexmark: unknown argument '%s'", a);
            fputs(nexmark_usage, stderr);
            return 2;
        }
    }
    if (!have_events) {
        ed_cli_err("nexmark: --events N is required");
        fputs(nexmark_usage, stderr);
        return 2;
    }
    int64_t n = ed_nexmark_write_json(stdout, (ed_nx_table)table, (uint64_t)seed, events, rate);
    if (n < 0) {
        /* a closed pipe (| head) is a normal way to stop an endless run */
        if (errno == EPIPE) return 0;
        ed_cli_err("nexmark: cannot write to stdout: %s", strerror(errno));
        return 1;
    }
    return 0;
}
