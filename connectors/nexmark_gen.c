/* nexmark_gen.c — deterministic Nexmark event generator (person, auction,
 * bid), following the model of the Flink / Beam Nexmark generators.
 *
 * Why it is built this way:
 * - Every event n gets its own random stream seeded from (seed, n), and every
 *   field of it a sub-stream of its own. A bid generator can therefore skip
 *   persons and auctions without drawing their random numbers, and a column
 *   that the schema does not declare costs nothing, yet the values of the
 *   declared columns never depend on which other columns exist or on batch
 *   sizes.
 * - Random strings (names, descriptions, extra padding) are slices of one
 *   64 KiB pool drawn once per generator with Nexmark's character
 *   distribution (a-z, a space 1 time in 13), so a 70-byte `extra` costs no
 *   random draws at all. Channel URLs come from a table of 10 000 channels
 *   built on first use, as Flink's ChannelCache does. Such strings are not
 *   copied: the values point into the generator's read-only tables, which
 *   outlive every batch it fills (see nexmark.h); strings built per event
 *   (person name, email, credit card) go to the batch arena.
 * - Ids and hot keys follow the reference formulas (lastBase0AuctionId,
 *   nextBase0PersonId, ...), so bids refer to auctions and persons that exist
 *   in the same sequence and joins between the tables line up.
 * - Bids, ~92 % of the events, have a path of their own (fill_bids) when the
 *   columns have their natural types: values are built straight as ed_values
 *   and the ids' bounds once per 50-event epoch. It produces exactly what the
 *   general per-field path does (tests: golden hashes, column forms).
 */
#include "nexmark.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../common/strbuf.h"

/* --- configuration (Flink Nexmark defaults) ------------------------------ */
#define PROP_PERSON 1
#define PROP_AUCTION 3
#define PROP_TOTAL 50
#define FIRST_PERSON_ID 1000
#define FIRST_AUCTION_ID 1000
#define FIRST_CATEGORY_ID 10
#define NUM_CATEGORIES 5
#define NUM_IN_FLIGHT_AUCTIONS 100
#define NUM_ACTIVE_PEOPLE 1000
#define AUCTION_ID_LEAD 10
#define PERSON_ID_LEAD 10
#define HOT_AUCTION_RATIO 2      /* config: 1/2 of bids go to the hot auction */
#define HOT_BIDDERS_RATIO 4      /* config: 3/4 of bids come from a hot bidder */
#define HOT_SELLERS_RATIO 4      /* config: 3/4 of auctions by a hot seller */
#define HOT_BATCH 100            /* generator: hot key = first of the last 100 */
#define HOT_CHANNELS_RATIO 2
#define CHANNELS_NUMBER 10000
#define AVG_PERSON_BYTES 200
#define AVG_AUCTION_BYTES 500
#define AVG_BID_BYTES 100

#define P10_STEPS 1024
#define POOL_SIZE 65536
#define POOL_SLACK 1024          /* longest slice taken from the pool */

/* --- fields --------------------------------------------------------------- */
enum { K_INT, K_TS, K_STR };

typedef struct field_def {
    const char *name;
    const char *alias1, *alias2;
    int kind;
} field_def;

enum { B_AUCTION, B_BIDDER, B_PRICE, B_CHANNEL, B_URL, B_DATE_TIME, B_EXTRA, B_NFIELDS };
static const field_def bid_fields[B_NFIELDS] = {
    {"auction", NULL, NULL, K_INT},      {"bidder", NULL, NULL, K_INT},
    {"price", NULL, NULL, K_INT},        {"channel", NULL, NULL, K_STR},
    {"url", NULL, NULL, K_STR},          {"date_time", "datetime", "ts", K_TS},
    {"extra", NULL, NULL, K_STR},
};

enum { A_ID, A_ITEM_NAME, A_DESCRIPTION, A_INITIAL_BID, A_RESERVE, A_DATE_TIME, A_EXPIRES, A_SELLER, A_CATEGORY,
       A_EXTRA, A_NFIELDS };
static const field_def auction_fields[A_NFIELDS] = {
    {"id", NULL, NULL, K_INT},          {"item_name", "itemname", NULL, K_STR},
    {"description", NULL, NULL, K_STR}, {"initial_bid", "initialbid", NULL, K_INT},
    {"reserve", NULL, NULL, K_INT},     {"date_time", "datetime", "ts", K_TS},
    {"expires", NULL, NULL, K_TS},      {"seller", NULL, NULL, K_INT},
    {"category", NULL, NULL, K_INT},    {"extra", NULL, NULL, K_STR},
};

