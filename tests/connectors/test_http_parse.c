/* test_http_parse.c — the pure HTTP request parser: complete requests,
 * "need more" at every split point, bodies, limits and malformed input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connectors/http.h"

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static long parse(const char *s, size_t max, ed_http_parsed *p) { return ed_http_parse(s, strlen(s), max, p); }

int main(void)
{
    ed_http_parsed p;
    const char *r1 = "POST /api/v1/statements?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-Y:  v w \r\n\r\nhelloEXTRA";
    size_t full = strlen(r1) - 5;
    CHECK(parse(r1, 1 << 20, &p) == (long)full);
    CHECK(strcmp(p.method, "POST") == 0 && strcmp(p.target, "/api/v1/statements?x=1") == 0);
    CHECK(p.nhdr == 3 && strcmp(p.hdr_names[2], "X-Y") == 0 && strcmp(p.hdr_values[2], "v w") == 0);
    CHECK(p.body_len == 5 && memcmp(r1 + p.body_off, "hello", 5) == 0);
    ed_http_parsed_free(&p);
    for (size_t cut = 0; cut < full; cut++) {
        CHECK(ed_http_parse(r1, cut, 1 << 20, &p) == 0);
        ed_http_parsed_free(&p);
    }
    CHECK(parse("GET / HTTP/1.0\r\n\r\n", 10, &p) == 18 && p.nhdr == 0 && p.body_len == 0);
    ed_http_parsed_free(&p);
    CHECK(parse("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 10, &p) == -413);
    CHECK(parse("GET / HTTP/2.0\r\n\r\n", 10, &p) == -505);
    CHECK(parse("GET /\r\n\r\n", 10, &p) == -400);
    CHECK(parse("get / HTTP/1.1\r\n\r\n", 10, &p) == -400);
    CHECK(parse("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 10, &p) == -400);
    CHECK(parse("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 10, &p) == -400);
    CHECK(parse("GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 10, &p) == -400);
    CHECK(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 10, &p) == -400);
    char *big = malloc(70000);
    memset(big, 'a', 69999);
    big[69999] = 0;
    memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
    CHECK(parse(big, 10, &p) == -431);
    free(big);
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    puts("test_http_parse: ok");
    return 0;
}
