/* Search benchmark, standalone (no HTTP, no nginx): generates N entries
 * (half English, half Chinese, bodies of about 2 KB, deterministic), builds
 * the FTS5 index of src/search in a database file, then prints the time to
 * build it, its size, and p50/p99 of a search results page (query builder
 * + ranked top 10 with highlighted title and snippet + total count) for the
 * query kinds of issue 9.
 *
 *   build/bench/search_bench [N=100000] [DB=/tmp/masthead-search-bench.db]
 *   (N = 0 runs the queries on the database a previous run left)
 *
 * Wall-clock and thread CPU percentiles are both printed: on a shared
 * machine the first includes waiting for a core, the second does not.
 *
 * The text is drawn from a vocabulary of 10,000 words per language with
 * Zipf's distribution (the named words below spread from common to rare
 * ranks, made-up words fill the rest), so frequent words match tens of
 * thousands of entries and rare ones a few, as on a real site. Chinese words are written without
 * spaces, with punctuation every few words, so four-character phrases such
 * as 经济发展 occur where two words happen to meet. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/buf.h"
#include "search/search.h"

static const char *const en_words[] = {
    "the",        "of",           "and",         "to",          "in",         "for",
    "is",         "on",           "that",        "by",          "with",       "as",
    "at",         "from",         "this",        "be",          "are",        "was",
    "an",         "will",         "has",         "its",         "which",      "have",
    "government", "city",         "development", "national",    "public",     "service",
    "report",     "annual",       "meeting",     "council",     "project",    "economic",
    "policy",     "committee",    "district",    "investment",  "industry",   "program",
    "education",  "health",       "market",      "trade",       "support",    "plan",
    "budget",     "construction", "transport",   "environment", "water",      "energy",
    "school",     "hospital",     "research",    "technology",  "science",    "culture",
    "tourism",    "agriculture",  "village",     "rural",       "urban",      "bridge",
    "railway",    "airport",      "port",        "river",       "mountain",   "province",
    "delegation", "visit",        "cooperation", "exchange",    "forum",      "conference",
    "exhibition", "festival",     "award",       "ceremony",    "official",   "director",
    "minister",   "mayor",        "secretary",   "department",  "bureau",     "office",
    "center",     "museum",       "library",     "park",        "garden",     "housing",
    "employment", "income",       "growth",      "quarter",     "statistics", "survey",
    "regulation", "law",          "court",       "security",    "safety",     "emergency",
    "flood",      "drought",      "weather",     "climate",     "pollution",  "forest",
    "ocean",      "fishery",      "factory",     "company",     "enterprise", "startup",
    "innovation", "digital",      "network",     "internet",    "software",   "hardware",
    "vaccine",    "clinic",       "pension",     "insurance",   "tax",        "revenue",
    "export",     "import",       "logistics",   "warehouse",   "highway",    "tunnel",
    "subway",     "bicycle",      "pedestrian",  "heritage",    "temple",     "opera",
    "symphony",   "marathon",     "stadium",     "olympic",     "volunteer",  "charity",
    "donation",   "scholarship",  "university",  "graduate",    "apprentice", "semiconductor",
    "lithium",    "hydrogen",     "turbine",     "satellite",   "telescope",  "archaeology",
};

static const char *const zh_words[] = {
    "的",     "在",   "和",   "了",   "是",   "对",   "与",   "为",   "将",   "等",   "北京",
    "上海",   "政府", "经济", "发展", "会议", "工作", "建设", "企业", "项目", "城市", "国家",
    "社会",   "文化", "教育", "科技", "创新", "服务", "管理", "改革", "市场", "投资", "产业",
    "农村",   "生态", "环境", "安全", "交通", "医疗", "卫生", "人才", "合作", "交流", "考察",
    "调研",   "领导", "干部", "群众", "基层", "组织", "推进", "落实", "加强", "提高", "促进",
    "实施",   "开展", "召开", "举行", "参加", "代表", "委员", "主任", "书记", "市长", "部长",
    "局长",   "专家", "学者", "记者", "报告", "规划", "政策", "措施", "方案", "目标", "任务",
    "成果",   "经验", "问题", "广州", "深圳", "天津", "重庆", "南京", "杭州", "成都", "武汉",
    "西安",   "长沙", "港口", "机场", "铁路", "公路", "桥梁", "隧道", "地铁", "公园", "博物馆",
    "图书馆", "医院", "学校", "大学", "研究", "技术", "数字", "网络", "平台", "数据", "智能",
    "能源",   "电力", "水利", "农业", "林业", "渔业", "旅游", "商务", "贸易", "出口", "进口",
    "物流",   "金融", "银行", "保险", "税收", "财政", "预算", "审计", "统计", "法律", "法院",
    "检察",   "公安", "消防", "应急", "防汛", "抗旱", "气象", "地震", "李刚", "王伟", "张敏",
    "刘洋",   "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴芳", "率队", "赴",   "前往", "访问",
    "座谈",   "签约", "揭牌", "启动", "完成", "取得",
};

#define N_EN (sizeof(en_words) / sizeof(en_words[0]))
#define N_ZH (sizeof(zh_words) / sizeof(zh_words[0]))
#define EN_FUNC 24 /* en_words[0..23] are function words */
#define ZH_FUNC 10
#define VOCAB 10000 /* words per language */