enum { P_ID, P_NAME, P_EMAIL, P_CREDIT_CARD, P_CITY, P_STATE, P_DATE_TIME, P_EXTRA, P_NFIELDS };
static const field_def person_fields[P_NFIELDS] = {
    {"id", NULL, NULL, K_INT},           {"name", NULL, NULL, K_STR},
    {"email_address", "emailaddress", NULL, K_STR}, {"credit_card", "creditcard", NULL, K_STR},
    {"city", NULL, NULL, K_STR},         {"state", NULL, NULL, K_STR},
    {"date_time", "datetime", "ts", K_TS}, {"extra", NULL, NULL, K_STR},
};

static const field_def *table_fields(ed_nx_table t, int *n)
{
    switch (t) {
    case ED_NX_PERSON: *n = P_NFIELDS; return person_fields;
    case ED_NX_AUCTION: *n = A_NFIELDS; return auction_fields;
    default: *n = B_NFIELDS; return bid_fields;
    }
}

static const char *const first_names[] = {"Peter", "Paul",  "Luke",   "John",   "Saul",  "Vicky",
                                          "Kate",  "Julie", "Sarah",  "Deiter", "Walter"};
static const char *const last_names[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                         "Walton", "Smith",  "Jones",   "Noris"};
static const char *const us_states[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
static const char *const us_cities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland",
                                        "Bend",    "Redmond",     "Seattle",       "Kent",  "Cheyenne"};
