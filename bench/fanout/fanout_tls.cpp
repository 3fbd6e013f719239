// SPDX-License-Identifier: GPL-3.0-or-later
#include "fanout_tls.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace fanout_tls {

namespace {

std::string lastError()
{
    char text[256];
    const unsigned long e = ERR_get_error();
    if (e == 0)
        return "TLS error";
    ERR_error_string_n(e, text, sizeof text);
    ERR_clear_error();
    return text;
}

// Maps SSL_get_error() onto recv()/send() conventions.
ssize_t ioResult(Ssl *ssl, int n)
{
    if (n > 0)
        return n;
    switch (SSL_get_error(ssl, n)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_SYSCALL:
        ERR_clear_error();
        if (errno == 0)
            return 0; // the peer closed TCP without close_notify
        return -1;
    default:
        ERR_clear_error();
        errno = EPROTO;
        return -1;
    }
}

} // namespace

Context *newContext(const std::string &caFile, bool insecure, std::string *error)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        *error = lastError();
        return nullptr;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    // Partial writes let a frame go out as far as the socket takes it and
    // the rest stay in the client's own buffer, as without TLS.
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (insecure) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    } else {
        if (caFile.empty() || SSL_CTX_load_verify_locations(ctx, caFile.c_str(), nullptr) != 1) {
            *error = caFile.empty() ? "wss:// needs --ca-file PATH or --insecure"
                                    : "cannot load --ca-file " + caFile + ": " + lastError();
            SSL_CTX_free(ctx);
            return nullptr;
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    }
    return ctx;
}

void freeContext(Context *context)
{
    SSL_CTX_free(context);
}

Ssl *newSession(Context *context, int fd, const std::string &host)
{
    SSL *ssl = SSL_new(context);
    if (!ssl)
        return nullptr;
    SSL_set_fd(ssl, fd);
    in6_addr ip{};
    const bool isIp =
        inet_pton(AF_INET, host.c_str(), &ip) == 1 || inet_pton(AF_INET6, host.c_str(), &ip) == 1;
    if (isIp) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
    } else {
        SSL_set_tlsext_host_name(ssl, host.c_str());
        SSL_set1_host(ssl, host.c_str());
    }
    SSL_set_connect_state(ssl);
    return ssl;
}

void freeSession(Ssl *ssl)
{
    SSL_free(ssl);
}

Step handshake(Ssl *ssl, std::string *error)
{
    const int r = SSL_do_handshake(ssl);
    if (r == 1)
        return Step::Done;
    switch (SSL_get_error(ssl, r)) {
    case SSL_ERROR_WANT_READ:
        return Step::WantRead;
    case SSL_ERROR_WANT_WRITE:
        return Step::WantWrite;
    default:
        if (const long v = SSL_get_verify_result(ssl); v != X509_V_OK)
            *error = std::string("TLS: ") + X509_verify_cert_error_string(v);
        else
            *error = "TLS handshake: " + lastError();
        ERR_clear_error();
        return Step::Failed;
    }
}

ssize_t read(Ssl *ssl, char *buf, size_t len)
{
    return ioResult(ssl, SSL_read(ssl, buf, int(std::min<size_t>(len, 1u << 30))));
}

ssize_t write(Ssl *ssl, const char *data, size_t len)
{
    return ioResult(ssl, SSL_write(ssl, data, int(std::min<size_t>(len, 1u << 30))));
}

bool hasPending(const Ssl *ssl)
{
    return SSL_pending(ssl) > 0;
}

std::string fetch(Context *context, int fd, const std::string &host, const std::string &request)
{
    std::string response;
    SSL *ssl = newSession(context, fd, host);
    if (!ssl)
        return response;
    if (SSL_connect(ssl) == 1 &&
        SSL_write(ssl, request.data(), int(request.size())) == int(request.size())) {
        char buf[16384];
        int n = 0;
        while (response.size() < (8u << 20) && (n = SSL_read(ssl, buf, sizeof buf)) > 0)
            response.append(buf, size_t(n));
    }
    ERR_clear_error();
    SSL_free(ssl);
    return response;
}

} // namespace fanout_tls
