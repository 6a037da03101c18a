/* masthead: parse the command line and call into the library. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../../src/content/accounts.h"
#include "../../src/admin/admin.h"
#include "../../src/content/content.h"
#include "../../src/content/media.h"
#include "../../src/content/generate.h"
#include "../../src/content/search.h"
#include "../../src/core/log.h"
#include "../../src/http/server.h"
#include "../../src/migrate/metinfo_import.h"
#include "../../src/migrate/metinfo_scan.h"
#include "../../src/migrate/wxr_dryrun.h"
#include "../../src/migrate/wxr_import.h"
#include "../../src/migrate/backup.h"
#include "../../src/render/tmpl_file.h"
#include "../../src/site/site.h"
#include "export.h"
#include "modules.h"
#include "token.h"

static const char usage[] =
    "usage: masthead COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  init DIR [--demo]                 create a site in DIR (--demo: with demo content)\n"
    "  init DIR --generate N [--seed S]  create a site with N generated entries (two\n"
    "                                    languages, ~60 columns each; same seed, same site)\n"
    "  serve DIR [--listen HOST:PORT] [--no-page-cache] [--theme DIR] [--threads N]\n"
    "            [--trusted-proxy ADDR] [--no-admin]\n"
    "                                    serve the site (default 127.0.0.1:8080); believe\n"
    "                                    X-Forwarded-Proto only from ADDR; --no-admin: the\n"
    "                                    public site alone (media and scheduled publishing\n"
    "                                    still work)\n"
    "  user add DIR NAME --role ROLE     add an admin user (admin, editor, author,\n"
    "                                    contributor); asks for the password\n"
    "  user passwd DIR NAME              set a user's password (asks for it)\n"
    "  template render [--partials DIR] TEMPLATE DATA.json\n"
    "                                    render a Mustache template with JSON data\n"
    "  theme check DIR                   list names a theme uses that the context lacks\n"
    "  import metinfo DIR DUMP.sql... [--upload DIR] [--merge] [--dry-run]\n"
    "                                    import a MetInfo site's MySQL dumps (one\n"
    "                                    transaction; see docs/import.md); --dry-run\n"
    "                                    prints what they hold and writes nothing\n"
    "  import wxr DIR FILE.xml [--upload DIR] [--no-comments] [--merge] [--dry-run]\n"
    "                                    import a WordPress export (WXR): categories and\n"
    "                                    pages become columns, posts entries; --upload: the\n"
    "                                    old wp-content/uploads folder; --merge: into a site\n"
    "                                    that has content; --dry-run: print what would be\n"
    "                                    imported and write nothing\n"
    "  backup DIR OUT.tar                a consistent backup of the site (database snapshot,\n"
    "                                    media, SHA-256 manifest) while it serves\n"
    "  restore OUT.tar DIR [--force]     check a backup and unpack it as the site DIR\n"
    "                                    (--force: replace an existing site)\n"
    "  search rebuild DIR                rebuild the full-text search index (a progress\n"
    "                                    bar on a terminal)\n"
    "  token add DIR USER [--scope read|write] [--expires DAYS] [--name NAME]\n"
    "                                    make an API bearer token for USER (printed once,\n"
    "                                    alone on the last line); token list DIR,\n"
    "                                    token revoke DIR ID\n"
    "  export static DIR OUT [--host NAME] [--theme DIR]\n"
    "                                    write the public site as static files into OUT\n"
    "                                    (incremental: only what changed is rewritten)\n"
    "  --help, --version\n";

static int fail(const char *fmt, const char *a, const char *b)
{
    fputs("masthead: ", stderr);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 2;
}

static int need_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return fail("%s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return fail("%s: %s", dir, "not a directory");
    return 0;
}

/* --- init --generate: a generated site of any size (content/generate.h) --- */

struct gen_progress {
    bool tty;
    struct timespec t0;
    int64_t last_tenth;
    double last_line; /* seconds: plain lines at least every 10 s on large runs */
};

