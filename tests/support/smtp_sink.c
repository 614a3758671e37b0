/* SPDX-License-Identifier: MIT */
/*
 * smtp_sink.c — the test SMTP receiver.
 */
#include "smtp_sink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct smtp_sink {
  int listen_fd;
  int stop_pipe[2];
  pthread_t thread;
  char url[64];
  pthread_mutex_t mu;
  pthread_cond_t cond;
  smtp_message *msgs;
  size_t n_msgs;
  size_t connections;
  int refuse_code;
};

/* One connection's buffered reader. */
typedef struct conn {
  int fd;
  char buf[8192];
  size_t len;
} conn;

static void say(conn *c, const char *text) {
  size_t n = strlen(text), done = 0;
  while (done < n) {
    ssize_t w = send(c->fd, text + done, n - done, MSG_NOSIGNAL);
    if (w <= 0)
      return;
    done += (size_t)w;
  }
}

/* One line without its CRLF (malloc'd), or NULL at EOF/error. */
static char *read_line(conn *c) {
  for (;;) {
    char *nl = memchr(c->buf, '\n', c->len);
    if (nl) {
      size_t n = (size_t)(nl - c->buf);
      char *line = malloc(n + 1);
      if (!line)
        return NULL;
      memcpy(line, c->buf, n);
      line[n] = '\0';
      if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
      memmove(c->buf, nl + 1, c->len - n - 1);
      c->len -= n + 1;
      return line;
    }
    if (c->len == sizeof c->buf)
      return NULL; /* longer than any SMTP line may be */
    ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (r <= 0)
      return NULL;
    c->len += (size_t)r;
  }
}

static char *dup_address(const char *arg) {
  const char *lt = strchr(arg, '<'), *gt = lt ? strchr(lt, '>') : NULL;
  if (!lt || !gt)
    return strdup(arg);
  return strndup(lt + 1, (size_t)(gt - lt - 1));
}

static int b64_value(char ch) {
  static const char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *p = ch ? strchr(alphabet, ch) : NULL;
  return p ? (int)(p - alphabet) : -1;
}

/* Decode base64 into a malloc'd buffer (NUL-terminated); *len its size. */
static char *b64_decode(const char *in, size_t *len) {
  size_t n = strlen(in);
  char *out = malloc(n + 1);
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; out && i < n && in[i] != '='; i++) {
    int v = b64_value(in[i]);
    if (v < 0)
      continue;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (char)((acc >> bits) & 0xFF);
    }
  }
  if (out)
    out[o] = '\0';
  *len = o;
  return out;
}

/* AUTH PLAIN: "\0user\0pass". */
static void take_plain(smtp_message *m, const char *b64) {
  size_t len;
  char *raw = b64_decode(b64, &len);
  if (!raw)
    return;
  size_t u = strlen(raw) + 1;
  if (u < len) {
    m->auth_user = strdup(raw + u);
    size_t p = u + strlen(raw + u) + 1;
    if (p <= len)
      m->auth_pass = strdup(raw + p);
  }
  free(raw);
}

static void do_auth(conn *c, smtp_message *m, const char *arg) {
  if (strncasecmp(arg, "PLAIN", 5) == 0) {
    const char *inline_arg = arg + 5;
    while (*inline_arg == ' ')
      inline_arg++;
    if (*inline_arg) {
      take_plain(m, inline_arg);
    } else {
      say(c, "334 \r\n");
      char *line = read_line(c);
      if (!line)
        return;
      take_plain(m, line);
      free(line);
    }
  } else if (strncasecmp(arg, "LOGIN", 5) == 0) {
    size_t len;
    say(c, "334 VXNlcm5hbWU6\r\n");
    char *u = read_line(c);
    say(c, "334 UGFzc3dvcmQ6\r\n");
    char *p = read_line(c);
    if (u)
      m->auth_user = b64_decode(u, &len);
    if (p)
      m->auth_pass = b64_decode(p, &len);
    free(u);
    free(p);
  } else {
    say(c, "504 unsupported mechanism\r\n");
    return;
  }
  say(c, "235 authenticated\r\n");
}