/* Filler characters and syllables for the made-up words of the long tail. */
static const char zh_chars[] = "中国人大年月日时地方面生产会上下来去出进行长高新老多少"
                               "东西南北山水木火土金天明光开关门口手心路海江河湖田里村"
                               "车站书报文字画音乐红绿蓝白黑春夏秋冬风雨雪云花草树林鸟鱼"
                               "马牛羊米面茶酒饭菜肉蛋";
static const char *const syllables[] = {
    "ba", "ce", "di",  "fo",  "gu",  "ka",  "le",  "mi",  "no",  "pu",  "ra",  "se", "ti",
    "vo", "zu", "bri", "cla", "dre", "fli", "gro", "sna", "tho", "whe", "qua", "ple"};

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A rank in [0, VOCAB) drawn log-uniformly: P(r) ~ 1/r, Zipf's law. */
static size_t pick(void)
{
    double u = (double)(next() >> 11) / (double)(1ull << 53);
    size_t r = (size_t)pow((double)VOCAB + 1.0, u) - 1;
    return r < VOCAB ? r : VOCAB - 1;
}

/* The word of a rank: function words first, the named words every 60
 * ranks from rank 100 (so they range from common to rare), made-up words
 * between them. */
static void put_word(mh_buf_t *b, int zh, size_t r)
{
    size_t nfunc = zh ? ZH_FUNC : EN_FUNC, nreal = zh ? N_ZH - ZH_FUNC : N_EN - EN_FUNC;
    if (r < nfunc) {
        mh_buf_append_c(b, zh ? zh_words[r] : en_words[r]);
        return;
    }
    if (r >= 100 && (r - 100) % 60 == 0 && (r - 100) / 60 < nreal) {
        size_t k = nfunc + (r - 100) / 60;
        mh_buf_append_c(b, zh ? zh_words[k] : en_words[k]);
        return;
    }
    if (zh) {
        size_t nc = (sizeof(zh_chars) - 1) / 3;
        mh_buf_append(b, zh_chars + 3 * (r % nc), 3);
        mh_buf_append(b, zh_chars + 3 * ((r / nc + r) % nc), 3);
    } else {
        size_t ns = sizeof(syllables) / sizeof(syllables[0]);
        mh_buf_append_c(b, syllables[r % ns]);
        mh_buf_append_c(b, syllables[(r / ns) % ns]);
        mh_buf_append_c(b, syllables[(r / ns / ns) % ns]);
        mh_buf_putc(b, 'n');
    }
}

static const char *const phrases[] = {"经济发展", "北京上海", "政府工作", "项目建设"};

static void words(mh_buf_t *b, int zh, size_t bytes)
{
    size_t start = b->len;
    int since = 0;
    while (b->len - start < bytes) {
        if (zh) {
            /* set phrases, so that four-character queries have hits */
            if (next() % 5000 == 0)
                mh_buf_append_c(b, phrases[next() % 4]);
            put_word(b, zh, pick());
            if (++since >= 3 + (int)(next() % 6)) {
                mh_buf_append_c(b, (next() % 3) ? "，" : "。");
                since = 0;
            }
        } else {
            if (b->len > start)
                mh_buf_putc(b, ' ');
            put_word(b, zh, pick());
        }
    }
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of this thread: what a query costs, whatever the other tenants
 * of the machine are doing. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
        exit(1);
    }
}

typedef struct {
    const char *kind;
    const char *queries[4];
} kind_t;

