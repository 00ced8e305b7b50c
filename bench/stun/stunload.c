/*
 * stunload: STUN Binding load generator, the same for every server it is pointed at.
 * THREADS threads each own SOCKETS connected UDP sockets (one socket = one client 5-tuple, so SO_REUSEPORT
 * servers can spread them) and keep WINDOW Binding requests outstanding per socket: every valid response
 * (success class, our transaction id) is counted and at once replaced by a new request. A socket silent for
 * 20 ms with requests outstanding has them counted lost and its window refilled.
 * Batched with recvmmsg/sendmmsg so the generator costs the CPU it shares with the server as little as possible.
 *
 * usage: stunload HOST PORT WARMUP_SECONDS SECONDS WINDOW THREADS [SOCKETS_PER_THREAD]
 * prints: responses_per_second=<n> responses=<n> lost=<n> threads=<n> sockets=<n> window=<n>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_WINDOW 4096
#define MAX_SOCKETS 1024
#define SILENCE 0.020

static struct sockaddr_in server;
static double warmup, duration;
static int window_size, sockets_per_thread;

struct result {
    long responses;
    long lost;
};

struct client {
    int fd;
    uint32_t id;
    uint32_t seq;
    int outstanding;
    double last_heard;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void make_request(unsigned char *buf, uint32_t id, uint32_t seq) {
    memset(buf, 0, 20);
    buf[1] = 0x01;                                  /* Binding request, length 0 */
    buf[4] = 0x21; buf[5] = 0x12; buf[6] = 0xA4; buf[7] = 0x42;
    memcpy(buf + 8, "BNCH", 4);
    memcpy(buf + 12, &id, 4);
    memcpy(buf + 16, &seq, 4);
}

static int valid_response(const unsigned char *buf, int len, uint32_t id) {
    return len >= 20 && buf[0] == 0x01 && buf[1] == 0x01 && buf[4] == 0x21 && buf[5] == 0x12
           && buf[6] == 0xA4 && buf[7] == 0x42 && memcmp(buf + 8, "BNCH", 4) == 0 && memcmp(buf + 12, &id, 4) == 0;
}

/* Sends up to count new requests; returns how many the kernel took (ENOBUFS etc. are left to the refill). */
static int send_requests(struct client *c, int count) {
    unsigned char out[BATCH][20];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    int sent = 0;
    while (sent < count) {
        int n = count - sent < BATCH ? count - sent : BATCH;
        for (int i = 0; i < n; i++) {
            make_request(out[i], c->id, c->seq + i);
            iov[i].iov_base = out[i];
            iov[i].iov_len = 20;
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int r = sendmmsg(c->fd, msgs, n, MSG_DONTWAIT);
        if (r <= 0) {
            break;
        }
        c->seq += r;
        sent += r;
    }
    c->outstanding += sent;
    return sent;
}

static void *run(void *arg) {
    uint32_t thread = (uint32_t) (uintptr_t) arg;
    struct result *res = calloc(1, sizeof *res);
    struct client *clients = calloc(sockets_per_thread, sizeof *clients);
    int ep = epoll_create1(0);
    for (int s = 0; s < sockets_per_thread; s++) {
        struct client *c = &clients[s];
        c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        c->id = thread * MAX_SOCKETS + s;
        int rcvbuf = 1 << 20;
        setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        if (connect(c->fd, (struct sockaddr *) &server, sizeof server) != 0) {
            perror("connect");
            exit(1);
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    }
    static __thread unsigned char in[BATCH][1500];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct epoll_event events[64];
    double start = now();
    double measure_from = start + warmup;
    double end = measure_from + duration;
    for (int s = 0; s < sockets_per_thread; s++) {
        clients[s].last_heard = start;
        send_requests(&clients[s], window_size);
    }
    double last_sweep = start;
    for (;;) {
        double t = now();
        if (t >= end) {
            break;
        }
        int ready = epoll_wait(ep, events, 64, 5);
        for (int e = 0; e < ready; e++) {
            struct client *c = events[e].data.ptr;
            for (;;) {
                for (int i = 0; i < BATCH; i++) {
                    iov[i].iov_base = in[i];
                    iov[i].iov_len = sizeof in[i];
                    memset(&msgs[i], 0, sizeof msgs[i]);
                    msgs[i].msg_hdr.msg_iov = &iov[i];
                    msgs[i].msg_hdr.msg_iovlen = 1;
                }
                int n = recvmmsg(c->fd, msgs, BATCH, MSG_DONTWAIT, NULL);
                if (n <= 0) {
                    break;
                }
                int ok = 0;
                for (int i = 0; i < n; i++) {
                    ok += valid_response(in[i], (int) msgs[i].msg_len, c->id);
                }
                double heard = now();
                c->last_heard = heard;
                if (heard >= measure_from && heard < end) {
                    res->responses += ok;
                }
                c->outstanding -= n;
                if (c->outstanding < 0) {
                    c->outstanding = 0; /* late answers to a window already counted lost */
                }
                send_requests(c, window_size - c->outstanding);
                if (n < BATCH) {
                    break;
                }
            }
        }
        t = now();
        if (t - last_sweep >= SILENCE / 2) {
            last_sweep = t;
            for (int s = 0; s < sockets_per_thread; s++) {
                struct client *c = &clients[s];
                if (t - c->last_heard >= SILENCE) {
                    if (t >= measure_from) {
                        res->lost += c->outstanding;
                    }
                    c->outstanding = 0;
                    c->last_heard = t;
                    send_requests(c, window_size);
                }
            }
        }
    }
    for (int s = 0; s < sockets_per_thread; s++) {
        close(clients[s].fd);
    }
    close(ep);
    free(clients);
    return res;
}

int main(int argc, char **argv) {
    if (argc != 7 && argc != 8) {
        fprintf(stderr, "usage: %s HOST PORT WARMUP_SECONDS SECONDS WINDOW THREADS [SOCKETS_PER_THREAD]\n", argv[0]);
        return 2;
    }
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t) atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1) {
        fprintf(stderr, "bad IPv4 address %s\n", argv[1]);
        return 2;
    }
    warmup = atof(argv[3]);
    duration = atof(argv[4]);
    window_size = atoi(argv[5]);
    int threads = atoi(argv[6]);
    sockets_per_thread = argc == 8 ? atoi(argv[7]) : 1;
    if (window_size < 1 || window_size > MAX_WINDOW || threads < 1 || threads > 64 || duration <= 0
        || sockets_per_thread < 1 || sockets_per_thread > MAX_SOCKETS) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    pthread_t tids[64];
    for (int i = 0; i < threads; i++) {
        pthread_create(&tids[i], NULL, run, (void *) (uintptr_t) i);
    }
    long responses = 0, lost = 0;
    for (int i = 0; i < threads; i++) {
        struct result *r;
        pthread_join(tids[i], (void **) &r);
        responses += r->responses;
        lost += r->lost;
        free(r);
    }
    printf("responses_per_second=%.0f responses=%ld lost=%ld threads=%d sockets=%d window=%d\n",
           responses / duration, responses, lost, threads, threads * sockets_per_thread, window_size);
    return 0;
}
