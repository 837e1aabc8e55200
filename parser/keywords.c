/* keywords.c — the one keyword list of the language. The lexer, the
 * expected-token messages, ed_keyword_at() (docs, shell completion) and the
 * consistency test all read this table, so a keyword exists in one place. */
#include "lexer.h"
#include "parser.h"
#include <strings.h>

static const ed_keyword KEYWORDS[] = {
    {"ADVANCE", TK_ADVANCE, 0},
    {"AND", TK_AND, 0},
    {"AS", TK_AS, 0},
    {"BETWEEN", TK_BETWEEN, 0},
    {"BY", TK_BY, 0},
    {"CASE", TK_CASE, 0},
    {"CAST", TK_CAST, 0},
    {"CREATE", TK_CREATE, 0},
    {"DESCRIBE", TK_DESCRIBE, 0},
    {"DISTINCT", TK_DISTINCT, 0},
    {"DROP", TK_DROP, 0},
    {"ELSE", TK_ELSE, 0},
    {"END", TK_END, 0},
    {"ESCAPE", TK_ESCAPE, 0},
    {"EXISTS", TK_EXISTS, 0},
    {"EXPLAIN", TK_EXPLAIN, 0},
    {"FALSE", TK_FALSE, 0},
    {"FOR", TK_FOR, 0},
    {"FROM", TK_FROM, 0},
    {"FUNCTIONS", TK_FUNCTIONS, 0},
    {"GROUP", TK_GROUP, 0},
    {"HAVING", TK_HAVING, 0},
    {"HOPPING", TK_HOPPING, 0},
    {"IF", TK_IF, 0},
    {"IN", TK_IN, 0},
    {"INSERT", TK_INSERT, 0},
    {"INTERVAL", TK_INTERVAL, 0},
    {"INTO", TK_INTO, 0},
    {"IS", TK_IS, 0},
    {"LIKE", TK_LIKE, 0},
    {"NOT", TK_NOT, 0},
    {"NULL", TK_NULL, 0},
    {"OR", TK_OR, 0},
    {"PRECISION", TK_PRECISION, 0},
    {"QUERIES", TK_QUERIES, 0},
    {"QUERY", TK_QUERY, 0},
    {"REPLACE", TK_REPLACE, 0},
    {"SELECT", TK_SELECT, 0},
    {"SHOW", TK_SHOW, 0},
    {"SINK", TK_SINK, 0},
    {"SINKS", TK_SINKS, 0},
    {"SIZE", TK_SIZE, 0},
    {"STREAM", TK_STREAM, 0},
    {"STREAMS", TK_STREAMS, 0},
    {"THEN", TK_THEN, 0},
    {"TIMESTAMP", TK_TIMESTAMP, 0},
    {"TRUE", TK_TRUE, 0},
    {"TUMBLING", TK_TUMBLING, 0},
    {"WATERMARK", TK_WATERMARK, 0},
    {"WHEN", TK_WHEN, 0},
    {"WHERE", TK_WHERE, 0},
    {"WINDOW", TK_WINDOW, 0},
    {"WITH", TK_WITH, 0},
    /* Type names: one token, the ed_type in extra. */
    {"BIGINT", TK_TYPE, ED_BIGINT},
    {"BOOL", TK_TYPE, ED_BOOL},
    {"BOOLEAN", TK_TYPE, ED_BOOL},
    {"DOUBLE", TK_TYPE, ED_DOUBLE},
    {"FLOAT", TK_TYPE, ED_DOUBLE},
    {"INT", TK_TYPE, ED_BIGINT},
    {"INTEGER", TK_TYPE, ED_BIGINT},
    {"REAL", TK_TYPE, ED_DOUBLE},
    {"STRING", TK_TYPE, ED_VARCHAR},
    {"TEXT", TK_TYPE, ED_VARCHAR},
    {"VARCHAR", TK_TYPE, ED_VARCHAR},
    /* Time units: one token, milliseconds per unit in extra. */
    {"DAY", TK_UNIT, 86400000},
    {"DAYS", TK_UNIT, 86400000},
    {"HOUR", TK_UNIT, 3600000},
    {"HOURS", TK_UNIT, 3600000},
    {"MILLISECOND", TK_UNIT, 1},
    {"MILLISECONDS", TK_UNIT, 1},
    {"MINUTE", TK_UNIT, 60000},
    {"MINUTES", TK_UNIT, 60000},
    {"SECOND", TK_UNIT, 1000},
    {"SECONDS", TK_UNIT, 1000},
};

#define NKEYWORDS ((int)(sizeof KEYWORDS / sizeof KEYWORDS[0]))

const ed_keyword *ed_keyword_find(const char *p, size_t n)
{
    if (n < 2 || n > 12) /* shortest "AS", longest "MILLISECONDS" */
        return NULL;
    for (int i = 0; i < NKEYWORDS; i++) {
        const char *k = KEYWORDS[i].name;
        if (strncasecmp(k, p, n) == 0 && k[n] == '\0')
            return &KEYWORDS[i];
    }
    return NULL;
}

int ed_keyword_count(void) { return NKEYWORDS; }

const ed_keyword *ed_keyword_entry(int i) { return i >= 0 && i < NKEYWORDS ? &KEYWORDS[i] : NULL; }

const char *ed_keyword_at(int i) { return i >= 0 && i < NKEYWORDS ? KEYWORDS[i].name : NULL; }