static double gen_elapsed(const struct gen_progress *g)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - g->t0.tv_sec) + (double)(now.tv_nsec - g->t0.tv_nsec) / 1e9;
}

/* A bar redrawn in place on a terminal; otherwise a line per tenth, and at
 * least one every 10 seconds. */
static void gen_show(void *ud, int64_t done, int64_t total)
{
    struct gen_progress *g = ud;
    double s = gen_elapsed(g);
    double rate = s > 0 ? (double)done / s : 0;
    int64_t tenth = total ? done * 10 / total : 10;
    if (g->tty) {
        char bar[31];
        int fill = total ? (int)(done * 30 / total) : 30;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %lld/%lld entries, %.0f/s ", bar, (long long)done, (long long)total,
                rate);
        if (done == total)
            fputc('\n', stderr);
    } else if (tenth > g->last_tenth || done == total || s - g->last_line >= 10) {
        g->last_line = s;
        fprintf(stderr, "generated %lld/%lld entries in %.1f s (%.0f/s)\n", (long long)done,
                (long long)total, s, rate);
    }
    g->last_tenth = tenth;
    fflush(stderr);
}

static int init_generate(const char *dir, int64_t n, uint64_t seed)
{
    char err[512];
    mh_content_t *c = NULL;
    mh_pool_t *p = NULL;
    mh_account_t admin;
    mh_generate_stats_t st;
    struct gen_progress prog = {.tty = isatty(STDERR_FILENO) != 0, .last_tenth = 0};
    char pw[32];
    int status = 2;
    if (mh_content_init(dir, false, err, sizeof(err)) != MH_OK)
        return fail("init: %s%s", err, "");
    if (mh_content_open(dir, &c, err, sizeof(err)) != MH_OK)
        return fail("init: %s%s", err, "");
    p = mh_pool_create();
    if (mh_accounts_create_first_admin(c, pw) != MH_OK ||
        mh_accounts_user_by_name(c, p, "admin", &admin) != MH_OK) {
        status = fail("init: cannot create the administrator%s%s", "", "");
        goto done;
    }
    mh_generate_opts_t o = {
        .entries = n, .seed = seed, .user_id = admin.id, .progress = gen_show, .ud = &prog};
    clock_gettime(CLOCK_MONOTONIC, &prog.t0);
    if (mh_generate_site(c, &o, &st, err, sizeof(err)) != MH_OK) {
        status = fail("init: %s%s", err, "");
        goto done;
    }
    double s = gen_elapsed(&prog);
    printf("created generated site in %s (seed %llu): %lld entries (%lld English, %lld "
           "Chinese, %lld linked translations, %lld with revisions, %lld drafts, %lld "
           "scheduled, %lld trashed), %lld columns per language, in %.1f s (%.0f entries/s)\n"
           "largest column: /%s/ (%lld English entries)\n",
           dir, (unsigned long long)seed, (long long)st.entries, (long long)st.en, (long long)st.zh,
           (long long)st.linked, (long long)st.revisions, (long long)st.drafts,
           (long long)st.scheduled, (long long)st.trashed, (long long)st.columns, s,
           s > 0 ? (double)st.entries / s : 0, st.largest_path, (long long)st.largest_count);
    printf("administrator: admin\n"
           "one-time password: %s\n"
           "(sign in at /admin/login; you will be asked to choose a new password)\n",
           pw);
    status = 0;
done:
    memset(pw, 0, sizeof(pw));
    mh_pool_destroy(p);
    mh_content_close(c);
    return status;
}

