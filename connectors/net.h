/* net.h — listening sockets shared by the HTTP server and the tcp source
 * (internal to connectors/).
 *
 * Contract: ed_net_listen binds with the kernel's largest accept backlog
 * (SOMAXCONN), so a burst of connections waits in the kernel instead of
 * being dropped into SYN retransmits (128 held 3 000 quick connects to
 * ~130 per second). An ed_listener accepts from the event loop and never
 * spins on an accept error: when accept fails (for want of descriptors or
 * memory: EMFILE, ENFILE, ENOBUFS, ENOMEM; any error but a connection that
 * went away before it was taken) it stops accepting for
 * ed_net_accept_pause_ms while pending connections wait in the backlog,
 * counts the failure and reports it on stderr at most once per 10 s. */
#ifndef EDDY_NET_H
#define EDDY_NET_H
#include <stddef.h>
#include <stdint.h>

struct event_base;

/* Bind and listen on host:port (non-blocking, SO_REUSEADDR). Returns the fd,
 * or -1 with err filled ("port 7070 on 127.0.0.1 is already in use"). */
int ed_net_listen(const char *host, int port, char *err, size_t errlen);
/* Port actually bound (for port 0). */
int ed_net_local_port(int fd);

typedef struct ed_listener ed_listener;
/* A new connection (non-blocking, close-on-exec): the callee owns fd. */
typedef void (*ed_accept_fn)(int fd, void *arg);

/* Accept on listening socket fd (which it then owns) from base; `what`
 * names it in messages ("stream 'bid'", "HTTP"). */
ed_listener *ed_listener_new(struct event_base *base, int fd, const char *what, ed_accept_fn cb, void *arg);
void ed_listener_free(ed_listener *l);
/* accept() failures so far (descriptor or memory shortage, other errors) */
uint64_t ed_listener_accept_errors(const ed_listener *l);

/* How long a listener stops accepting after running out of descriptors
 * (default 100 ms; tests change it). */
extern int ed_net_accept_pause_ms;

#endif
