/*
 * stunload: STUN Binding load generator, the same for every server it is pointed at.
 * Each thread owns one connected UDP socket (so SO_REUSEPORT servers can spread threads over sockets) and keeps
 * WINDOW Binding requests outstanding: every valid response (success class, our transaction id) is counted and
 * immediately replaced by a new request. A 20 ms silence counts the window as lost and refills it.
 * Batched with recvmmsg/sendmmsg so the generator costs the CPU it shares with the server as little as possible.
 *
 * usage: stunload HOST PORT WARMUP_SECONDS SECONDS WINDOW THREADS
 * prints: responses_per_second=<n> responses=<n> lost=<n> threads=<n> window=<n>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_WINDOW 4096

static struct sockaddr_in server;
static double warmup, duration;
static int window_size;

struct result {
    long responses;
    long lost;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void make_request(unsigned char *buf, uint32_t thread, uint32_t seq) {
    memset(buf, 0, 20);
    buf[1] = 0x01;                                  /* Binding request, length 0 */
    buf[4] = 0x21; buf[5] = 0x12; buf[6] = 0xA4; buf[7] = 0x42;
    memcpy(buf + 8, "BNCH", 4);
    memcpy(buf + 12, &thread, 4);
    memcpy(buf + 16, &seq, 4);
}

static int valid_response(const unsigned char *buf, int len, uint32_t thread) {
    return len >= 20 && buf[0] == 0x01 && buf[1] == 0x01 && buf[4] == 0x21 && buf[5] == 0x12
           && buf[6] == 0xA4 && buf[7] == 0x42 && memcmp(buf + 8, "BNCH", 4) == 0
           && memcmp(buf + 12, &thread, 4) == 0;
}

static int send_batch(int fd, uint32_t thread, uint32_t *seq, int count) {
    static __thread unsigned char out[BATCH][20];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    int sent = 0;
    while (sent < count) {
        int n = count - sent < BATCH ? count - sent : BATCH;
        for (int i = 0; i < n; i++) {
            make_request(out[i], thread, (*seq)++);
            iov[i].iov_base = out[i];
            iov[i].iov_len = 20;
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int r = sendmmsg(fd, msgs, n, 0);
        if (r <= 0) {
            break; /* ENOBUFS etc.: the timeout refill recovers */
        }
        sent += r;
    }
    return sent;
}

static void *run(void *arg) {
    uint32_t thread = (uint32_t) (uintptr_t) arg;
    struct result *res = calloc(1, sizeof *res);
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int rcvbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct timeval tv = {0, 20000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *) &server, sizeof server) != 0) {
        perror("connect");
        exit(1);
    }
    static __thread unsigned char in[BATCH][1500];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    uint32_t seq = 0;
    double start = now();
    double measure_from = start + warmup;
    double end = measure_from + duration;
    int outstanding = send_batch(fd, thread, &seq, window_size);
    for (;;) {
        double t = now();
        if (t >= end) {
            break;
        }
        for (int i = 0; i < BATCH; i++) {
            iov[i].iov_base = in[i];
            iov[i].iov_len = sizeof in[i];
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNREFUSED) {
                if (t >= measure_from) {
                    res->lost += outstanding;
                }
                outstanding = send_batch(fd, thread, &seq, window_size);
                continue;
            }
            perror("recvmmsg");
            exit(1);
        }
        int ok = 0;
        for (int i = 0; i < n; i++) {
            if (valid_response(in[i], (int) msgs[i].msg_len, thread)) {
                ok++;
            }
        }
        if (now() >= measure_from) {
            res->responses += ok;
        }
        outstanding -= n;
        if (outstanding < 0) {
            outstanding = 0; /* late answers to a window already counted lost */
        }
        int refill = window_size - outstanding;
        if (refill > 0) {
            outstanding += send_batch(fd, thread, &seq, refill);
        }
    }
    close(fd);
    return res;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s HOST PORT WARMUP_SECONDS SECONDS WINDOW THREADS\n", argv[0]);
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
    if (window_size < 1 || window_size > MAX_WINDOW || threads < 1 || threads > 64 || duration <= 0) {
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
    printf("responses_per_second=%.0f responses=%ld lost=%ld threads=%d window=%d\n",
           responses / duration, responses, lost, threads, window_size);
    return 0;
}