static int cmd_init(int argc, char **argv)
{
    const char *dir = NULL;
    bool demo = false;
    long long generate = -1;
    unsigned long long seed = 1;
    for (int i = 0; i < argc; i++) {
        if ((strcmp(argv[i], "--generate") == 0 || strcmp(argv[i], "--seed") == 0) &&
            i + 1 < argc) {
            unsigned long long v;
            if (!mh_str_to_u64(mh_str_c(argv[i + 1]), 100000000ull, &v))
                return fail("init: %s: '%s' is not a number from 0 to 100000000", argv[i],
                            argv[i + 1]);
            if (argv[i][2] == 'g')
                generate = (long long)v;
            else
                seed = v;
            i++;
            continue;
        }
        if (strcmp(argv[i], "--demo") == 0)
            demo = true;
        else if (argv[i][0] == '-')
            return fail("init: unknown option '%s'%s", argv[i], "");
        else if (!dir)
            dir = argv[i];
        else
            return fail("init: unexpected argument '%s'%s", argv[i], "");
    }
    if (!dir)
        return fail("init: missing DIR%s%s", "", "");
    if (generate >= 0 && demo)
        return fail("init: --demo and --generate exclude each other%s%s", "", "");
    if (generate >= 0)
        return init_generate(dir, generate, seed);
    char err[512];
    if (mh_content_init(dir, demo, err, sizeof(err)) != MH_OK)
        return fail("init: %s%s", err, "");
    mh_content_t *c;
    char pw[32];
    if (mh_content_open(dir, &c, err, sizeof(err)) != MH_OK)
        return fail("init: %s%s", err, "");
    int rc = mh_accounts_create_first_admin(c, pw);
    mh_content_close(c);
    if (rc != MH_OK)
        return fail("init: cannot create the administrator%s%s", "", "");
    printf("created %s site in %s\n", demo ? "demo" : "new", dir);
    /* shown once, stored only as a hash */
    printf("administrator: admin\n"
           "one-time password: %s\n"
           "(sign in at /admin/login; you will be asked to choose a new password)\n",
           pw);
    memset(pw, 0, sizeof(pw));
    return 0;
}

/* Read a password: without echo from a terminal (asked twice), else one
 * line from stdin. Returns the length, or -1. */
static long read_password(char *buf, size_t size)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    for (int round = 0; round < (tty ? 2 : 1); round++) {
        char *dst = round == 0 ? buf : buf + size / 2;
        size_t cap = tty ? size / 2 : size;
        if (tty) {
            fputs(round == 0 ? "password: " : "again: ", stderr);
            fflush(stderr);
            if (tcgetattr(STDIN_FILENO, &old) != 0)
                return -1;
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            quiet.c_lflag |= ECHONL;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        char *got = fgets(dst, (int)cap, stdin);
        if (tty)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        if (!got)
            return -1;
        size_t n = strlen(dst);
        if (n && dst[n - 1] == '\n')
            dst[--n] = '\0';
        else if (n == cap - 1)
            return -1; /* too long */
        if (n && dst[n - 1] == '\r')
            dst[--n] = '\0';
    }
    if (tty && strcmp(buf, buf + size / 2) != 0) {
        fputs("masthead: the passwords differ\n", stderr);
        return -1;
    }
    return (long)strlen(buf);
}