static const char *const hot_channels[] = {"Google", "Facebook", "Baidu", "Apple"};
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* --- randomness ------------------------------------------------------------ */
static inline uint64_t mix64(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rnext(rng *r)
{
    r->s += UINT64_C(0x9e3779b97f4a7c15);
    uint64_t z = r->s;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* uniform in [0, k), k < 2^32 (multiply-shift; the bias is < 2^-32) */
static inline int64_t rint_(rng *r, uint32_t k)
{
    return (int64_t)(((rnext(r) >> 32) * (uint64_t)k) >> 32);
}

static inline int64_t rlong(rng *r, int64_t k)
{
    return k <= 0 ? 0 : (int64_t)(rnext(r) % (uint64_t)k);
}

static inline double runit(rng *r)
{
    return (double)(rnext(r) >> 11) * 0x1p-53;
}

/* the random stream of field f of event n */
static inline rng field_rng(uint64_t evseed, int f)
{
    rng r = {evseed + (uint64_t)(f + 1) * UINT64_C(0x632be59bd9b4e019)};
    return r;
}

/* --- generator -------------------------------------------------------------- */
struct ed_nexmark_gen {
    uint64_t seed;
    int64_t rate;           /* events/s used for event time (never 0) */
    int64_t max_events;     /* < 0: unlimited */
    int64_t next;           /* next event number of the shared sequence */
    char *pool;             /* POOL_SIZE + POOL_SLACK random characters */
    /* column map cache: column -> field id (-1 none) for (schema, table) */
    const ed_schema *map_schema;
    int map_ncols;
    int map_table;
    int8_t *map;
    int map_natural;        /* every mapped column has its field's natural type */
    /* channel cache (built on first use) */
    char *chan_buf;
    uint32_t *chan_off;     /* 2 * CHANNELS_NUMBER + 1 offsets: channel, url, ... */
    uint64_t seed_mix;      /* mix64(seed), the base of per-event streams */
    uint32_t hot_chan_len[4];
    char hot_urls[4][96];
    double p10[P10_STEPS + 1];   /* 10^(j / P10_STEPS) */
    uint32_t hot_url_len[4];
};

static void fill_nexmark_string(rng *r, char *out, int n, char special)
{
    for (int i = 0; i < n; i++) out[i] = rint_(r, 13) == 0 ? special : (char)('a' + rint_(r, 26));
}

/* nextString(maxLength, special): 3 .. maxLength-1 characters */
static int next_string(rng *r, char *out, int max_len, char special)
{
    int n = 3 + (int)rint_(r, (uint32_t)(max_len - 3));
    fill_nexmark_string(r, out, n, special);
    return n;
}

/* Flink's getBaseUrl() */
static int base_url(rng *r, char *out)
{
    int n = 0;
    memcpy(out, "https://www.nexmark.com/", 24);
    n = 24;
    for (int k = 0; k < 3; k++) {
        n += next_string(r, out + n, 5, '_');
        out[n++] = '/';
    }
    memcpy(out + n, "item.htm?query=1", 16);
    return n + 16;
}

ed_nexmark_gen *ed_nexmark_gen_new(uint64_t seed, int64_t rate_per_sec, int64_t max_events)
{
    ed_nexmark_gen *g = ed_xcalloc(1, sizeof *g);
    g->seed = seed;
    g->rate = rate_per_sec > 0 ? rate_per_sec : ED_NX_DEFAULT_RATE;
    g->max_events = max_events;
    g->pool = ed_xmalloc(POOL_SIZE + POOL_SLACK);
    rng r = {mix64(seed ^ UINT64_C(0x6e65786d61726b))};
    fill_nexmark_string(&r, g->pool, POOL_SIZE + POOL_SLACK, ' ');
    for (int i = 0; i < 4; i++) g->hot_url_len[i] = (uint32_t)base_url(&r, g->hot_urls[i]);
    g->map_table = -1;
    g->seed_mix = mix64(seed);
    for (int i = 0; i < 4; i++) g->hot_chan_len[i] = (uint32_t)strlen(hot_channels[i]);
    for (int j = 0; j <= P10_STEPS; j++) g->p10[j] = pow(10.0, (double)j / P10_STEPS);
    g->p10[P10_STEPS] = 10.0;
    return g;
}

void ed_nexmark_gen_free(ed_nexmark_gen *g)
{
    if (!g) return;
    free(g->pool);
    free(g->map);
    free(g->chan_buf);
    free(g->chan_off);
    free(g);
}

int64_t ed_nexmark_gen_events(const ed_nexmark_gen *g)
{
    return g->next;
}

void ed_nexmark_gen_seek(ed_nexmark_gen *g, int64_t n)
{
    g->next = n < 0 ? 0 : n;
}

/* decimal digits of v at out; returns the length */
static int put_u64(char *out, uint64_t v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

static uint32_t reverse32(uint32_t v)
{
    v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
    v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
    v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
    v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
    return (v >> 16) | (v << 16);
}

static void build_channels(ed_nexmark_gen *g)
{
    g->chan_buf = ed_xmalloc((size_t)CHANNELS_NUMBER * 128);
    g->chan_off = ed_xmalloc(sizeof(uint32_t) * (2 * CHANNELS_NUMBER + 1));
    uint32_t off = 0;
    for (int c = 0; c < CHANNELS_NUMBER; c++) {
        rng r = {mix64(g->seed ^ mix64((uint64_t)c + UINT64_C(0x636861)))};
        char *o = g->chan_buf + off;
        g->chan_off[2 * c] = off;
        memcpy(o, "channel-", 8);
        off += 8 + (uint32_t)put_u64(o + 8, (uint64_t)c);
        g->chan_off[2 * c + 1] = off;
        off += (uint32_t)base_url(&r, g->chan_buf + off);
        if (rint_(&r, 10) > 0) {
            /* Math.abs(Integer.reverse(channelNumber)) */
            int64_t a = (int32_t)reverse32((uint32_t)c);
            if (a < 0) a = -a;
            memcpy(g->chan_buf + off, "&channel_id=", 12);
            off += 12 + (uint32_t)put_u64(g->chan_buf + off + 12, (uint64_t)a);
        }
    }
    g->chan_off[2 * CHANNELS_NUMBER] = off;
}

/* --- the id model ------------------------------------------------------------ */
static inline int64_t event_ts(const ed_nexmark_gen *g, int64_t n)
{
    return ED_NX_BASE_MS + n * 1000 / g->rate;
}

static inline int64_t last_base0_person(int64_t n)
{
    int64_t epoch = n / PROP_TOTAL, off = n % PROP_TOTAL;
    if (off >= PROP_PERSON) off = PROP_PERSON - 1;
    return epoch * PROP_PERSON + off;
}

static inline int64_t last_base0_auction(int64_t n)
{
    int64_t epoch = n / PROP_TOTAL, off = n % PROP_TOTAL;
    if (off < PROP_PERSON) {
        epoch--;
        off = PROP_AUCTION - 1;
    } else if (off >= PROP_PERSON + PROP_AUCTION) {
        off = PROP_AUCTION - 1;
    } else {
        off -= PROP_PERSON;
    }
    return epoch * PROP_AUCTION + off;
}

static inline int64_t next_base0_person(int64_t n, rng *r)
{
    int64_t num = last_base0_person(n) + 1;
    int64_t active = num < NUM_ACTIVE_PEOPLE ? num : NUM_ACTIVE_PEOPLE;
    return num - active + rint_(r, (uint32_t)(active + PERSON_ID_LEAD));
}

/* Nexmark's price: round(10^U[0,6) * 100) cents. 10^x by table and linear
 * interpolation (relative error < 1e-6, below the rounding to cents for
 * most prices) because pow() alone cost 20 ns per bid. */
static const double p10_decade[6] = {1, 10, 100, 1000, 10000, 100000};

static inline int64_t next_price(const ed_nexmark_gen *g, rng *r)
{
    const double *p10_tab = g->p10;
    double x = runit(r) * (6.0 * P10_STEPS);
    int idx = (int)x;
    double frac = x - idx;
    int k = idx / P10_STEPS, j = idx % P10_STEPS;
    double v = p10_decade[k] * (p10_tab[j] + (p10_tab[j + 1] - p10_tab[j]) * frac);
    return (int64_t)(v * 100.0 + 0.5);
}

/* Nexmark's nextExtra: pad to the average size, +-20 % */
static inline int extra_len(rng *r, int current, int avg)
{
    if (current > avg) return 0;
    int want = avg - current;
    int delta = (int)lround(want * 0.2);
    return want - delta + (delta ? (int)rint_(r, (uint32_t)(2 * delta)) : 0);
}

/* the start of a pool slice (slices are at most POOL_SLACK bytes long) */
static inline const char *pool_slice(const ed_nexmark_gen *g, rng *r)
{
    return g->pool + rint_(r, POOL_SIZE);
}

ed_nx_table ed_nx_event_table(int64_t n)
{
    int64_t off = n % PROP_TOTAL;
    return off < PROP_PERSON ? ED_NX_PERSON : off < PROP_PERSON + PROP_AUCTION ? ED_NX_AUCTION : ED_NX_BID;
}

/* --- column mapping -------------------------------------------------------- */
static int name_is(const char *col, const field_def *f)
{
    return strcmp(col, f->name) == 0 || (f->alias1 && strcmp(col, f->alias1) == 0) ||
           (f->alias2 && strcmp(col, f->alias2) == 0);
}

static void build_map(ed_nexmark_gen *g, ed_nx_table t, const ed_schema *s)
{
    int nf;
    const field_def *fd = table_fields(t, &nf);
    free(g->map);
    g->map = ed_xmalloc((size_t)(s->ncols ? s->ncols : 1));
    for (int c = 0; c < s->ncols; c++) {
        g->map[c] = -1;
        for (int f = 0; f < nf; f++) {
            if (!name_is(s->cols[c].name, &fd[f])) continue;
            ed_type ty = s->cols[c].type;
            int ok = (fd[f].kind == K_STR && ty == ED_VARCHAR) ||
                     (fd[f].kind != K_STR && (ty == ED_BIGINT || ty == ED_DOUBLE || ty == ED_TIMESTAMP));
            if (ok) g->map[c] = (int8_t)f;
            break;
        }
    }
    g->map_natural = 1;
    for (int c = 0; c < s->ncols; c++) {
        if (g->map[c] < 0) continue;
        int k = fd[g->map[c]].kind;
        ed_type ty = s->cols[c].type;
        if (!(k == K_STR ? ty == ED_VARCHAR : k == K_TS ? ty == ED_TIMESTAMP : ty == ED_BIGINT)) g->map_natural = 0;
    }
    g->map_schema = s;
    g->map_ncols = s->ncols;
    g->map_table = (int)t;
}

/* per-event field values before conversion to the column types */
typedef struct fval {
    int64_t i;
    const char *s;
    uint32_t len;
    int is_str;
} fval;

static inline ed_value to_value(const fval *v, ed_type ty)
{
    if (v->is_str) return ed_v_str(v->s, v->len);
    switch (ty) {
    case ED_DOUBLE: return ed_v_double((double)v->i);
    case ED_TIMESTAMP: return ed_v_ts(v->i);
    default: return ed_v_int(v->i);
    }
}

/* --- the three event types ------------------------------------------------ */
/* A bid takes its randomness from three 64-bit words of its event's stream,
 * cut into bit fields (decisions, channel, extra) — a third of the cost of
 * one draw per decision, and still independent of the columns wanted.
 *   w0: [0] hot auction?  [1..2] hot bidder? (!= 0)  [3] hot channel?
 *       [4..5] hot channel index  [8..31] extra length  [32..63] channel no.
 *   w1: price (top 53 bits)
 *   w2: [0..31] auction choice  [32..63] bidder choice
 *   w3: extra offset (drawn only when `extra` is wanted) */
static inline int64_t pick(uint32_t bits, uint32_t k)
{
    return (int64_t)(((uint64_t)bits * k) >> 32);
}

static void gen_bid(ed_nexmark_gen *g, int64_t n, const uint8_t *want, fval *out)
{
    rng r = {mix64(g->seed_mix + (uint64_t)n * UINT64_C(0xd1342543de82ef95))};
    uint64_t w0 = rnext(&r), w2 = rnext(&r);
    int64_t auction;
    if (w0 & 1) {
        auction = (last_base0_auction(n) / HOT_BATCH) * HOT_BATCH;
    } else {
        int64_t maxa = last_base0_auction(n);
        int64_t mina = maxa - NUM_IN_FLIGHT_AUCTIONS > 0 ? maxa - NUM_IN_FLIGHT_AUCTIONS : 0;
        auction = mina + pick((uint32_t)w2, (uint32_t)(maxa - mina + 1 + AUCTION_ID_LEAD));
    }
    out[B_AUCTION].i = auction + FIRST_AUCTION_ID;
    int64_t bidder;
    if ((w0 >> 1) & 3) {
        bidder = (last_base0_person(n) / HOT_BATCH) * HOT_BATCH + 1;
    } else {
        int64_t num = last_base0_person(n) + 1;
        int64_t active = num < NUM_ACTIVE_PEOPLE ? num : NUM_ACTIVE_PEOPLE;
        bidder = num - active + pick((uint32_t)(w2 >> 32), (uint32_t)(active + PERSON_ID_LEAD));
    }
    out[B_BIDDER].i = bidder + FIRST_PERSON_ID;
    if (want[B_PRICE]) {
        uint64_t w1 = rnext(&r);
        double x = (double)(w1 >> 11) * 0x1p-53 * (6.0 * P10_STEPS);
        int idx = (int)x;
        double frac = x - idx;
        int k = idx / P10_STEPS, j = idx % P10_STEPS;
        out[B_PRICE].i = (int64_t)(p10_decade[k] * (g->p10[j] + (g->p10[j + 1] - g->p10[j]) * frac) * 100.0 + 0.5);
    } else {
        rnext(&r);
    }
    if (want[B_CHANNEL] || want[B_URL]) {
        if ((w0 >> 3) & 1) {
            int i = (int)((w0 >> 4) & 3);
            out[B_CHANNEL].s = hot_channels[i];
            out[B_CHANNEL].len = g->hot_chan_len[i];
            out[B_URL].s = g->hot_urls[i];
            out[B_URL].len = g->hot_url_len[i];
        } else {
            if (!g->chan_buf) build_channels(g);
            int c = (int)pick((uint32_t)(w0 >> 32), CHANNELS_NUMBER);
            const uint32_t *o = g->chan_off + 2 * c;
            out[B_CHANNEL].s = g->chan_buf + o[0];
            out[B_CHANNEL].len = o[1] - o[0];
            out[B_URL].s = g->chan_buf + o[1];
            out[B_URL].len = o[2] - o[1];
        }
    }
    out[B_DATE_TIME].i = event_ts(g, n);
    if (want[B_EXTRA]) {
        /* nextExtra for a 32-byte bid padded to 100: 68 +- 20 % */
        const int want_len = AVG_BID_BYTES - 32, delta = (want_len + 2) / 5;
        int len = want_len - delta + (int)pick((uint32_t)(w0 >> 8) << 8, (uint32_t)(2 * delta));
        out[B_EXTRA].s = g->pool + pick((uint32_t)rnext(&r), POOL_SIZE);
        out[B_EXTRA].len = (uint32_t)len;
    }
}

static void gen_auction(ed_nexmark_gen *g, int64_t n, const uint8_t *want, fval *out)
{
    uint64_t es = mix64(g->seed ^ mix64((uint64_t)n));
    int64_t ts = event_ts(g, n);
    out[A_ID].i = last_base0_auction(n) + FIRST_AUCTION_ID;
    rng r = field_rng(es, A_SELLER);
    int64_t seller = rint_(&r, HOT_SELLERS_RATIO) > 0 ? (last_base0_person(n) / HOT_BATCH) * HOT_BATCH
                                                        : next_base0_person(n, &r);
    out[A_SELLER].i = seller + FIRST_PERSON_ID;
    r = field_rng(es, A_CATEGORY);
    out[A_CATEGORY].i = FIRST_CATEGORY_ID + rint_(&r, NUM_CATEGORIES);
    r = field_rng(es, A_INITIAL_BID);
    out[A_INITIAL_BID].i = next_price(g, &r);
    r = field_rng(es, A_RESERVE);
    out[A_RESERVE].i = out[A_INITIAL_BID].i + next_price(g, &r);
    out[A_DATE_TIME].i = ts;
    /* nextAuctionLengthMs: up to twice the time until ~numInFlightAuctions
     * more auctions have been generated */
    r = field_rng(es, A_EXPIRES);
    int64_t horizon = event_ts(g, n + (int64_t)NUM_IN_FLIGHT_AUCTIONS * PROP_TOTAL / PROP_AUCTION) - ts;
    out[A_EXPIRES].i = ts + 1 + rlong(&r, horizon * 2 > 1 ? horizon * 2 : 1);
    r = field_rng(es, A_ITEM_NAME);
    int nl = 3 + (int)rint_(&r, 20 - 3);
    out[A_ITEM_NAME].s = pool_slice(g, &r);
    out[A_ITEM_NAME].len = (uint32_t)nl;
    r = field_rng(es, A_DESCRIPTION);
    int dl = 3 + (int)rint_(&r, 100 - 3);
    out[A_DESCRIPTION].s = pool_slice(g, &r);
    out[A_DESCRIPTION].len = (uint32_t)dl;
    if (want[A_EXTRA]) {
        r = field_rng(es, A_EXTRA);
        int len = extra_len(&r, 8 + nl + dl + 8 + 8 + 8 + 8 + 8, AVG_AUCTION_BYTES);
        out[A_EXTRA].s = pool_slice(g, &r);
        out[A_EXTRA].len = (uint32_t)len;
    }
}

static void gen_person(ed_nexmark_gen *g, int64_t n, const uint8_t *want, fval *out, ed_arena *a)
{
    uint64_t es = mix64(g->seed ^ mix64((uint64_t)n));
    out[P_ID].i = last_base0_person(n) + FIRST_PERSON_ID;
    out[P_DATE_TIME].i = event_ts(g, n);
    rng r = field_rng(es, P_NAME);
    const char *fn = first_names[rint_(&r, NELEM(first_names))];
    const char *ln = last_names[rint_(&r, NELEM(last_names))];
    size_t fl = strlen(fn), ll = strlen(ln);
    char *name = ed_arena_alloc(a, fl + ll + 2);
    memcpy(name, fn, fl);
    name[fl] = ' ';
    memcpy(name + fl + 1, ln, ll);
    out[P_NAME] = (fval){0, name, (uint32_t)(fl + 1 + ll), 1};
    r = field_rng(es, P_EMAIL);
    char *email = ed_arena_alloc(a, 16);
    int el = next_string(&r, email, 7, ' ');
    email[el++] = '@';
    el += next_string(&r, email + el, 5, ' ');
    memcpy(email + el, ".com", 4);
    el += 4;
    out[P_EMAIL] = (fval){0, email, (uint32_t)el, 1};
    r = field_rng(es, P_CREDIT_CARD);
    char *cc = ed_arena_alloc(a, 20);
    for (int k = 0; k < 4; k++) {
        int v = (int)rint_(&r, 10000);
        for (int d = 3; d >= 0; d--) {
            cc[k * 5 + d] = (char)('0' + v % 10);
            v /= 10;
        }
        if (k < 3) cc[k * 5 + 4] = ' ';
    }
    out[P_CREDIT_CARD] = (fval){0, cc, 19, 1};
    r = field_rng(es, P_CITY);
    const char *city = us_cities[rint_(&r, NELEM(us_cities))];
    out[P_CITY] = (fval){0, city, (uint32_t)strlen(city), 1};
    r = field_rng(es, P_STATE);
    const char *st = us_states[rint_(&r, NELEM(us_states))];
    out[P_STATE] = (fval){0, st, (uint32_t)strlen(st), 1};
    if (want[P_EXTRA]) {
        r = field_rng(es, P_EXTRA);
        int cur = 8 + (int)out[P_NAME].len + el + 19 + (int)out[P_CITY].len + (int)out[P_STATE].len;
        int len = extra_len(&r, cur, AVG_PERSON_BYTES);
        out[P_EXTRA].s = pool_slice(g, &r);
        out[P_EXTRA].len = (uint32_t)len;
    }
}

/* Bids when every mapped column has its natural type (the usual case): the
 * same values as gen_bid + to_value (the tests compare the two), but built
 * straight as ed_values, with the id bounds that only change once per epoch
 * of PROP_TOTAL events computed once per epoch, and no per-event dispatch. */
static int fill_bids(ed_nexmark_gen *g, const ed_schema *s, ed_batch *b, int max_rows, const uint8_t *want)
{
    const int ncols = s->ncols;
    const int8_t *map = g->map;
    const int64_t limit = g->max_events;
    const int want_price = want[B_PRICE], want_chan = want[B_CHANNEL] || want[B_URL], want_extra = want[B_EXTRA];
    if (want_chan && !g->chan_buf) build_channels(g);
    int64_t n = g->next, epoch = n / PROP_TOTAL;
    int off = (int)(n - epoch * PROP_TOTAL);
    if (off < PROP_PERSON + PROP_AUCTION) off = PROP_PERSON + PROP_AUCTION;
    n = epoch * PROP_TOTAL + off;
    ed_value ev[B_NFIELDS];
    ev[B_AUCTION] = ed_v_int(0);
    ev[B_BIDDER] = ed_v_int(0);
    ev[B_PRICE] = ed_v_int(0);
    ev[B_CHANNEL] = ed_v_str(NULL, 0);
    ev[B_URL] = ed_v_str(NULL, 0);
    ev[B_DATE_TIME] = ed_v_ts(0);
    ev[B_EXTRA] = ed_v_str(NULL, 0);
    int identity = ncols == B_NFIELDS;
    for (int c = 0; c < ncols && identity; c++) identity = map[c] == c;
    /* rows are added in chunks (NULL-filled); unused ones are dropped at the end */
    enum { CHUNK = 16 };
    ed_value *row = NULL;
    int avail = 0, produced = 0;
    while (produced < max_rows) {
        /* per epoch: lastBase0AuctionId / PersonId of its bids, hot keys and
         * the ranges of the random choices */
        const int64_t la = epoch * PROP_AUCTION + PROP_AUCTION - 1, lp = epoch * PROP_PERSON + PROP_PERSON - 1;
        const int64_t hot_a = (la / HOT_BATCH) * HOT_BATCH + FIRST_AUCTION_ID;
        const int64_t min_a = (la - NUM_IN_FLIGHT_AUCTIONS > 0 ? la - NUM_IN_FLIGHT_AUCTIONS : 0) + FIRST_AUCTION_ID;
        const uint32_t range_a = (uint32_t)(la - (min_a - FIRST_AUCTION_ID) + 1 + AUCTION_ID_LEAD);
        const int64_t hot_b = (lp / HOT_BATCH) * HOT_BATCH + 1 + FIRST_PERSON_ID;
        const int64_t active = lp + 1 < NUM_ACTIVE_PEOPLE ? lp + 1 : NUM_ACTIVE_PEOPLE;
        const int64_t min_b = lp + 1 - active + FIRST_PERSON_ID;
        const uint32_t range_b = (uint32_t)(active + PERSON_ID_LEAD);
        for (; off < PROP_TOTAL && produced < max_rows; off++, n++) {
            if (limit >= 0 && n >= limit) {
                if (limit > g->next) g->next = limit;
                b->nrows -= avail;
                return produced;
            }
            g->next = n + 1;
            rng r = {mix64(g->seed_mix + (uint64_t)n * UINT64_C(0xd1342543de82ef95))};
            uint64_t w0 = rnext(&r), w2 = rnext(&r), w1 = rnext(&r);
            ev[B_AUCTION].u.i = (w0 & 1) ? hot_a : min_a + pick((uint32_t)w2, range_a);
            ev[B_BIDDER].u.i = ((w0 >> 1) & 3) ? hot_b : min_b + pick((uint32_t)(w2 >> 32), range_b);
            if (want_price) {
                double x = (double)(w1 >> 11) * 0x1p-53 * (6.0 * P10_STEPS);
                unsigned idx = (unsigned)x;
                double frac = x - idx;
                unsigned k = idx / P10_STEPS, j = idx % P10_STEPS;
                ev[B_PRICE].u.i =
                    (int64_t)(p10_decade[k] * (g->p10[j] + (g->p10[j + 1] - g->p10[j]) * frac) * 100.0 + 0.5);
            }
            if (want_chan) {
                if ((w0 >> 3) & 1) {
                    int i = (int)((w0 >> 4) & 3);
                    ev[B_CHANNEL].u.s = hot_channels[i];
                    ev[B_CHANNEL].len = g->hot_chan_len[i];
                    ev[B_URL].u.s = g->hot_urls[i];
                    ev[B_URL].len = g->hot_url_len[i];
                } else {
                    const uint32_t *o = g->chan_off + 2 * pick((uint32_t)(w0 >> 32), CHANNELS_NUMBER);
                    ev[B_CHANNEL].u.s = g->chan_buf + o[0];
                    ev[B_CHANNEL].len = o[1] - o[0];
                    ev[B_URL].u.s = g->chan_buf + o[1];
                    ev[B_URL].len = o[2] - o[1];
                }
            }
            ev[B_DATE_TIME].u.i = event_ts(g, n);
            if (want_extra) {
                const int want_len = AVG_BID_BYTES - 32, delta = (want_len + 2) / 5;
                ev[B_EXTRA].len = (uint32_t)(want_len - delta + (int)pick((uint32_t)(w0 >> 8) << 8, (uint32_t)(2 * delta)));
                ev[B_EXTRA].u.s = g->pool + pick((uint32_t)rnext(&r), POOL_SIZE);
            }
            if (!avail) {
                avail = max_rows - produced < CHUNK ? max_rows - produced : CHUNK;
                row = ed_batch_add_rows(b, avail, 0);
            }
            if (identity) {
                memcpy(row, ev, sizeof ev);
            } else {
                for (int c = 0; c < ncols; c++) {
                    int f = map[c];
                    if (f >= 0) row[c] = ev[f];
                }
            }
            row += ncols;
            avail--;
            produced++;
        }
        if (off == PROP_TOTAL) {
            epoch++;
            off = PROP_PERSON + PROP_AUCTION;
            n = epoch * PROP_TOTAL + off;
        }
    }
    b->nrows -= avail;
    return produced;
}

int ed_nexmark_gen_fill(ed_nexmark_gen *g, ed_nx_table table, const ed_schema *s, ed_batch *b, int max_rows)
{
    if (g->map_schema != s || g->map_ncols != s->ncols || g->map_table != (int)table) build_map(g, table, s);
    int nf;
    const field_def *fd = table_fields(table, &nf);
    uint8_t want[16] = {0};
    for (int c = 0; c < s->ncols; c++)
        if (g->map[c] >= 0) want[g->map[c]] = 1;
    if (table == ED_NX_BID && g->map_natural) return fill_bids(g, s, b, max_rows, want);
    fval fv[16];
    for (int f = 0; f < nf; f++) fv[f] = (fval){0, NULL, 0, fd[f].kind == K_STR};
    int produced = 0;
    while (produced < max_rows) {
        int64_t n = g->next;
        /* jump to the next event of this table */
        int64_t off = n % PROP_TOTAL, base = n - off;
        if (table == ED_NX_PERSON) {
            if (off >= PROP_PERSON) n = base + PROP_TOTAL;
        } else if (table == ED_NX_AUCTION) {
            if (off < PROP_PERSON) n = base + PROP_PERSON;
            else if (off >= PROP_PERSON + PROP_AUCTION) n = base + PROP_TOTAL + PROP_PERSON;
        } else if (off < PROP_PERSON + PROP_AUCTION) {
            n = base + PROP_PERSON + PROP_AUCTION;
        }
        if (g->max_events >= 0 && n >= g->max_events) {
            g->next = g->max_events > g->next ? g->max_events : g->next;
            break;
        }
        g->next = n + 1;
        switch (table) {
        case ED_NX_PERSON: gen_person(g, n, want, fv, &b->arena); break;
        case ED_NX_AUCTION: gen_auction(g, n, want, fv); break;
        default: gen_bid(g, n, want, fv); break;
        }
        ed_value *row = ed_batch_add_row(b, 0);
        for (int c = 0; c < s->ncols; c++) {
            int f = g->map[c];
            if (f >= 0) row[c] = to_value(&fv[f], s->cols[c].type);
        }
        produced++;
    }
    return produced;
}

/* --- names, schemas, JSON ---------------------------------------------------- */
int ed_nx_table_parse(const char *name)
{
    if (!name) return -1;
    if (!strcmp(name, "bid") || !strcmp(name, "bids")) return ED_NX_BID;
    if (!strcmp(name, "auction") || !strcmp(name, "auctions")) return ED_NX_AUCTION;
    if (!strcmp(name, "person") || !strcmp(name, "persons") || !strcmp(name, "people")) return ED_NX_PERSON;
    return -1;
}

const char *ed_nx_table_name(ed_nx_table t)
{
    return t == ED_NX_PERSON ? "person" : t == ED_NX_AUCTION ? "auction" : "bid";
}

static ed_column bid_cols[B_NFIELDS], auction_cols[A_NFIELDS], person_cols[P_NFIELDS];
static ed_schema nx_schemas[3];

const ed_schema *ed_nx_schema(ed_nx_table t)
{
    /* built from the field tables; idempotent, so a race would only rewrite
     * identical values */
    int nf;
    const field_def *fd = table_fields(t, &nf);
    ed_column *cols = t == ED_NX_PERSON ? person_cols : t == ED_NX_AUCTION ? auction_cols : bid_cols;
    for (int f = 0; f < nf; f++) {
        cols[f].name = (char *)fd[f].name;
        cols[f].type = fd[f].kind == K_STR ? ED_VARCHAR : fd[f].kind == K_TS ? ED_TIMESTAMP : ED_BIGINT;
    }
    nx_schemas[t].ncols = nf;
    nx_schemas[t].cols = cols;
    return &nx_schemas[t];
}

int64_t ed_nexmark_write_json(FILE *out, ed_nx_table table, uint64_t seed, int64_t events, int64_t rate)
{
    const ed_schema *s = ed_nx_schema(table);
    ed_nexmark_gen *g = ed_nexmark_gen_new(seed, rate, events);
    ed_batch b;
    ed_batch_init(&b, s->ncols);
    ed_sb sb = ED_SB_INIT;
    int64_t lines = 0;
    int rc = 0;
    for (;;) {
        ed_batch_clear(&b);
        int n = ed_nexmark_gen_fill(g, table, s, &b, 1024);
        if (n == 0) break;
        ed_sb_clear(&sb);
        for (int r = 0; r < n; r++) {
            const ed_value *row = b.vals + (size_t)r * (size_t)s->ncols;
            ed_sb_putc(&sb, '{');
            for (int c = 0; c < s->ncols; c++) {
                if (c) ed_sb_putc(&sb, ',');
                ed_sb_json_str(&sb, s->cols[c].name, strlen(s->cols[c].name));
                ed_sb_putc(&sb, ':');
                ed_value_json(&sb, &row[c]);
            }
            ed_sb_puts(&sb, "}\n");
        }
        if (fwrite(sb.buf, 1, sb.len, out) != sb.len) {
            rc = -1;
            break;
        }
        lines += n;
    }
    ed_sb_free(&sb);
    ed_batch_free(&b);
    ed_nexmark_gen_free(g);
    if (rc == 0 && fflush(out) != 0) rc = -1;
    return rc < 0 ? -1 : lines;
}
