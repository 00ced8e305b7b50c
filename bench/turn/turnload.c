/*
 * turnload: native TURN relay load generator, the same for every server it is pointed at (RFC 8656 over UDP,
 * its own STUN encoder, long-term credentials through OpenSSL's MD5/HMAC-SHA1).
 *
 * Each flow: a client UDP socket that allocates and binds channel 0x4000 to its own echo peer socket on loopback.
 * The client keeps WINDOW ChannelData messages (SIZE bytes of payload, carrying the send time) in flight: the
 * server relays each to the peer, the peer echoes it to the relayed address, the server relays it back as
 * ChannelData; every arrival is timed and at once replaced (self-clocked saturation). A flow silent for 200 ms
 * with messages outstanding has them counted lost and its window refilled. One thread, epoll, recvmmsg/sendmmsg:
 * the generator costs the CPU it shares with the server as little as possible.
 *
 * usage: turnload HOST PORT USER PASS FLOWS WINDOW SIZE WARMUP_SECONDS SECONDS
 * prints: RESULT flows=<n> window=<n> size=<n> relayed_pps=<n> round_trips=<n> p50_us=<n> p99_us=<n> lost=<n>
 *         relayed_total=<n>
 * (relayed_pps counts both relay traversals of every round trip: client->peer and peer->client, measured phase;
 * relayed_total the same over the whole run, warm-up included, for packets per server CPU-second)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_SIZE 1200
#define HIST_US 200000
#define CHANNEL 0x4000
#define SILENCE_NS 200000000LL

struct flow {
    int client;
    int peer;
    struct sockaddr_in peer_addr;
    int outstanding;
    uint32_t seq;
    int64_t last_heard;
};

static struct sockaddr_in server;
static const char *user, *pass;
static unsigned char key[16];
static char realm[256], nonce[256];
static int size, window_size;
static uint32_t hist[HIST_US + 1];
static long round_trips, all_round_trips, lost;
/* Round trips of messages sent from this time on are measured (0: warming up). */
static int64_t measure_from;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* ---- STUN encoding -------------------------------------------------------------------------------------- */

static int put_attr(unsigned char *msg, int len, int type, const void *value, int vlen) {
    msg[len] = type >> 8; msg[len + 1] = type;
    msg[len + 2] = vlen >> 8; msg[len + 3] = vlen;
    memcpy(msg + len + 4, value, vlen);
    int padded = (vlen + 3) & ~3;
    memset(msg + len + 4 + vlen, 0, padded - vlen);
    return len + 4 + padded;
}

static void header(unsigned char *msg, int type, unsigned char tid[12]) {
    msg[0] = type >> 8; msg[1] = type;
    msg[4] = 0x21; msg[5] = 0x12; msg[6] = 0xA4; msg[7] = 0x42;
    RAND_bytes(tid, 12);
    memcpy(msg + 8, tid, 12);
}

static void set_length(unsigned char *msg, int len) {
    msg[2] = (len - 20) >> 8; msg[3] = (len - 20);
}

/* USERNAME, REALM, NONCE and MESSAGE-INTEGRITY after the attributes already in msg. */
static int authenticate(unsigned char *msg, int len) {
    len = put_attr(msg, len, 0x0006, user, strlen(user));
    len = put_attr(msg, len, 0x0014, realm, strlen(realm));
    len = put_attr(msg, len, 0x0015, nonce, strlen(nonce));
    set_length(msg, len + 24);
    unsigned char mac[20];
    unsigned int mlen = 20;
    HMAC(EVP_sha1(), key, 16, msg, len, mac, &mlen);
    return put_attr(msg, len, 0x0008, mac, 20);
}

/* Sends msg and waits (1 s, 5 tries) for the response with its transaction id; returns its length. */
static int transact(int fd, unsigned char *msg, int len, unsigned char tid[12], unsigned char *resp) {
    for (int attempt = 0; attempt < 5; attempt++) {
        if (send(fd, msg, len, 0) < 0) die("send");
        int64_t end = now_ns() + 1000000000LL;
        while (now_ns() < end) {
            ssize_t n = recv(fd, resp, 1500, MSG_DONTWAIT);
            if (n < 0) {
                usleep(1000);
                continue;
            }
            if (n >= 20 && memcmp(resp + 8, tid, 12) == 0) return (int) n;
        }
    }
    fprintf(stderr, "no answer from the server\n");
    exit(1);
}

