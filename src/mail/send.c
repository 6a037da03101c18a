/* The sender: one thread per server that wakes every second, takes the
 * messages that are due and hands each to libcurl's SMTP client. It has
 * its own thread rather than the server's tick because a slow or dead
 * mail server may take the connect timeout per message, and the tick also
 * publishes scheduled entries. The SMTP password goes to libcurl only: it
 * is never logged and never stored in an error text. */
#include "module.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../content/notify.h"
#include "../core/buf.h"
#include "../core/log.h"
#include "../store/mail.h"
#include "../store/store.h"
#include "mail.h"

struct mail_module {
    mh_content_t *content;
    pthread_t thread;
    bool started;
    atomic_bool stopping;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    int attempts; /* give up after this many */
    int64_t base; /* first back-off, seconds */
};

/* What libcurl reads the message from. */
typedef struct {
    const char *data;
    size_t len, off;
} upload_t;

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
    upload_t *u = arg;
    size_t room = size * nitems, left = u->len - u->off;
    size_t n = left < room ? left : room;
    memcpy(buf, u->data + u->off, n);
    u->off += n;
    return n;
}

/* Abort a transfer when the server is stopping. */
static int progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    struct mail_module *m = arg;
    return atomic_load(&m->stopping) ? 1 : 0;
}

static int64_t env_int(const char *name, int64_t dflt, int64_t max)
{
    const char *v = getenv(name);
    unsigned long long n;
    if (!v || !mh_str_to_u64(mh_str_c(v), (unsigned long long)max, &n) || n == 0)
        return dflt;
    return (int64_t)n;
}

/* The server settings of one round. */
typedef struct {
    const char *host, *port, *security, *user, *password, *from, *from_name;
} smtp_conf_t;

static const char *set(mh_content_t *c, mh_pool_t *p, const char *key)
{
    const char *v = mh_content_setting(c, p, 0, key);
    return v ? v : "";
}

static void read_conf(mh_content_t *c, mh_pool_t *p, smtp_conf_t *k)
{
    k->host = set(c, p, "smtp_host");
    k->port = set(c, p, "smtp_port");
    k->security = set(c, p, "smtp_security");
    if (!*k->security) /* the setting's first form: smtp_starttls = 1 | 0 */
        k->security = strcmp(set(c, p, "smtp_starttls"), "0") == 0 ? "none" : "starttls";
    k->user = set(c, p, "smtp_user");
    k->password = set(c, p, "smtp_password");
    k->from = set(c, p, "smtp_from");
    if (!*k->from)
        k->from = set(c, p, "email");
    if (!mh_mail_address_ok(k->from))
        k->from = "noreply@localhost";
    k->from_name = set(c, p, "site_name");
}

/* Send one message; NULL on success, else the error text (in p). */
static const char *send_one(struct mail_module *m, mh_pool_t *p, const smtp_conf_t *k,
                            const mh_mail_row_t *r)
{
    const char *err = NULL;
    CURL *h = NULL;
    struct curl_slist *rcpt = NULL;
    if (!*k->host) {
        err = "smtp_host is not set";
        goto done;
    }
    const char **to;
    size_t nt;
    if (!mh_mail_split(p, r->recipients, &to, &nt)) {
        err = "no valid recipient";
        goto done;
    }
    bool tls = strcmp(k->security, "tls") == 0;
    const char *port = *k->port                               ? k->port
                       : tls                                  ? "465"
                       : strcmp(k->security, "starttls") == 0 ? "587"
                                                              : "25";
    bool v6 = strchr(k->host, ':') != NULL;
    const char *url = mh_psprintf(p, "%s://%s%s%s:%s", tls ? "smtps" : "smtp", v6 ? "[" : "",
                                  k->host, v6 ? "]" : "", port);
    const char *at = strchr(k->from, '@');
    struct timespec now_ts;
    clock_gettime(CLOCK_REALTIME, &now_ts);
    mh_mail_msg_t msg = {
        .from = k->from,
        .from_name = k->from_name,
        .to = r->recipients,
        .subject = r->subject,
        .body = r->body,
        .date = (int64_t)time(NULL),
        .message_id =
            mh_psprintf(p, "mh.%lld.%lld.%x@%s", (long long)r->id, (long long)r->created_at,
                        (unsigned)now_ts.tv_nsec, at ? at + 1 : "localhost"),
    };
    const char *text = mh_mail_format(p, &msg);
    if (!text) {
        err = "message too large";
        goto done;
    }
    h = curl_easy_init();
    if (!h) {
        err = "cannot start libcurl";
        goto done;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    upload_t up = {.data = text, .len = strlen(text)};
    for (size_t i = 0; i < nt; i++)
        rcpt = curl_slist_append(rcpt, mh_psprintf(p, "<%s>", to[i]));
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     strcmp(k->security, "starttls") == 0 ? (long)CURLUSESSL_ALL
                                                          : (long)CURLUSESSL_NONE);
    if (*k->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, k->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, k->password);
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, mh_psprintf(p, "<%s>", k->from));
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.len);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress_cb);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, m);
    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK) {
        const char *why = *errbuf ? errbuf : curl_easy_strerror(cc);
        /* the error text is shown in the admin: make sure no secret got in */
        if (*k->password && strstr(why, k->password))
            why = curl_easy_strerror(cc);
        err = mh_psprintf(p, "%s (%s:%s)", why, k->host, port);
    }
