/* cli.h — shared pieces of the `eddy` program: subcommand entry points, a
 * small blocking HTTP/WebSocket client for talking to `eddy serve`, and the
 * printing of statement results. */
#ifndef EDDY_CLI_H
#define EDDY_CLI_H
#include <jansson.h>
#include <signal.h>
#include <stddef.h>
#include "../common/strbuf.h"

/* Subcommands; argv[0] is the subcommand name. Return the exit status. */
int ed_cmd_serve(int argc, char **argv);
int ed_cmd_exec(int argc, char **argv);
int ed_cmd_queries(int argc, char **argv);
int ed_cmd_drop(int argc, char **argv);
int ed_cmd_explain(int argc, char **argv);
int ed_cmd_tail(int argc, char **argv);
int ed_cmd_shell(int argc, char **argv);
int ed_cmd_test(int argc, char **argv);

/* Print "eddy: <msg>" on stderr (one line). */
void ed_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Read a whole file (or "-" for stdin) into sb; -1 with a message printed. */
int ed_cli_read_file(const char *path, ed_sb *sb);
/* The server URL: --url value, else $EDDY_URL, else http://127.0.0.1:7070. */
const char *ed_cli_default_url(const char *flag);

/* --- blocking HTTP client (cli/httpc.c) --- */
typedef struct ed_url {
    char host[256];
    char port[16];
} ed_url;
int ed_url_parse(const char *url, ed_url *u, char *err, size_t errlen);
/* Connect a TCP socket; -1 with "cannot connect to URL: reason" in err. */
int ed_cli_connect(const char *url, ed_url *u, char *err, size_t errlen);
/* One request with Connection: close. Fills *status and the response body.
 * Returns 0, or -1 with err filled (connection/protocol failure). */
int ed_cli_http(const char *url, const char *method, const char *path, const char *body, size_t blen, int *status,
                ed_sb *resp, char *err, size_t errlen);
/* POST statements; on success *out is the decoded JSON array. */
int ed_cli_post_statements(const char *url, const char *text, size_t len, json_t **out, char *err, size_t errlen);

/* --- blocking WebSocket client (cli/wsc.c) --- */
/* Set by the SIGINT handler installed by ed_cli_catch_sigint(). */
extern volatile sig_atomic_t ed_cli_interrupted;
void ed_cli_catch_sigint(void);
/* Connect to URL's /ws/<sink>, print every text message as one line on
 * stdout until the server closes or Ctrl-C. Returns 0 on clean end (close or
 * interrupt), -1 with err filled on failure. */
int ed_ws_tail(const char *url, const char *sink, char *err, size_t errlen);

/* --- result printing (cli/render.c) --- */
/* Print the results of ed_engine_exec (one object per statement): ok ones to
 * stdout, errors' rendered detail to stderr. Returns the number of failed
 * statements. */
int ed_render_results(json_t *results);
/* Print an array of objects as an aligned text table (skipping the keys in
 * skip, a NULL-terminated list). */
void ed_render_table(json_t *rows, const char *const *skip);

#endif