/* Finds attribute type in a response; returns a pointer to its value and sets *vlen, or NULL. */
static unsigned char *find_attr(unsigned char *resp, int n, int type, int *vlen) {
    int off = 20;
    while (off + 4 <= n) {
        int t = (resp[off] << 8) | resp[off + 1], l = (resp[off + 2] << 8) | resp[off + 3];
        if (off + 4 + l > n) break;
        if (t == type) {
            *vlen = l;
            return resp + off + 4;
        }
        off += 4 + ((l + 3) & ~3);
    }
    return NULL;
}

static int error_code(unsigned char *resp, int n) {
    int l;
    unsigned char *v = find_attr(resp, n, 0x0009, &l);
    return v && l >= 4 ? v[2] * 100 + v[3] : 0;
}

/* The reason phrase of an error response, for the failure message. */
static const char *error_reason(unsigned char *resp, int n) {
    static char text[256];
    int l;
    unsigned char *v = find_attr(resp, n, 0x0009, &l);
    text[0] = 0;
    if (v && l > 4 && l - 4 < (int) sizeof text) {
        memcpy(text, v + 4, l - 4);
        text[l - 4] = 0;
    }
    return text;
}

static void copy_text(unsigned char *resp, int n, int type, char *out) {
    int l;
    unsigned char *v = find_attr(resp, n, type, &l);
    if (!v || l >= 255) { fprintf(stderr, "401 without attribute %#x\n", type); exit(1); }
    memcpy(out, v, l);
    out[l] = 0;
}

static int udp_socket(void);

/* Allocate (with the 401 round when needed) and ChannelBind to the flow's peer. */
static void set_up(struct flow *f) {
    unsigned char msg[1500], resp[1500], tid[12];
    unsigned char transport[4] = {17, 0, 0, 0};
    for (int tries = 0; ; tries++) {
        header(msg, 0x0003, tid);
        int len = put_attr(msg, 20, 0x0019, transport, 4);
        if (nonce[0]) len = authenticate(msg, len); else set_length(msg, len);
        int n = transact(f->client, msg, len, tid, resp);
        int type = (resp[0] << 8) | resp[1];
        if (type == 0x0103) break;
        int code = error_code(resp, n);
        if ((code == 401 || code == 438) && tries < 3) {
            copy_text(resp, n, 0x0014, realm);
            copy_text(resp, n, 0x0015, nonce);
            char text[600];
            snprintf(text, sizeof text, "%s:%s:%s", user, realm, pass);
            unsigned int klen = 16;
            EVP_Digest(text, strlen(text), key, &klen, EVP_md5(), NULL);
            continue;
        }
        if (code == 437 && tries < 3) {
            /* The kernel gave this client a port an earlier run's allocation still holds: take another port. */
            int fresh = udp_socket();
            if (connect(fresh, (struct sockaddr *) &server, sizeof server) < 0) die("connect");
            close(f->client);
            f->client = fresh;
            continue;
        }
        fprintf(stderr, "Allocate failed: %d %s\n", code, error_reason(resp, n));
        exit(1);
    }
    unsigned char value[8];
    value[0] = CHANNEL >> 8; value[1] = CHANNEL & 0xff; value[2] = value[3] = 0;
    header(msg, 0x0009, tid);
    int len = put_attr(msg, 20, 0x000C, value, 4);
    unsigned char peer[8] = {0, 1};
    uint16_t port = ntohs(f->peer_addr.sin_port) ^ 0x2112;
    uint32_t addr = ntohl(f->peer_addr.sin_addr.s_addr) ^ 0x2112A442;
    peer[2] = port >> 8; peer[3] = port;
    peer[4] = addr >> 24; peer[5] = addr >> 16; peer[6] = addr >> 8; peer[7] = addr;
    len = put_attr(msg, len, 0x0012, peer, 8);
    len = authenticate(msg, len);
    int n = transact(f->client, msg, len, tid, resp);
    if (((resp[0] << 8) | resp[1]) != 0x0109) {
        fprintf(stderr, "ChannelBind failed: %d %s\n", error_code(resp, n), error_reason(resp, n));
        exit(1);
    }
}

