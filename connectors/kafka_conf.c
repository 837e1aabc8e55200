/* kafka_conf.c — helpers shared by the Kafka source and sink: librdkafka
 * configuration pass-through (kafka.<property> options), broker state from
 * librdkafka's statistics, and the wall clock. */
#include "kafka.h"
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int ed_kafka_conf_set(rd_kafka_conf_t *conf, const char *key, const char *value, char *err, size_t errlen)
{
    char why[512];
    if (rd_kafka_conf_set(conf, key, value, why, sizeof why) != RD_KAFKA_CONF_OK) {
        snprintf(err, errlen, "kafka property '%s': %s", key, why);
        return -1;
    }
    return 0;
}

int ed_kafka_conf_passthrough(rd_kafka_conf_t *conf, const ed_kv *opts, int nopts, char *err, size_t errlen)
{
    for (int i = 0; i < nopts; i++) {
        if (strncmp(opts[i].key, "kafka.", 6) != 0) continue;
        if (opts[i].key[6] == '\0') {
            snprintf(err, errlen, "option 'kafka.' names no librdkafka property");
            return -1;
        }
        if (ed_kafka_conf_set(conf, opts[i].key + 6, opts[i].value ? opts[i].value : "", err, errlen) < 0) return -1;
    }
    return 0;
}

int ed_kafka_opts_check(const char *what, const ed_kv *opts, int nopts, const char *const *known, char *err,
                        size_t errlen)
{
    for (int i = 0; i < nopts; i++) {
        if (strncmp(opts[i].key, "kafka.", 6) == 0) continue;
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++) ok = strcmp(*k, opts[i].key) == 0;
        if (ok) continue;
        ed_sb sb = ED_SB_INIT;
        for (const char *const *k = known; *k; k++) ed_sb_printf(&sb, "%s%s", k == known ? "" : ", ", *k);
        snprintf(err, errlen, "unknown option '%s' for a kafka %s (valid: %s, kafka.<librdkafka property>)",
                 opts[i].key, what, sb.buf);
        ed_sb_free(&sb);
        return -1;
    }
    return 0;
}

int ed_kafka_stats_brokers_up(const char *json, size_t len)
{
    json_error_t je;
    json_t *doc = json_loadb(json, len, 0, &je);
    if (!doc) return -1;
    json_t *brokers = json_object_get(doc, "brokers");
    int up = 0;
    const char *name;
    json_t *b;
    json_object_foreach(brokers, name, b)
    {
        /* nodeid -1 is the bootstrap placeholder; internal broker has none */
        json_t *nid = json_object_get(b, "nodeid");
        const char *st = json_string_value(json_object_get(b, "state"));
        if (!json_is_integer(nid) || json_integer_value(nid) < 0 || !st) continue;
        if (strcmp(st, "UP") == 0) up = 1;
    }
    json_decref(doc);
    return up;
}

int64_t ed_kafka_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
