// SPDX-License-Identifier: GPL-3.0-or-later
// TLS for the native fan-out client (wss://): a thin layer over OpenSSL for
// non-blocking sockets driven by epoll. The client's own code stays free of
// OpenSSL types; every call here says what it needs (read, write) through
// errno-style results, like recv()/send().
#pragma once

#include <cstddef>
#include <string>
#include <sys/types.h>

struct ssl_st;
struct ssl_ctx_st;

namespace fanout_tls {

using Ssl = ssl_st;
using Context = ssl_ctx_st;

/// A client context that trusts the PEM certificates in `caFile` (verifying
/// the server's name), or trusts anything when `insecure`. nullptr and
/// `error` set on failure.
Context *newContext(const std::string &caFile, bool insecure, std::string *error);
void freeContext(Context *context);

/// A TLS session over a connected socket, checking the certificate against
/// `host` (an IP address or a DNS name).
Ssl *newSession(Context *context, int fd, const std::string &host);
void freeSession(Ssl *ssl);

enum class Step { Done, WantRead, WantWrite, Failed };
/// One step of the client handshake; on Failed, `error` says why.
Step handshake(Ssl *ssl, std::string *error);

/// Like recv(): bytes, 0 on close, -1 with errno (EAGAIN: try again later,
/// EPROTO: a TLS error).
ssize_t read(Ssl *ssl, char *buf, size_t len);
/// Like send(): bytes taken (possibly fewer), -1 with errno as read().
ssize_t write(Ssl *ssl, const char *data, size_t len);
/// Decrypted bytes OpenSSL holds that epoll cannot know about.
bool hasPending(const Ssl *ssl);

/// One blocking request over a new TLS session on a connected blocking
/// socket (for the server's /metrics); the whole response until close.
std::string fetch(Context *context, int fd, const std::string &host, const std::string &request);

} // namespace fanout_tls