/* Refresh with LIFETIME 0: the allocation ends now, so a later run that gets the same client port from the kernel
 * does not meet it (437 Allocation Mismatch). Best effort: the answer is not awaited. */
static void release(struct flow *f) {
    unsigned char msg[1500], tid[12];
    unsigned char zero[4] = {0, 0, 0, 0};
    header(msg, 0x0004, tid);
    int len = put_attr(msg, 20, 0x000D, zero, 4);
    len = authenticate(msg, len);
    send(f->client, msg, len, MSG_DONTWAIT);
}

/* ---- load ------------------------------------------------------------------------------------------------ */

static void send_window(struct flow *f, int count) {
    static unsigned char bufs[BATCH][MAX_SIZE + 4];
    static struct mmsghdr msgs[BATCH];
    static struct iovec iov[BATCH];
    while (count > 0) {
        int k = count < BATCH ? count : BATCH;
        int64_t t = now_ns();
        for (int i = 0; i < k; i++) {
            unsigned char *b = bufs[i];
            b[0] = CHANNEL >> 8; b[1] = CHANNEL & 0xff; b[2] = size >> 8; b[3] = size;
            memcpy(b + 4, &t, 8);
            uint32_t s = f->seq++;
            memcpy(b + 12, &s, 4);
            iov[i].iov_base = b;
            iov[i].iov_len = 4 + size;
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int sent = sendmmsg(f->client, msgs, k, 0);
        if (sent <= 0) return; /* buffer full: the silence check refills the window */
        f->outstanding += sent;
        count -= sent;
    }
}

/* Points each message of a receive batch at its buffer (and, when the sender matters, at its address slot):
 * recvmmsg overwrites the lengths, so this runs before every call. */
static void prepare_batch(unsigned char bufs[][MAX_SIZE + 64], struct mmsghdr *msgs, struct iovec *iov,
                          struct sockaddr_in *from) {
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = bufs[i];
        iov[i].iov_len = MAX_SIZE + 64;
        memset(&msgs[i], 0, sizeof msgs[i]);
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        if (from) {
            msgs[i].msg_hdr.msg_name = &from[i];
            msgs[i].msg_hdr.msg_namelen = sizeof from[i];
        }
    }
}

static void on_client(struct flow *f) {
    static unsigned char bufs[BATCH][MAX_SIZE + 64];
    static struct mmsghdr msgs[BATCH];
    static struct iovec iov[BATCH];
    for (;;) {
        prepare_batch(bufs, msgs, iov, NULL);
        int n = recvmmsg(f->client, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (n <= 0) return;
        int64_t t = now_ns();
        int arrived = 0;
        for (int i = 0; i < n; i++) {
            unsigned char *b = bufs[i];
            if (msgs[i].msg_len < 16 || ((b[0] << 8) | b[1]) != CHANNEL) continue;
            int64_t sent;
            memcpy(&sent, b + 4, 8);
            arrived++;
            all_round_trips++;
            if (measure_from && sent >= measure_from) {
                int64_t us = (t - sent) / 1000;
                hist[us > HIST_US ? HIST_US : (us < 0 ? 0 : us)]++;
                round_trips++;
            }
        }
        f->last_heard = t;
        f->outstanding -= arrived;
        if (f->outstanding < 0) f->outstanding = 0;
        if (f->outstanding < window_size) send_window(f, window_size - f->outstanding);
    }
}

static void on_peer(struct flow *f) {
    static unsigned char bufs[BATCH][MAX_SIZE + 64];
    static struct mmsghdr msgs[BATCH];
    static struct iovec iov[BATCH];
    static struct sockaddr_in from[BATCH];
    for (;;) {
        prepare_batch(bufs, msgs, iov, from);
        int n = recvmmsg(f->peer, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (n <= 0) return;
        /* echo each datagram to where it came from: the relayed address */
        for (int i = 0; i < n; i++) iov[i].iov_len = msgs[i].msg_len;
        sendmmsg(f->peer, msgs, n, 0);
    }
}

static int udp_socket(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    int buf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    struct sockaddr_in any = {.sin_family = AF_INET};
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *) &any, sizeof any) < 0) die("bind");
    return fd;
}

