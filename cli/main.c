/* main.c — the `eddy` program: dispatches subcommands and holds the few
 * helpers they share (error line, file reading, server URL). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int ed_cmd_nexmark(int argc, char **argv); /* cli/nexmark_cmd.c */

static const char usage[] =
    "usage: eddy <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve     run the engine (HTTP control API, WebSocket sinks, metrics)\n"
    "  exec      submit statements to a running engine\n"
    "  queries   list running queries with their counters (alias: ls)\n"
    "  drop      stop a query\n"
    "  explain   show the plan of a query or of a SELECT\n"
    "  tail      print a WebSocket sink's rows as they arrive\n"
    "  shell     interactive prompt\n"
    "  test      run statements offline over input files (no server)\n"
    "  nexmark   write Nexmark generator events as JSON lines (benchmarks)\n"
    "\n"
    "Run 'eddy <command> --help' for a command's options.\n";

void ed_cli_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("eddy: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int ed_cli_read_file(const char *path, ed_sb *sb)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        ed_cli_err("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) ed_sb_append(sb, buf, n);
    int bad = ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        ed_cli_err("cannot read %s", path);
        return -1;
    }
    if (!sb->buf) ed_sb_append(sb, "", 0);
    return 0;
}

const char *ed_cli_default_url(const char *flag)
{
    if (flag) return flag;
    const char *env = getenv("EDDY_URL");
    return env && *env ? env : "http://127.0.0.1:7070";
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        puts("eddy 0.1.0");
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"serve", ed_cmd_serve},     {"exec", ed_cmd_exec},   {"queries", ed_cmd_queries},
                {"ls", ed_cmd_queries},      {"drop", ed_cmd_drop},   {"explain", ed_cmd_explain},
                {"tail", ed_cmd_tail},       {"shell", ed_cmd_shell}, {"test", ed_cmd_test},
                {"nexmark", ed_cmd_nexmark}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(cmd, cmds[i].name)) return cmds[i].fn(argc - 1, argv + 1);
    ed_cli_err("unknown command '%s' (run 'eddy --help')", cmd);
    return 2;
}