static int cmd_user(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "passwd") != 0))
        return fail("user: usage: masthead user add DIR NAME --role ROLE | user passwd DIR "
                    "NAME%s%s",
                    "", "");
    bool add = strcmp(argv[0], "add") == 0;
    const char *dir = argv[1], *name = argv[2], *role = NULL;
    for (int i = 3; i < argc; i++) {
        if (add && strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else
            return fail("user: unexpected argument '%s'%s", argv[i], "");
    }
    if (add && !role)
        return fail("user add: --role ROLE is required%s%s", "", "");
    if (need_dir(dir))
        return 2;
    char err[512];
    mh_content_t *c;
    if (mh_content_open(dir, &c, err, sizeof(err)) != MH_OK)
        return fail("user: %s%s", err, "");
    int status = 1;
    char pw[1040];
    mh_pool_t *p = mh_pool_create();
    mh_account_t acc;
    int found = mh_accounts_user_by_name(c, p, name, &acc);
    if (add && found == MH_OK) {
        status = fail("user add: '%s' exists%s", name, "");
        goto done;
    }
    if (!add && found != MH_OK) {
        status = fail("user passwd: no user '%s'%s", name, "");
        goto done;
    }
    long len = read_password(pw, sizeof(pw));
    if (len < 0) {
        status = fail("user: no password read%s%s", "", "");
        goto done;
    }
    const char *why = NULL;
    int rc;
    if (add) {
        mh_account_t u = {.name = name, .role = role, .display_name = name, .ui_lang = "en"};
        int64_t id;
        rc = mh_accounts_user_create(c, &u, pw, (size_t)len, &id, &why);
    } else {
        rc = mh_accounts_set_password(c, acc.id, acc.name, pw, (size_t)len, false, &why);
        if (rc == MH_OK)
            mh_accounts_sessions_end_user(c, acc.id, NULL);
    }
    if (rc == MH_DECLINED) {
        if (why && strcmp(why, "name") == 0)
            why = "invalid user name (letters, digits, . _ @ -, at most 64)";
        else if (why && strcmp(why, "role") == 0)
            why = "unknown role (admin, editor, author, contributor)";
        status = fail("user: %s%s", why ? why : "refused", "");
    } else if (rc != MH_OK) {
        status = fail("user: database error%s%s", "", "");
    } else {
        mh_accounts_audit(c, 0, "", add ? "user.create" : "user.password_reset",
                          mh_psprintf(p, "name:%s", name), "command line");
        printf("%s %s\n", add ? "added user" : "password set for", name);
        status = 0;
    }
done:
    memset(pw, 0, sizeof(pw));
    mh_pool_destroy(p);
    mh_content_close(c);
    return status;
}

/* Before serving: remove what an interrupted upload (a crash, kill -9)
 * or an older version left in DIR/media (content/media.h). */
static int recover_media(const char *dir)
{
    mh_content_t *c;
    char err[512], media[4096];
    size_t removed = 0;
    if (mh_content_open(dir, &c, err, sizeof(err)) != MH_OK)
        return MH_OK; /* the server's own open reports it */
    snprintf(media, sizeof(media), "%s/media", dir);
    int rc = mh_content_media_recover(c, media, &removed);
    if (removed)
        mh_info("media: %zu file(s) left by interrupted uploads removed", removed);
    mh_content_close(c);
    return rc;
}

