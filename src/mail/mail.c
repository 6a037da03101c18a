/* Queueing and formatting messages. Everything here is pure or one insert:
 * the sender (send.c) does the network part on its own thread. Messages
 * go out as base64 UTF-8 text so that Chinese text and long lines survive
 * any relay (no 8BITMIME or SMTPUTF8 needed). */
#include "mail.h"

#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../core/log.h"
#include "../store/mail.h"
#include "../store/store.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(mh_buf_t *b, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        mh_buf_putc(b, b64[(v >> 18) & 63]);
        mh_buf_putc(b, b64[(v >> 12) & 63]);
        mh_buf_putc(b, i + 1 < n ? b64[(v >> 6) & 63] : '=');
        mh_buf_putc(b, i + 2 < n ? b64[v & 63] : '=');
    }
}

/* Bytes of the UTF-8 sequence starting with c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
    if (c >= 0xf0 && c < 0xf8)
        return 4;
    if (c >= 0xe0)
        return c < 0xf0 ? 3 : 1;
    if (c >= 0xc0)
        return 2;
    return 1;
}

const char *mh_mail_header_encode(mh_pool_t *p, const char *text)
{
    size_t n = strlen(text);
    char *clean = mh_pstrndup(p, text, n);
    bool plain = strstr(clean, "=?") == NULL && n <= 900;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)clean[i];
        if (c < 0x20 || c == 0x7f)
            clean[i] = ' ';
        if (c >= 0x80)
            plain = false;
    }
    if (plain)
        return clean;
    /* An encoded word is at most 75 characters: "=?UTF-8?B?" + base64 +
     * "?=" leaves 63, so at most 45 bytes of text per word, cut between
     * characters (RFC 2047 section 5 forbids splitting one). */
    mh_buf_t b;
    mh_buf_init(&b, 64 * 1024);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n) {
            size_t l = utf8_len((unsigned char)clean[j]);
            if (j + l > n)
                l = n - j;
            if (j + l - i > 45)
                break;
            j += l;
        }
        if (i)
            mh_buf_append_c(&b, "\r\n ");
        mh_buf_append_c(&b, "=?UTF-8?B?");
        base64(&b, (const unsigned char *)clean + i, j - i);
        mh_buf_append_c(&b, "?=");
        i = j;
    }
    const char *out = mh_buf_failed(&b) ? "" : mh_pstrndup(p, b.base, b.len);
    mh_buf_free(&b);
    return out;
}

/* A display name for From: encoded words when it is not ASCII, else a
 * quoted string when it holds characters that would end or split the
 * address (RFC 5322 "specials"), else as it is. */
static const char *display_name(mh_pool_t *p, const char *name)
{
    const char *e = mh_mail_header_encode(p, name);
    if (strncmp(e, "=?", 2) == 0 || !strpbrk(e, "()<>[]:;@\\,.\""))
        return e;
    mh_buf_t b;
    mh_buf_init(&b, 4096);
    mh_buf_putc(&b, '"');
    for (const char *c = e; *c; c++) {
        if (*c == '"' || *c == '\\')
            mh_buf_putc(&b, '\\');
        mh_buf_putc(&b, *c);
    }
    mh_buf_putc(&b, '"');
    const char *out = mh_buf_failed(&b) ? "masthead" : mh_pstrndup(p, b.base, b.len);
    mh_buf_free(&b);
    return out;
}

int64_t mh_mail_backoff(int attempts, int64_t base)
{
    if (base < 1)
        base = 1;
    int64_t d = base;
    for (int i = 1; i < attempts && d < MH_MAIL_RETRY_MAX; i++)
        d *= 2;
    return d < MH_MAIL_RETRY_MAX ? d : MH_MAIL_RETRY_MAX;
}

