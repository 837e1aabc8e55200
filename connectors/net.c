/* net.c — listening sockets with errors people can act on, and a
 * listener that survives running out of descriptors (see net.h). */
#include "net.h"
#include <errno.h>
#include <event2/event.h>
#include <stdlib.h>
#include <time.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int ed_net_listen(const char *host, int port, char *err, size_t errlen)
{
    if (!host || !*host) host = "127.0.0.1";
    if (port < 0 || port > 65535) {
        snprintf(err, errlen, "invalid port %d (expected 0..65535)", port);
        return -1;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    int rc = getaddrinfo(host, ps, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "cannot resolve listen address '%s': %s", host, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        freeaddrinfo(res);
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        int e = errno;
        if (e == EADDRINUSE) snprintf(err, errlen, "port %d on %s is already in use", port, host);
        else if (e == EACCES) snprintf(err, errlen, "no permission to listen on port %d on %s", port, host);
        else snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, strerror(e));
        close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    return fd;
}

int ed_net_local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return -1;
    if (ss.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

/* --- ed_listener ------------------------------------------------------------ */
int ed_net_accept_pause_ms = 100;

#define ACCEPTS_PER_CB 64 /* then the loop serves others; level-triggered, it comes back */

struct ed_listener {
    int fd;
    struct event *ev, *resume;
    ed_accept_fn cb;
    void *arg;
    char what[192];
    uint64_t errors;
    uint64_t unreported;   /* errors since the last message */
    time_t reported;       /* when the last message was written, 0 never */
};

static void report(ed_listener *l, int e)
{
    l->unreported++;
    time_t now = time(NULL);
    if (l->reported && now - l->reported < 10) return;
    fprintf(stderr, "eddy: %s: cannot accept connections: %s (%llu time%s since the last report); pausing accepts%s\n",
            l->what, strerror(e), (unsigned long long)l->unreported, l->unreported == 1 ? "" : "s",
            e == EMFILE || e == ENFILE ? "; raise the open-files limit (ulimit -n)" : "");
    l->reported = now;
    l->unreported = 0;
}

static void on_resume(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    ed_listener *l = arg;
    event_add(l->ev, NULL);
}

static void on_listen_readable(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    ed_listener *l = arg;
    for (int i = 0; i < ACCEPTS_PER_CB; i++) {
        int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (c >= 0) {
            l->cb(c, l->arg);
            continue;
        }
        int e = errno;
        if (e == EAGAIN || e == EWOULDBLOCK) return;
        if (e == EINTR || e == ECONNABORTED || e == EPROTO) continue; /* that connection is gone, not the listener */
        /* out of descriptors or memory (or worse): the connection stays in
         * the backlog, and the listening socket stays readable; try again
         * later instead of being woken for it on every pass of the loop */
        l->errors++;
        report(l, e);
        event_del(l->ev);
        struct timeval tv = {ed_net_accept_pause_ms / 1000, (ed_net_accept_pause_ms % 1000) * 1000};
        evtimer_add(l->resume, &tv);
        return;
    }
}

ed_listener *ed_listener_new(struct event_base *base, int fd, const char *what, ed_accept_fn cb, void *arg)
{
    ed_listener *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->fd = fd;
    l->cb = cb;
    l->arg = arg;
    snprintf(l->what, sizeof l->what, "%s", what);
    l->ev = event_new(base, fd, EV_READ | EV_PERSIST, on_listen_readable, l);
    l->resume = evtimer_new(base, on_resume, l);
    if (!l->ev || !l->resume || event_add(l->ev, NULL) != 0) {
        if (l->ev) event_free(l->ev);
        if (l->resume) event_free(l->resume);
        free(l);
        return NULL;
    }
    return l;
}

void ed_listener_free(ed_listener *l)
{
    if (!l) return;
    event_free(l->ev);
    event_free(l->resume);
    close(l->fd);
    free(l);
}

uint64_t ed_listener_accept_errors(const ed_listener *l) { return l ? l->errors : 0; }