static long percentile(double p) {
    long target = (long) (p * round_trips), seen = 0;
    for (int us = 0; us <= HIST_US; us++) {
        seen += hist[us];
        if (seen > target) return us;
    }
    return HIST_US;
}

int main(int argc, char **argv) {
    if (argc < 10) {
        fprintf(stderr, "usage: turnload HOST PORT USER PASS FLOWS WINDOW SIZE WARMUP_SECONDS SECONDS\n");
        return 2;
    }
    server.sin_family = AF_INET;
    server.sin_port = htons(atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1) die("address");
    user = argv[3];
    pass = argv[4];
    int flows = atoi(argv[5]);
    window_size = atoi(argv[6]);
    size = atoi(argv[7]);
    double warmup = atof(argv[8]), seconds = atof(argv[9]);
    if (size < 16 || size > MAX_SIZE || flows < 1 || window_size < 1) {
        fprintf(stderr, "SIZE 16..%d, FLOWS and WINDOW >= 1\n", MAX_SIZE);
        return 2;
    }
    struct flow *all = calloc(flows, sizeof *all);
    int ep = epoll_create1(0);
    for (int i = 0; i < flows; i++) {
        struct flow *f = &all[i];
        f->client = udp_socket();
        if (connect(f->client, (struct sockaddr *) &server, sizeof server) < 0) die("connect");
        f->peer = udp_socket();
        socklen_t alen = sizeof f->peer_addr;
        getsockname(f->peer, (struct sockaddr *) &f->peer_addr, &alen);
        set_up(f);
        fcntl(f->client, F_SETFL, O_NONBLOCK);
        fcntl(f->peer, F_SETFL, O_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN};
        ev.data.u64 = (uint64_t) i << 1;
        epoll_ctl(ep, EPOLL_CTL_ADD, f->client, &ev);
        ev.data.u64 = ((uint64_t) i << 1) | 1;
        epoll_ctl(ep, EPOLL_CTL_ADD, f->peer, &ev);
    }
    int64_t start = now_ns();
    for (int i = 0; i < flows; i++) {
        all[i].last_heard = start;
        send_window(&all[i], window_size);
    }
    int64_t warm_end = start + (int64_t) (warmup * 1e9), end = warm_end + (int64_t) (seconds * 1e9);
    long lost_before = 0;
    struct epoll_event events[256];
    for (;;) {
        int64_t t = now_ns();
        if (!measure_from && t >= warm_end) {
            measure_from = t;
            lost_before = lost;
        }
        if (t >= end) break;
        int n = epoll_wait(ep, events, 256, 20);
        for (int i = 0; i < n; i++) {
            struct flow *f = &all[events[i].data.u64 >> 1];
            if (events[i].data.u64 & 1) on_peer(f); else on_client(f);
        }
        t = now_ns();
        for (int i = 0; i < flows; i++) {
            struct flow *f = &all[i];
            if (t - f->last_heard > SILENCE_NS) {
                lost += f->outstanding;
                f->outstanding = 0;
                f->last_heard = t;
                send_window(f, window_size);
            }
        }
    }
    double measured = (now_ns() - measure_from) / 1e9;
    for (int i = 0; i < flows; i++) release(&all[i]);
    printf("RESULT flows=%d window=%d size=%d relayed_pps=%.0f round_trips=%ld p50_us=%ld p99_us=%ld lost=%ld"
           " relayed_total=%ld\n", flows, window_size, size, 2 * round_trips / measured, round_trips,
           percentile(0.50), percentile(0.99), lost - lost_before, 2 * all_round_trips);
    return 0;
}