/* Read DATA up to the lone ".", undoing dot-stuffing. */
static char *read_data(conn *c) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return NULL;
  char *line;
  int ended = 0;
  while ((line = read_line(c))) {
    if (strcmp(line, ".") == 0) {
      free(line);
      ended = 1;
      break;
    }
    fprintf(f, "%s\r\n", line[0] == '.' ? line + 1 : line);
    free(line);
  }
  fclose(f);
  if (!ended) {
    free(buf);
    return NULL;
  }
  return buf;
}

static void message_reset(smtp_message *m) {
  char *helo = m->helo, *user = m->auth_user, *pass = m->auth_pass;
  m->helo = m->auth_user = m->auth_pass = NULL;
  smtp_message_free(m);
  m->helo = helo;
  m->auth_user = user;
  m->auth_pass = pass;
}

static void keep(smtp_sink *s, smtp_message *m) {
  pthread_mutex_lock(&s->mu);
  smtp_message *grown = realloc(s->msgs, (s->n_msgs + 1) * sizeof *grown);
  if (grown) {
    s->msgs = grown;
    s->msgs[s->n_msgs++] = *m;
    memset(m, 0, sizeof *m);
  }
  pthread_cond_broadcast(&s->cond);
  pthread_mutex_unlock(&s->mu);
}

static void do_data(smtp_sink *s, conn *c, smtp_message *m) {
  say(c, "354 end with <CRLF>.<CRLF>\r\n");
  char *data = read_data(c);
  if (!data)
    return;
  pthread_mutex_lock(&s->mu);
  int refuse = s->refuse_code;
  pthread_mutex_unlock(&s->mu);
  if (refuse) {
    char reply[64];
    snprintf(reply, sizeof reply, "%d message refused by the test\r\n", refuse);
    say(c, reply);
    free(data);
    message_reset(m);
    return;
  }
  m->data = data;
  char *helo = m->helo ? strdup(m->helo) : NULL;
  char *user = m->auth_user ? strdup(m->auth_user) : NULL;
  char *pass = m->auth_pass ? strdup(m->auth_pass) : NULL;
  keep(s, m);
  m->helo = helo;
  m->auth_user = user;
  m->auth_pass = pass;
  say(c, "250 queued\r\n");
}

static void serve(smtp_sink *s, int fd) {
  conn c = {.fd = fd};
  struct timeval tv = {10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  smtp_message m = {0};
  say(&c, "220 127.0.0.1 test sink ESMTP\r\n");
  char *line;
  while ((line = read_line(&c))) {
    char *arg = strchr(line, ' ');
    arg = arg ? arg + 1 : line + strlen(line);
    if (strncasecmp(line, "EHLO", 4) == 0) {
      free(m.helo);
      m.helo = strdup(arg);
      say(&c, "250-127.0.0.1\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
    } else if (strncasecmp(line, "HELO", 4) == 0) {
      free(m.helo);
      m.helo = strdup(arg);
      say(&c, "250 127.0.0.1\r\n");
    } else if (strncasecmp(line, "AUTH", 4) == 0) {
      do_auth(&c, &m, arg);
    } else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
      free(m.from);
      m.from = dup_address(line + 10);
      say(&c, "250 ok\r\n");
    } else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
      char **grown = realloc(m.rcpt, (m.n_rcpt + 1) * sizeof *grown);
      if (grown) {
        m.rcpt = grown;
        m.rcpt[m.n_rcpt++] = dup_address(line + 8);
      }
      say(&c, "250 ok\r\n");
    } else if (strncasecmp(line, "DATA", 4) == 0) {
      do_data(s, &c, &m);
    } else if (strncasecmp(line, "RSET", 4) == 0) {
      message_reset(&m);
      say(&c, "250 ok\r\n");
    } else if (strncasecmp(line, "NOOP", 4) == 0) {
      say(&c, "250 ok\r\n");
    } else if (strncasecmp(line, "QUIT", 4) == 0) {
      say(&c, "221 bye\r\n");
      free(line);
      break;
    } else {
      say(&c, "502 not implemented\r\n");
    }
    free(line);
  }
  smtp_message_free(&m);
  close(fd);
}