static const kind_t kinds[] = {
    {"one English word", {"budget", "development", "hospital", "report"}},
    {"two English words", {"annual report", "public service", "city council", "water project"}},
    {"two-character Chinese word", {"北京", "经济", "医院", "考察"}},
    {"four-character Chinese phrase", {"经济发展", "北京上海", "政府工作", "项目建设"}},
    {"no hits", {"zyzzyva", "qwxv", "鬯鬱", "xylophone"}},
};

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    const char *path = argc > 2 ? argv[2] : "/tmp/masthead-search-bench.db";
    int runs = 200;
    sqlite3 *db;
    mh_pool_t *pool = mh_pool_create();
    mh_buf_t title, summary, body;

    int query_only = n == 0; /* N = 0: query an existing database */
    if (n < 0)
        n = 1;
    char wal[4096];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    if (!query_only) {
        unlink(path);
        unlink(wal);
    }
    if (sqlite3_open(path, &db) != SQLITE_OK || mh_search_register(db) != MH_OK) {
        fprintf(stderr, "cannot open %s\n", path);
        return 1;
    }
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = NORMAL");
    exec(db, "PRAGMA cache_size = -65536"); /* 64 MiB, see docs/internals/search.md */
    exec(db, "PRAGMA mmap_size = 1073741824");
    if (mh_search_create(db, pool, NULL) != MH_OK) {
        fprintf(stderr, "schema: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    mh_buf_init(&title, 1 << 12);
    mh_buf_init(&summary, 1 << 14);
    mh_buf_init(&body, 1 << 16);

    double t0 = now_ms();
    size_t text_bytes = 0;
    exec(db, "BEGIN");
    for (long i = 1; i <= n; i++) {
        int zh = (int)(i & 1);
        mh_buf_reset(&title);
        mh_buf_reset(&summary);
        mh_buf_reset(&body);
        words(&title, zh, 24 + next() % 24);
        words(&summary, zh, 120);
        for (int p = 0; p < 4; p++) {
            mh_buf_append_c(&body, "<p>");
            words(&body, zh, 480);
            mh_buf_append_c(&body, "</p>\n");
        }
        text_bytes += body.len;
        mh_search_doc_t d = {.entry_id = i,
                             .lang_id = zh ? 2 : 1,
                             .column_id = 1 + (i % 20),
                             .module = MH_STR_LIT("news"),
                             .title = mh_buf_str(&title),
                             .summary = mh_buf_str(&summary),
                             .body_html = mh_buf_str(&body),
                             .fields = MH_STR_NULL};
        if (mh_search_put(db, pool, &d) != MH_OK) {
            fprintf(stderr, "put: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        if (i % 1000 == 0) {
            exec(db, "COMMIT");
            exec(db, "BEGIN");
            mh_pool_reset(pool);
        }
    }
    exec(db, "COMMIT");
    double t1 = now_ms();
    if (!query_only && mh_search_optimize(db) != MH_OK)
        fprintf(stderr, "optimize: %s\n", sqlite3_errmsg(db));
    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    double t2 = now_ms();

    sqlite3_stmt *st;
    int64_t pages = 0, psize = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT page_count FROM pragma_page_count()),"
                           " (SELECT page_size FROM pragma_page_size())",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        pages = sqlite3_column_int64(st, 0);
        psize = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);

    printf("search bench (standalone: no HTTP, no nginx), SQLite %s\n", sqlite3_libversion());
    printf("entries               %ld (half Chinese), body HTML %.0f bytes on average\n", n,
           (double)text_bytes / (double)(n ? n : 1));
    printf("build (insert)        %.1f s\n", (t1 - t0) / 1e3);
    printf("optimize              %.1f s\n", (t2 - t1) / 1e3);
    printf("database size         %.1f MiB (%s)\n", (double)(pages * psize) / (1024.0 * 1024.0),
           path);
    printf("\n%-30s %7s %7s %7s %7s   %s\n", "query (page: top 10 + count)", "p50 ms", "p99 ms",
           "cpu p50", "cpu p99", "matches of the 4 queries (count capped)");

    double *lat = malloc(sizeof(double) * (size_t)runs);
    double *cpu = malloc(sizeof(double) * (size_t)runs);
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t hits[4] = {0};
        for (int w = -20; w < runs; w++) { /* 20 warm-up runs */
            const char *typed = kinds[k].queries[(w + 20) % 4];
            mh_pool_reset(pool);
            double a = now_ms(), ca = cpu_ms();
            mh_str_t m;
            if (mh_search_query(pool, mh_str_c(typed), &m) != MH_OK)
                return 1;
            int64_t lang = (typed[0] & 0x80) ? 2 : 1;
            mh_search_params_t q = {m, lang, 0, MH_STR_NULL, 10, 0};
            mh_search_hit_t *h;
            size_t nh, total;
            if (mh_search_run(db, pool, &q, &h, &nh, &total) != MH_OK) {
                fprintf(stderr, "query %s: %s\n", typed, sqlite3_errmsg(db));
                return 1;
            }
            double b = now_ms(), cb = cpu_ms();
            if (w >= 0) {
                lat[w] = b - a;
                cpu[w] = cb - ca;
            }
            if (w < -16)
                hits[w + 20] = total;
        }
        qsort(lat, (size_t)runs, sizeof(double), cmp_double);
        qsort(cpu, (size_t)runs, sizeof(double), cmp_double);
        printf("%-30s %7.2f %7.2f %7.2f %7.2f   %zu/%zu/%zu/%zu\n", kinds[k].kind, lat[runs / 2],
               lat[(runs * 99) / 100], cpu[runs / 2], cpu[(runs * 99) / 100], hits[0], hits[1],
               hits[2], hits[3]);
    }
    free(lat);
    free(cpu);
    mh_buf_free(&title);
    mh_buf_free(&summary);
    mh_buf_free(&body);
    sqlite3_close(db);
    mh_pool_destroy(pool);
    return 0;
}
