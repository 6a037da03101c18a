/* masthead: parse the command line and call into the library. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../src/content/content.h"
#include "../../src/core/log.h"
#include "../../src/http/server.h"
#include "../../src/render/tmpl_file.h"
#include "../../src/site/site.h"

static const char usage[] =
    "usage: masthead COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  init DIR [--demo]                 create a site in DIR (--demo: with demo content)\n"
    "  serve DIR [--listen HOST:PORT] [--no-page-cache] [--theme DIR] [--threads N]\n"
    "                                    serve the site (default 127.0.0.1:8080)\n"
    "  template render [--partials DIR] TEMPLATE DATA.json\n"
    "                                    render a Mustache template with JSON data\n"
    "  theme check DIR                   list names a theme uses that the context lacks\n"
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

static int cmd_init(int argc, char **argv)
{
    const char *dir = NULL;
    bool demo = false;
    for (int i = 0; i < argc; i++) {
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
    char err[512];
    if (mh_content_init(dir, demo, err, sizeof(err)) != MH_OK)
        return fail("init: %s%s", err, "");
    printf("created %s site in %s\n", demo ? "demo" : "new", dir);
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    mh_server_config_t cfg;
    mh_server_config_defaults(&cfg);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--listen") == 0 || strcmp(a, "--theme") == 0 ||
            strcmp(a, "--threads") == 0) {
            if (!has_value)
                return fail("serve: %s needs a value%s", a, "");
            const char *v = argv[++i];
            if (strcmp(a, "--listen") == 0) {
                cfg.listen = v;
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
    if (mh_server_start(&cfg, &srv, err, sizeof(err)) != MH_OK)
        return fail("serve: %s%s", err, "");
    const char *url = mh_server_url(srv);
    printf("masthead %s serving %s\n", MH_VERSION, cfg.site_dir);
    printf("  home page:    %s/\n", url);
    printf("  seed article: %s/news/li-gang-led-a-team-to-visit-beijing-and-shanghai.html\n", url);
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
    fprintf(stderr, "masthead: unknown command '%s' (see masthead --help)\n", cmd);
    return 2;
}