static int cmd_serve(int argc, char **argv)
{
    mh_server_config_t cfg;
    mh_server_config_defaults(&cfg);
    cfg.modules = mh_modules;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--listen") == 0 || strcmp(a, "--theme") == 0 ||
            strcmp(a, "--threads") == 0 || strcmp(a, "--trusted-proxy") == 0) {
            if (!has_value)
                return fail("serve: %s needs a value%s", a, "");
            const char *v = argv[++i];
            if (strcmp(a, "--listen") == 0) {
                cfg.listen = v;
            } else if (strcmp(a, "--trusted-proxy") == 0) {
                cfg.trusted_proxy = v;
            } else if (strcmp(a, "--theme") == 0) {
                if (need_dir(v))
                    return 2;
                cfg.theme_dir = v;
            } else {
                unsigned long long n;
                if (!mh_str_to_u64(mh_str_c(v), 256, &n) || n == 0)
                    return fail("serve: --threads: '%s' is not a number from 1 to 256%s", v, "");
                cfg.threads = (unsigned)n;
            }
        } else if (strcmp(a, "--no-page-cache") == 0) {
            cfg.page_cache = false;
        } else if (strcmp(a, "--no-admin") == 0) {
            cfg.modules = mh_modules_public;
        } else if (a[0] == '-') {
            return fail("serve: unknown option '%s'%s", a, "");
        } else if (!cfg.site_dir) {
            cfg.site_dir = a;
        } else {
            return fail("serve: unexpected argument '%s'%s", a, "");
        }
    }
    if (!cfg.site_dir)
        return fail("serve: missing DIR%s%s", "", "");
    if (need_dir(cfg.site_dir))
        return 2;

    /* Block the stop signals in every thread; the main thread waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    mh_server_t *srv;
    char err[512];
    if (recover_media(cfg.site_dir) != MH_OK)
        return fail("serve: %s: cannot check the media directory%s", cfg.site_dir, "");
    if (mh_server_start(&cfg, &srv, err, sizeof(err)) != MH_OK)
        return fail("serve: %s%s", err, "");
    const char *url = mh_server_url(srv);
    printf("masthead %s serving %s\n", MH_VERSION, cfg.site_dir);
    printf("  home page:    %s/\n", url);
    printf("  seed article: %s/news/li-gang-led-a-team-to-visit-beijing-and-shanghai.html\n", url);
    mh_admin_t *admin = mh_admin_of(srv);
    if (admin)
        printf("  admin:        %s%s/\n", url, mh_admin_base(admin));
    printf("listening on %s/\n", url);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    mh_info("received %s, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    mh_server_stop(srv);
    mh_info("stopped");
    return 0;
}

static int cmd_template(int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "render") != 0)
        return fail("template: expected 'render'%s%s", "", "");
    const char *partials = NULL, *tmpl = NULL, *data = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--partials") == 0) {
            if (i + 1 >= argc)
                return fail("template render: --partials needs a directory%s%s", "", "");
            partials = argv[++i];
            if (need_dir(partials))
                return 2;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return fail("template render: unknown option '%s'%s", argv[i], "");
        } else if (!tmpl) {
            tmpl = argv[i];
        } else if (!data) {
            data = argv[i];
        } else {
            return fail("template render: unexpected argument '%s'%s", argv[i], "");
        }
    }
    if (!tmpl || !data)
        return fail("template render: needs TEMPLATE and DATA.json%s%s", "", "");
    char err[512];
    if (mh_tmpl_render_files(tmpl, data, partials, stdout, err, sizeof(err)) != MH_OK)
        return fail("template render: %s%s", err, "");
    return fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_theme(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[0], "check") != 0)
        return fail("theme: usage: masthead theme check DIR%s%s", "", "");
    if (need_dir(argv[1]))
        return 2;
    int problems = mh_site_theme_check(argv[1]);
    if (problems < 0)
        return 2;
    if (problems == 0)
        printf("theme %s: ok\n", argv[1]);
    return problems ? 1 : 0;
}

static int cmd_import(int argc, char **argv)
{
    static const char usage_line[] =
        "usage: masthead import metinfo DIR DUMP.sql... [--upload DIR] [--merge] [--dry-run]";
    if (argc < 1 || strcmp(argv[0], "metinfo") != 0)
        return fail("import: %s%s", usage_line, "");
    const char *dir = NULL, *upload = NULL;
    const char **files = calloc((size_t)argc, sizeof(*files));
    size_t nfiles = 0;
    bool dry_run = false, merge = false;
    int status = 2;
    if (!files)
        return fail("import: out of memory%s%s", "", "");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0) {
            dry_run = true;
        } else if (strcmp(argv[i], "--merge") == 0) {
            merge = true;
        } else if (strcmp(argv[i], "--upload") == 0) {
            if (i + 1 >= argc) {
                status = fail("import metinfo: --upload needs a directory%s%s", "", "");
                goto done;
            }
            upload = argv[++i];
            if (need_dir(upload))
                goto done;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            status = fail("import metinfo: unknown option '%s'%s", argv[i], "");
            goto done;
        } else if (!dir) {
            dir = argv[i];
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (!dir || !nfiles) {
        status = fail("import metinfo: %s%s", usage_line, "");
        goto done;
    }
    char err[1024];
    if (dry_run) {
        mh_metinfo_scan_opts_t o = {.out = stdout, .status = stderr, .progress = isatty(2) != 0};
        if (mh_metinfo_scan(files, nfiles, &o, err, sizeof(err)) != MH_OK) {
            fprintf(stderr, "masthead: import metinfo: %s\n", err);
            status = 1;
            goto done;
        }
        printf("dry run: nothing was written to %s\n", dir);
        status = fflush(stdout) == 0 ? 0 : 1;
        goto done;
    }
    if (need_dir(dir))
        goto done;
    mh_metinfo_import_opts_t o = {.site_dir = dir,
                                  .upload_dir = upload,
                                  .merge = merge,
                                  .out = stdout,
                                  .status = stderr,
                                  .progress = isatty(2) != 0};
    if (mh_metinfo_import(files, nfiles, &o, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead: import metinfo: %s (nothing was imported)\n", err);
        status = 1;
        goto done;
    }
    status = fflush(stdout) == 0 ? 0 : 1;
done:
    free(files);
    return status;
}
/* --- import wxr (WordPress export) --- */
static int cmd_import_wxr(int argc, char **argv)
{
    const char *dir = NULL, *file = NULL, *upload = NULL;
    bool dry = false, comments = true, merge = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--dry-run") == 0)
            dry = true;
        else if (strcmp(argv[i], "--no-comments") == 0)
            comments = false;
        else if (strcmp(argv[i], "--merge") == 0)
            merge = true;
        else if (strcmp(argv[i], "--upload") == 0 && i + 1 < argc)
            upload = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return fail("import wxr: unknown option '%s'%s", argv[i], "");
        else if (!dir)
            dir = argv[i];
        else if (!file)
            file = argv[i];
        else
            return fail("import wxr: unexpected argument '%s'%s", argv[i], "");
    }
    if (!dir || !file)
        return fail("import wxr: usage: masthead import wxr DIR FILE.xml [--upload DIR] "
                    "[--no-comments] [--merge] [--dry-run]%s%s",
                    "", "");
    if (need_dir(dir) || (upload && need_dir(upload)))
        return 2;
    char err[1024];
    if (dry) {
        mh_wxr_dryrun_opts_t o = {file, comments, isatty(STDERR_FILENO) != 0};
        if (mh_wxr_dry_run(&o, stdout, err, sizeof(err)) != MH_OK)
            return fail("import wxr: %s%s", err, "");
        return fflush(stdout) == 0 ? 0 : 1;
    }
    mh_wxr_import_opts_t o = {dir, file, upload, comments, merge, isatty(STDERR_FILENO) != 0};
    if (mh_wxr_import(&o, stdout, err, sizeof(err)) != MH_OK)
        return fail("import wxr: %s%s", err, "");
    return fflush(stdout) == 0 ? 0 : 1;
}
/* --- end import wxr --- */

