/* net.h — listening sockets shared by the HTTP server and the tcp source
 * (internal to connectors/). */
#ifndef EDDY_NET_H
#define EDDY_NET_H
#include <stddef.h>

/* Bind and listen on host:port (non-blocking, SO_REUSEADDR). Returns the fd,
 * or -1 with err filled ("port 7070 on 127.0.0.1 is already in use"). */
int ed_net_listen(const char *host, int port, char *err, size_t errlen);
/* Port actually bound (for port 0). */
int ed_net_local_port(int fd);

#endif