const char *mh_mail_date(mh_pool_t *p, int64_t t)
{
    /* fixed English names: the C library's would follow the locale */
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    return mh_psprintf(p, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
                       months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

bool mh_mail_address_ok(const char *v)
{
    size_t n = strlen(v);
    const char *at = strchr(v, '@');
    if (!at || at == v || strchr(at + 1, '@') || n > 254)
        return false;
    const char *dom = at + 1;
    const char *dot = strchr(dom, '.');
    if (!dot || dot == dom || v[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == 0x7f ||
            c == '(' || c == ')' || c == '\\')
            return false;
    }
    return true;
}

bool mh_mail_split(mh_pool_t *p, const char *list, const char ***out, size_t *n)
{
    size_t cap = 1;
    for (const char *c = list; *c; c++)
        cap += *c == ',';
    const char **v = mh_pnalloc(p, cap, sizeof(*v));
    size_t k = 0;
    for (const char *s = list;;) {
        size_t l = strcspn(s, ",");
        const char *b = s;
        while (l && (*b == ' ' || *b == '\t'))
            b++, l--;
        while (l && (b[l - 1] == ' ' || b[l - 1] == '\t'))
            l--;
        if (l) {
            char *a = mh_pstrndup(p, b, l);
            if (!mh_mail_address_ok(a))
                return false;
            v[k++] = a;
        }
        s += strcspn(s, ",");
        if (!*s)
            break;
        s++;
    }
    *out = v;
    *n = k;
    return k > 0;
}

const char *mh_mail_format(mh_pool_t *p, const mh_mail_msg_t *m)
{
    mh_buf_t b;
    mh_buf_init(&b, 4u << 20);
    if (m->from_name && *m->from_name)
        mh_buf_printf(&b, "From: %s <%s>\r\n", display_name(p, m->from_name), m->from);
    else
        mh_buf_printf(&b, "From: <%s>\r\n", m->from);
    const char **to = NULL;
    size_t nt = 0;
    mh_buf_append_c(&b, "To: ");
    if (mh_mail_split(p, m->to, &to, &nt))
        for (size_t i = 0; i < nt; i++)
            mh_buf_printf(&b, "%s<%s>", i ? ",\r\n " : "", to[i]);
    mh_buf_append_c(&b, "\r\n");
    mh_buf_printf(&b, "Subject: %s\r\n", mh_mail_header_encode(p, m->subject));
    mh_buf_printf(&b, "Date: %s\r\n", mh_mail_date(p, m->date));
    mh_buf_printf(&b, "Message-ID: <%s>\r\n", m->message_id);
    mh_buf_append_c(&b, "MIME-Version: 1.0\r\n"
                        "Content-Type: text/plain; charset=UTF-8\r\n"
                        "Content-Transfer-Encoding: base64\r\n"
                        "Auto-Submitted: auto-generated\r\n\r\n");
    /* the body with CRLF line ends, then base64 in lines of 76 */
    mh_buf_t t;
    mh_buf_init(&t, 4u << 20);
    for (const char *c = m->body; *c; c++) {
        if (*c == '\r' && c[1] == '\n')
            continue;
        if (*c == '\n' || *c == '\r')
            mh_buf_append_c(&t, "\r\n");
        else
            mh_buf_putc(&t, *c);
    }
    for (size_t i = 0; i < t.len; i += 57) {
        size_t l = t.len - i < 57 ? t.len - i : 57;
        base64(&b, (const unsigned char *)t.base + i, l);
        mh_buf_append_c(&b, "\r\n");
    }
    const char *out = mh_buf_failed(&b) || mh_buf_failed(&t) ? NULL : mh_pstrndup(p, b.base, b.len);
    mh_buf_free(&t);
    mh_buf_free(&b);
    return out;
}

int mh_mail_queue_to(mh_content_t *c, const char *to, const char *subject, const char *body,
                     int64_t *id)
{
    mh_pool_t *p = mh_pool_create();
    int rc = MH_DECLINED;
    const char **v;
    size_t n;
    if (!to || !mh_mail_split(p, to, &v, &n))
        goto done;
    /* stored normalised: the sender trusts the row */
    mh_buf_t b;
    mh_buf_init(&b, 64 * 1024);
    for (size_t i = 0; i < n; i++)
        mh_buf_printf(&b, "%s%s", i ? ", " : "", v[i]);
    char *list = mh_pstrndup(p, b.base ? b.base : "", b.len);
    mh_buf_free(&b);
    char *subj = mh_pstrdup(p, subject ? subject : "");
    for (char *s = subj; *s; s++)
        if ((unsigned char)*s < 0x20)
            *s = ' ';
    mh_store_t *s = mh_content_store(c);
    int64_t mid = 0;
    rc = s->ops->mail->insert(s, list, subj, body ? body : "", (int64_t)time(NULL), &mid);
    if (rc == MH_OK) {
        mh_info("mail: queued message %lld to %zu recipient(s)", (long long)mid, n);
        if (id)
            *id = mid;
    }
done:
    mh_pool_destroy(p);
    return rc;
}

int mh_mail_queue(mh_content_t *c, const char *subject, const char *body)
{
    mh_pool_t *p = mh_pool_create();
    const char *host = mh_content_setting(c, p, 0, "smtp_host");
    const char *to = mh_content_setting(c, p, 0, "smtp_to");
    if (!to || !*to)
        to = mh_content_setting(c, p, 0, "mail_to"); /* the key's first name */
    int rc =
        host && *host && to && *to ? mh_mail_queue_to(c, to, subject, body, NULL) : MH_DECLINED;
    mh_pool_destroy(p);
    return rc;
}