/* --- backup and restore (migrate/backup.h) --- */
static double now_secs(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmd_backup(int argc, char **argv)
{
    if (argc != 2)
        return fail("backup: usage: masthead backup DIR OUT.tar%s%s", "", "");
    if (need_dir(argv[0]))
        return 2;
    char err[1024];
    mh_backup_stats_t st;
    double t0 = now_secs();
    if (mh_backup_file(argv[0], argv[1], &st, err, sizeof(err)) != MH_OK)
        return fail("backup: %s%s", err, "");
    struct stat sb;
    long long size = stat(argv[1], &sb) == 0 ? (long long)sb.st_size : 0;
    printf("backup %s: %lld files, %lld bytes of data, archive %lld bytes, %.2f s\n", argv[1],
           (long long)st.files, (long long)st.bytes, size, now_secs() - t0);
    if (st.vanished)
        printf("%lld media files were deleted while the backup ran (left out)\n",
               (long long)st.vanished);
    return fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_restore(int argc, char **argv)
{
    const char *archive = NULL, *dir = NULL;
    bool force = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            force = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return fail("restore: unknown option '%s'%s", argv[i], "");
        else if (!archive)
            archive = argv[i];
        else if (!dir)
            dir = argv[i];
        else
            return fail("restore: unexpected argument '%s'%s", argv[i], "");
    }
    if (!archive || !dir)
        return fail("restore: usage: masthead restore OUT.tar DIR [--force]%s%s", "", "");
    char err[1024];
    mh_backup_stats_t st;
    int rc = mh_restore(archive, dir, force, &st, err, sizeof(err));
    if (rc != MH_OK)
        return fail("restore: %s%s", err, "");
    printf("restored %s into %s: %lld files, %lld bytes, checksums and database verified\n",
           archive, dir, (long long)st.files, (long long)st.bytes);
    return fflush(stdout) == 0 ? 0 : 1;
}
/* --- end backup and restore --- */

/* ---- search rebuild ---- */

struct rebuild_progress {
    bool tty;
    int64_t last_pct;
};

/* A bar on a terminal, a line every 10% otherwise (logs, pipes). */
static void rebuild_progress(void *ctx, int64_t done, int64_t total)
{
    struct rebuild_progress *pr = ctx;
    int64_t pct = total > 0 ? done * 100 / total : 100;
    if (pr->tty) {
        char bar[41];
        int fill = (int)(pct * 40 / 100);
        for (int i = 0; i < 40; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[40] = '\0';
        fprintf(stderr, "\r[%s] %3lld%% %lld/%lld", bar, (long long)pct, (long long)done,
                (long long)total);
        if (done == total)
            fputc('\n', stderr);
    } else if (pct / 10 != pr->last_pct / 10 || done == total) {
        fprintf(stderr, "indexed %lld of %lld entries\n", (long long)done, (long long)total);
    }
    pr->last_pct = pct;
}

static int cmd_search(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[0], "rebuild") != 0)
        return fail("search: usage: masthead search rebuild DIR%s%s", "", "");
    const char *dir = argv[1];
    int bad = need_dir(dir);
    if (bad)
        return bad;
    mh_content_t *c;
    char err[512];
    if (mh_content_open(dir, &c, err, sizeof(err)) != MH_OK)
        return fail("%s%s", err, "");
    struct rebuild_progress pr = {isatty(STDERR_FILENO) != 0, -1};
    struct timespec t0, t1;
    int64_t indexed = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = mh_content_search_rebuild(c, rebuild_progress, &pr, &indexed);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    mh_content_close(c);
    if (rc != MH_OK)
        return fail("search rebuild: %s%s", "failed (see the log above)", "");
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("search index rebuilt: %lld entries indexed in %.2f s\n", (long long)indexed, secs);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("masthead %s\n", MH_VERSION);
        return 0;
    }
    if (strcmp(cmd, "init") == 0)
        return cmd_init(argc - 2, argv + 2);
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 2, argv + 2);
    if (strcmp(cmd, "template") == 0)
        return cmd_template(argc - 2, argv + 2);
    if (strcmp(cmd, "theme") == 0)
        return cmd_theme(argc - 2, argv + 2);
    if (strcmp(cmd, "user") == 0)
        return cmd_user(argc - 2, argv + 2);
    if (strcmp(cmd, "import") == 0 && argc > 2 && strcmp(argv[2], "wxr") == 0)
        return cmd_import_wxr(argc - 3, argv + 3);
    if (strcmp(cmd, "import") == 0)
        return cmd_import(argc - 2, argv + 2);
    if (strcmp(cmd, "backup") == 0)
        return cmd_backup(argc - 2, argv + 2);
    if (strcmp(cmd, "restore") == 0)
        return cmd_restore(argc - 2, argv + 2);
    if (strcmp(cmd, "search") == 0)
        return cmd_search(argc - 2, argv + 2);
    if (strcmp(cmd, "export") == 0)
        return mh_cmd_export(argc - 2, argv + 2);
    if (strcmp(cmd, "token") == 0)
        return mh_cmd_token(argc - 2, argv + 2);
    fprintf(stderr, "masthead: unknown command '%s' (see masthead --help)\n", cmd);
    return 2;
}
