/* mock_cluster.c — eddy-kafka-mock: a 3-broker librdkafka mock cluster
 * (real Kafka protocol on loopback) for tests and examples.
 *
 *   eddy-kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...
 *
 * Prints the bootstrap address as one line on stdout, then runs until
 * SIGTERM/SIGINT. Commands read from stdin, one per line, each answered with
 * "ok" or "error: ..." on stdout:
 *   down              every broker stops accepting/serving connections
 *   up                brokers come back
 *   topic NAME:PARTS  create another topic
 * stdin reaching EOF is not a stop request (background jobs have none).
 */
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static int create_topic(rd_kafka_mock_cluster_t *mc, const char *spec, int nbrokers)
{
    char name[256];
    const char *colon = strrchr(spec, ':');
    int parts = 1;
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (n == 0 || n >= sizeof name) return -1;
    memcpy(name, spec, n);
    name[n] = '\0';
    if (colon) {
        char *end;
        long v = strtol(colon + 1, &end, 10);
        if (*end || v < 1 || v > 1000) return -1;
        parts = (int)v;
    }
    int repl = nbrokers < 3 ? nbrokers : 3;
    return rd_kafka_mock_topic_create(mc, name, parts, repl) == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}

static void set_all(rd_kafka_mock_cluster_t *mc, int nbrokers, int up)
{
    for (int b = 1; b <= nbrokers; b++) {
        if (up)
            rd_kafka_mock_broker_set_up(mc, b);
        else
            rd_kafka_mock_broker_set_down(mc, b);
    }
}

static void command(rd_kafka_mock_cluster_t *mc, int nbrokers, char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (strcmp(line, "down") == 0) {
        set_all(mc, nbrokers, 0);
        puts("ok");
    } else if (strcmp(line, "up") == 0) {
        set_all(mc, nbrokers, 1);
        puts("ok");
    } else if (strncmp(line, "topic ", 6) == 0) {
        puts(create_topic(mc, line + 6, nbrokers) == 0 ? "ok" : "error: bad topic spec (NAME:PARTITIONS)");
    } else if (line[0]) {
        printf("error: unknown command '%s' (down, up, topic NAME:PARTS)\n", line);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int nbrokers = 3;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--brokers") == 0 && i + 1 < argc) nbrokers = atoi(argv[++i]);
    if (nbrokers < 1 || nbrokers > 16) {
        fprintf(stderr, "eddy-kafka-mock: --brokers must be 1..16\n");
        return 2;
    }
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    /* the owning client is only a host for the mock brokers' threads */
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) {
        fprintf(stderr, "eddy-kafka-mock: %s\n", errstr);
        return 1;
    }
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, nbrokers);
    if (!mc) {
        fprintf(stderr, "eddy-kafka-mock: cannot create mock cluster\n");
        rd_kafka_destroy(rk);
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--brokers") == 0) {
            i++;
        } else if (strcmp(argv[i], "--topic") == 0 && i + 1 < argc) {
            if (create_topic(mc, argv[++i], nbrokers) < 0) {
                fprintf(stderr, "eddy-kafka-mock: bad --topic '%s' (NAME:PARTITIONS)\n", argv[i]);
                rd_kafka_mock_cluster_destroy(mc);
                rd_kafka_destroy(rk);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: eddy-kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...\n");
            rd_kafka_mock_cluster_destroy(mc);
            rd_kafka_destroy(rk);
            return 2;
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
    fflush(stdout);

    char line[1024];
    size_t have = 0;
    bool stdin_open = true;
    while (!stop) {
        struct pollfd p = {.fd = 0, .events = POLLIN};
        int r = poll(&p, stdin_open ? 1 : 0, 200);
        if (r < 0 && errno != EINTR) break;
        if (r <= 0 || !(p.revents & (POLLIN | POLLHUP))) continue;
        ssize_t n = read(0, line + have, sizeof line - 1 - have);
        if (n <= 0) {
            stdin_open = false;
            continue;
        }
        have += (size_t)n;
        line[have] = '\0';
        char *nl;
        while ((nl = memchr(line, '\n', have))) {
            *nl = '\0';
            command(mc, nbrokers, line);
            size_t used = (size_t)(nl + 1 - line);
            memmove(line, nl + 1, have - used);
            have -= used;
            line[have] = '\0';
        }
        if (have == sizeof line - 1) have = 0; /* overlong line: discard */
    }
    rd_kafka_mock_cluster_destroy(mc);
    rd_kafka_destroy(rk);
    return 0;
}