done:
    curl_slist_free_all(rcpt);
    if (h)
        curl_easy_cleanup(h);
    return err;
}

/* Send what is due now. */
static void round_once(struct mail_module *m)
{
    mh_pool_t *p = mh_pool_create();
    mh_store_t *s = mh_content_store(m->content);
    mh_mail_row_t *rows = NULL;
    size_t n = 0;
    if (s->ops->mail->due(s, p, (int64_t)time(NULL), 20, &rows, &n) != MH_OK || n == 0)
        goto done;
    smtp_conf_t k;
    read_conf(m->content, p, &k);
    for (size_t i = 0; i < n && !atomic_load(&m->stopping); i++) {
        const mh_mail_row_t *r = &rows[i];
        const char *err = send_one(m, p, &k, r);
        int64_t now = (int64_t)time(NULL);
        int attempts = r->attempts + 1;
        if (!err) {
            mh_info("mail: message %lld sent to %s", (long long)r->id, r->recipients);
            s->ops->mail->update(s, r->id, "sent", attempts, r->next_at, now, "");
        } else if (attempts >= m->attempts) {
            mh_warn("mail: message %lld failed after %d attempts: %s", (long long)r->id, attempts,
                    err);
            s->ops->mail->update(s, r->id, "failed", attempts, r->next_at, now, err);
        } else {
            int64_t wait = mh_mail_backoff(attempts, m->base);
            mh_warn("mail: message %lld attempt %d failed (%s); next in %lld s", (long long)r->id,
                    attempts, err, (long long)wait);
            s->ops->mail->update(s, r->id, "queued", attempts, now + wait, now, err);
        }
    }
done:
    mh_pool_destroy(p);
}

static void *sender_main(void *arg)
{
    struct mail_module *m = arg;
    pthread_mutex_lock(&m->mu);
    while (!atomic_load(&m->stopping)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&m->cond, &m->mu, &ts);
        if (atomic_load(&m->stopping))
            break;
        pthread_mutex_unlock(&m->mu);
        round_once(m);
        pthread_mutex_lock(&m->mu);
    }
    pthread_mutex_unlock(&m->mu);
    return NULL;
}

static void module_close(void *state)
{
    struct mail_module *m = state;
    if (!m)
        return;
    if (m->started) {
        mh_notify_set(NULL);
        pthread_mutex_lock(&m->mu);
        atomic_store(&m->stopping, true);
        pthread_cond_broadcast(&m->cond);
        pthread_mutex_unlock(&m->mu);
        pthread_join(m->thread, NULL);
    }
    pthread_cond_destroy(&m->cond);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

/* A new public submission as a plain-text mail to the site's recipients:
 * what was sent, field by field, and where to answer it in the admin. */
static int notify(mh_content_t *c, const mh_submission_t *s)
{
    mh_pool_t *p = mh_pool_create();
    mh_column_t col;
    const char *cname = mh_content_column_get(c, p, s->column_id, &col) == MH_OK ? col.name : "";
    const char *what = strcmp(s->kind, MH_SUB_GUESTBOOK) == 0     ? "guestbook message"
                       : strcmp(s->kind, MH_SUB_APPLICATION) == 0 ? "job application"
                                                                  : "feedback";
    mh_buf_t b;
    mh_buf_init(&b, 1u << 20);
    mh_buf_printf(&b, "A new %s was sent through \"%s\".\n\n", what, cname);
    if (s->name && *s->name)
        mh_buf_printf(&b, "Name: %s\n", s->name);
    if (s->contact && *s->contact)
        mh_buf_printf(&b, "Contact: %s\n", s->contact);
    for (size_t i = 0; i < s->nvalues; i++)
        mh_buf_printf(&b, "%s: %s\n", s->values[i].key, s->values[i].text);
    if (s->message && *s->message)
        mh_buf_printf(&b, "\n%s\n", s->message);
    if (s->file_size)
        mh_buf_printf(&b, "\nAttached in the admin: %s (%lld bytes)\n", s->file_name,
                      (long long)s->file_size);
    mh_buf_printf(&b, "\nSubmission %lld; answer it in the admin's inbox.\n", (long long)s->id);
    const char *subject = mh_psprintf(p, "[%s] New %s", cname, what);
    int rc = mh_buf_failed(&b) ? MH_ERR : mh_mail_queue(c, subject, mh_buf_str(&b).base);
    mh_buf_free(&b);
    mh_pool_destroy(p);
    return rc;
}

static int module_open(mh_server_t *srv, void **state, char *err, size_t errlen)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "mail: cannot initialise libcurl");
        return MH_ERR;
    }
    struct mail_module *m = mh_calloc(1, sizeof(*m));
    m->content = mh_server_content(srv);
    m->attempts = (int)env_int("MH_MAIL_ATTEMPTS", MH_MAIL_ATTEMPTS, 100);
    m->base = env_int("MH_MAIL_RETRY_BASE", MH_MAIL_RETRY_BASE, MH_MAIL_RETRY_MAX);
    atomic_init(&m->stopping, false);
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cond, NULL);
    if (pthread_create(&m->thread, NULL, sender_main, m) != 0) {
        snprintf(err, errlen, "mail: cannot start the sender thread");
        module_close(m);
        return MH_ERR;
    }
    m->started = true;
    mh_notify_set(notify);
    *state = m;
    return MH_OK;
}

const mh_server_module_t mh_mail_module = {
    .name = "mail",
    .open = module_open,
    .close = module_close,
};