static void *run(void *arg) {
  smtp_sink *s = arg;
  for (;;) {
    struct pollfd p[2] = {{s->listen_fd, POLLIN, 0},
                          {s->stop_pipe[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (p[1].revents)
      break;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
      continue;
    pthread_mutex_lock(&s->mu);
    s->connections++;
    pthread_mutex_unlock(&s->mu);
    serve(s, fd);
  }
  return NULL;
}

smtp_sink *smtp_sink_start(void) {
  smtp_sink *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a = {.sin_family = AF_INET};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof a;
  if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&a, alen) ||
      listen(s->listen_fd, 8) ||
      getsockname(s->listen_fd, (struct sockaddr *)&a, &alen) ||
      pipe(s->stop_pipe)) {
    if (s->listen_fd >= 0)
      close(s->listen_fd);
    free(s);
    return NULL;
  }
  snprintf(s->url, sizeof s->url, "smtp://127.0.0.1:%u",
           (unsigned)ntohs(a.sin_port));
  pthread_mutex_init(&s->mu, NULL);
  pthread_cond_init(&s->cond, NULL);
  if (pthread_create(&s->thread, NULL, run, s) != 0) {
    close(s->listen_fd);
    close(s->stop_pipe[0]);
    close(s->stop_pipe[1]);
    free(s);
    return NULL;
  }
  return s;
}

void smtp_sink_stop(smtp_sink *s) {
  if (!s)
    return;
  if (write(s->stop_pipe[1], "x", 1) != 1) {
    /* the thread then only stops with the process */
  }
  pthread_join(s->thread, NULL);
  close(s->listen_fd);
  close(s->stop_pipe[0]);
  close(s->stop_pipe[1]);
  for (size_t i = 0; i < s->n_msgs; i++)
    smtp_message_free(&s->msgs[i]);
  free(s->msgs);
  pthread_mutex_destroy(&s->mu);
  pthread_cond_destroy(&s->cond);
  free(s);
}

const char *smtp_sink_url(const smtp_sink *s) {
  return s->url;
}

void smtp_sink_refuse_data(smtp_sink *s, int code) {
  pthread_mutex_lock(&s->mu);
  s->refuse_code = code;
  pthread_mutex_unlock(&s->mu);
}

size_t smtp_sink_count(smtp_sink *s) {
  pthread_mutex_lock(&s->mu);
  size_t n = s->n_msgs;
  pthread_mutex_unlock(&s->mu);
  return n;
}

size_t smtp_sink_connections(smtp_sink *s) {
  pthread_mutex_lock(&s->mu);
  size_t n = s->connections;
  pthread_mutex_unlock(&s->mu);
  return n;
}

int smtp_sink_wait(smtp_sink *s, size_t n, long timeout_ms) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += timeout_ms / 1000;
  until.tv_nsec += (timeout_ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&s->mu);
  int rc = 0;
  while (s->n_msgs < n && rc == 0)
    rc = pthread_cond_timedwait(&s->cond, &s->mu, &until);
  int ok = s->n_msgs >= n;
  pthread_mutex_unlock(&s->mu);
  return ok ? 0 : -1;
}

static char *dup_or_null(const char *s) {
  return s ? strdup(s) : NULL;
}

int smtp_sink_get(smtp_sink *s, size_t i, smtp_message *out) {
  memset(out, 0, sizeof *out);
  pthread_mutex_lock(&s->mu);
  int rc = -1;
  if (i < s->n_msgs) {
    const smtp_message *m = &s->msgs[i];
    out->helo = dup_or_null(m->helo);
    out->from = dup_or_null(m->from);
    out->auth_user = dup_or_null(m->auth_user);
    out->auth_pass = dup_or_null(m->auth_pass);
    out->data = dup_or_null(m->data);
    out->rcpt = calloc(m->n_rcpt + 1, sizeof *out->rcpt);
    for (size_t k = 0; out->rcpt && k < m->n_rcpt; k++)
      out->rcpt[out->n_rcpt++] = dup_or_null(m->rcpt[k]);
    rc = 0;
  }
  pthread_mutex_unlock(&s->mu);
  return rc;
}

void smtp_message_free(smtp_message *m) {
  free(m->helo);
  free(m->from);
  for (size_t i = 0; i < m->n_rcpt; i++)
    free(m->rcpt[i]);
  free(m->rcpt);
  free(m->auth_user);
  free(m->auth_pass);
  free(m->data);
  memset(m, 0, sizeof *m);
}
