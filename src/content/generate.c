/* Generated sites (see generate.h). Text comes from small word lists
 * combined by a seeded generator (splitmix64), so a given seed always
 * writes the same site; the tree is fixed so that paths are stable across
 * seeds and sizes (the benchmark asks for /news/ and the largest column). */
#include "generate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/common.h"
#include "editorial.h"
#include "types.h"

/* ---- random numbers ---- */

typedef struct {
    uint64_t s;
} rng_t;

static uint64_t rng_next(rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. The bias of the modulo is irrelevant here. */
static uint64_t rng_below(rng_t *r, uint64_t n)
{
    return rng_next(r) % n;
}

#define PICK(r, list) ((list)[rng_below((r), MH_ARRAY_LEN(list))])

/* ---- the tree ---- */

struct gen_col {
    const char *slug;
    const char *parent; /* slug of the parent, NULL at the top */
    const char *type;   /* content type name (types.h) */
    const char *en, *zh;
    int weight; /* share of the entries; 0 for columns without entries */
};

/* Three levels, 61 columns per language. The weights make a few columns
 * large (enterprise-news, announcements) and most small, as on real
 * portals. */
static const struct gen_col gen_cols[] = {
    {"about", NULL, "page", "About Us", "关于我们", 0},
    {"overview", "about", "page", "Overview", "园区概况", 0},
    {"history", "about", "page", "History", "发展历程", 0},
    {"leadership", "about", "page", "Leadership", "领导信息", 0},
    {"structure", "about", "page", "Organisation", "机构设置", 0},
    {"news", NULL, "article", "News", "新闻中心", 1},
    {"zone-news", "news", "article", "Zone News", "园区动态", 2},
    {"enterprise-news", "zone-news", "article", "Enterprise News", "企业动态", 40},
    {"park-updates", "zone-news", "article", "Park Updates", "园区建设", 6},
    {"notices", "news", "article", "Notices", "通知公告", 2},
    {"tenders", "notices", "article", "Tenders", "招标采购", 5},
    {"announcements", "notices", "article", "Announcements", "公示公告", 20},
    {"industry", "news", "article", "Industry", "产业资讯", 2},
    {"logistics", "industry", "article", "Logistics", "物流资讯", 8},
    {"trade", "industry", "article", "Trade", "贸易资讯", 8},
    {"media-coverage", "news", "article", "Media Coverage", "媒体报道", 3},
    {"press-releases", "media-coverage", "article", "Press Releases", "新闻发布", 4},
    {"interviews", "media-coverage", "article", "Interviews", "专题访谈", 2},
    {"events", "news", "article", "Events", "活动资讯", 3},
    {"conferences", "events", "article", "Conferences", "会议活动", 3},
    {"exhibitions", "events", "article", "Exhibitions", "展会信息", 2},
    {"investment", NULL, "article", "Investment", "投资促进", 1},
    {"policies", "investment", "article", "Policies", "政策法规", 5},
    {"tax", "policies", "article", "Tax", "税收政策", 2},
    {"talent", "policies", "article", "Talent", "人才政策", 2},
    {"projects", "investment", "article", "Projects", "重点项目", 4},
    {"signed-projects", "projects", "article", "Signed Projects", "签约项目", 3},
    {"major-projects", "projects", "article", "Major Projects", "重大项目", 2},
    {"guides", "investment", "article", "Guides", "投资指南", 2},
    {"land", "guides", "article", "Land", "土地资源", 1},
    {"procedures", "guides", "article", "Procedures", "办事流程", 1},
    {"environment", "investment", "article", "Environment", "营商环境", 1},
    {"infrastructure", "environment", "article", "Infrastructure", "基础设施", 1},
    {"living", "environment", "article", "Living", "生活配套", 1},
    {"products", NULL, "product", "Services for Business", "企业服务", 1},
    {"logistics-services", "products", "product", "Logistics Services", "物流服务", 2},
    {"warehousing", "logistics-services", "product", "Warehousing", "仓储服务", 2},
    {"freight", "logistics-services", "product", "Freight", "货运服务", 2},
    {"trade-services", "products", "product", "Trade Services", "贸易服务", 2},
    {"bonded", "trade-services", "product", "Bonded Trade", "保税贸易", 1},
    {"e-commerce", "trade-services", "product", "E-commerce", "跨境电商", 2},
    {"industrial-parks", "products", "product", "Industrial Parks", "产业园区", 1},
    {"incubators", "industrial-parks", "product", "Incubators", "孵化器", 1},
    {"factories", "industrial-parks", "product", "Standard Factories", "标准厂房", 1},
    {"downloads", NULL, "download", "Downloads", "下载中心", 1},
    {"forms", "downloads", "download", "Forms", "表格下载", 2},
    {"tax-forms", "forms", "download", "Tax Forms", "税务表格", 1},
    {"permit-forms", "forms", "download", "Permit Forms", "审批表格", 1},
    {"reports", "downloads", "download", "Reports", "报告下载", 2},
    {"annual-reports", "reports", "download", "Annual Reports", "年度报告", 1},
    {"statistics", "reports", "download", "Statistics", "统计数据", 2},
    {"gallery", NULL, "gallery", "Gallery", "图片中心", 2},
    {"event-photos", "gallery", "gallery", "Event Photos", "活动图片", 2},
    {"zone-views", "gallery", "gallery", "Zone Views", "园区风光", 1},
    {"jobs", NULL, "job", "Jobs", "人才招聘", 1},
    {"zone-jobs", "jobs", "job", "Administration Jobs", "管委招聘", 2},
    {"enterprise-jobs", "jobs", "job", "Enterprise Jobs", "企业招聘", 3},
    {"contact", NULL, "page", "Contact", "联系我们", 0},
    {"privacy", NULL, "page", "Privacy", "隐私政策", 0},
    {"feedback", NULL, "feedback", "Feedback", "在线留言", 0},
    {"sitemap", NULL, "link", "Sitemap", "网站地图", 0},
};

enum { NCOLS = MH_ARRAY_LEN(gen_cols) };

/* ---- English text ---- */

static const char *const en_subject[] = {
    "The Zone Administration", "The Logistics Park",       "Qingdao Port",
    "The Trade Center",        "A Kazakh delegation",      "The Customs Office",
    "Local enterprises",       "The Investment Bureau",    "The Rail Freight Hub",
    "The Business Council",    "An Uzbek trade mission",   "The Free Trade Office",
    "The Talent Center",       "The Airport Cargo Team",   "Regional partners",
    "The Planning Office",     "The Industrial Fund",      "A Russian business group",
    "The E-commerce Alliance", "The Exhibition Committee",
};
static const char *const en_verb[] = {"Signs",    "Launches",  "Opens",      "Hosts",    "Reviews",
                                      "Expands",  "Completes", "Unveils",    "Plans",    "Welcomes",
                                      "Approves", "Discusses", "Renews",     "Presents", "Doubles",
                                      "Upgrades", "Announces", "Coordinates"};
static const char *const en_verb_past[] = {
    "signed",    "launched",  "opened",  "hosted",   "reviewed",  "expanded",
    "completed", "unveiled",  "planned", "welcomed", "approved",  "discussed",
    "renewed",   "presented", "doubled", "upgraded", "announced", "coordinated"};
static const char *const en_object[] = {
    "Freight Routes",        "Cooperation Agreements", "Investment Projects",
    "Training Programs",     "Warehouse Facilities",   "Trade Fairs",
    "Customs Measures",      "Export Services",        "Container Lines",
    "Startup Grants",        "Technology Platforms",   "Supply Chain Forums",
    "Cold Chain Centers",    "Bonded Warehouses",      "Talent Apartments",
    "Green Energy Projects", "Data Services",          "Exhibition Halls",
    "Rail Connections",      "Service Windows",
};
static const char *const en_place[] = {
    "in Jiaozhou",          "with SCO Partners", "for Central Asia",     "at the Multimodal Hub",
    "in the Free Zone",     "with Kazakhstan",   "for Small Businesses", "near the New Airport",
    "across the Region",    "with Uzbekistan",   "in the Eastern Park",  "for Foreign Experts",
    "with Russian Traders", "at Ruyi Lake",      "for the Coming Year",
};
static const char *const en_clause[] = {
    "according to figures released this week",
    "as part of a three-year development plan",
    "after months of preparation by both sides",
    "with support from the provincial government",
    "in response to requests from local companies",
    "while customs procedures were simplified",
    "to shorten delivery times for exporters",
    "so that more small firms can take part",
    "following a round of public consultation",
    "with an investment of several hundred million yuan",
};
static const char *const en_remark[] = {
    "Officials said the measures would be reviewed at the end of the year.",
    "Participants exchanged views on logistics, finance and technology.",
    "The project is expected to create about two thousand jobs.",
    "Companies can apply through the online service window.",
    "Further details will be published in the notices section.",
    "The first phase is scheduled to be completed next spring.",
    "Representatives of more than forty enterprises attended the meeting.",
    "Both sides agreed to meet again to follow up on the results.",
};

/* ---- Chinese text: two-character words combined into titles and
 * sentences ---- */

static const char *const zh_subject[] = {
    "管委会",   "物流园",     "青岛港",     "贸易中心", "哈萨克斯坦代表团",   "海关",
    "区内企业", "投资促进局", "铁路货运站", "商会",     "乌兹别克斯坦商务团", "自贸办",
    "人才中心", "机场货运部", "合作伙伴",   "规划局",   "产业基金",           "俄罗斯企业家",
    "电商联盟", "展会组委会",
};
static const char *const zh_verb[] = {
    "签署", "启动", "开通", "举办", "审议", "扩大", "完成", "发布", "规划",
    "接待", "批准", "研讨", "续签", "推出", "升级", "部署", "推进", "落实",
};
static const char *const zh_object[] = {
    "货运航线", "合作协议",     "投资项目", "培训计划", "仓储设施",   "贸易博览会", "通关措施",
    "出口服务", "集装箱班列",   "创业补贴", "科技平台", "供应链论坛", "冷链中心",   "保税仓库",
    "人才公寓", "绿色能源项目", "数据服务", "展览馆",   "铁路通道",   "服务窗口",
};
static const char *const zh_place[] = {
    "胶州",       "上合组织国家", "中亚地区", "多式联运中心", "自贸片区",
    "哈萨克斯坦", "中小企业",     "新机场",   "全区",         "乌兹别克斯坦",
    "东部园区",   "外籍专家",     "俄罗斯",   "如意湖",       "明年",
};
static const char *const zh_word[] = {
    "发展", "合作", "项目", "企业", "建设", "服务", "经济",   "贸易", "物流", "投资",
    "创新", "政策", "平台", "产业", "园区", "国际", "开放",   "交流", "推动", "加快",
    "提升", "完善", "优化", "质量", "效率", "环境", "市场",   "资源", "技术", "人才",
    "工作", "会议", "领域", "重点", "全面", "持续", "进一步", "积极", "共同", "实现",
};
static const char *const zh_remark[] = {
    "有关负责人表示，相关措施将于年底进行评估。", "与会人员围绕物流、金融和科技等议题进行了交流。",
    "项目建成后预计可新增就业岗位约两千个。",     "企业可通过网上服务窗口提交申请。",
    "具体事项将在通知公告栏目另行发布。",         "一期工程计划于明年春季完工。",
    "来自四十余家企业的代表参加了会议。",         "双方同意定期会面，跟进落实合作成果。",
};

/* ---- bounded text buffer ---- */

typedef struct {
    char buf[4096];
    size_t len;
} text_t;

static void text_add(text_t *t, const char *fmt, ...) MH_PRINTF(2, 3);
static void text_add(text_t *t, const char *fmt, ...)
{
    if (t->len >= sizeof(t->buf) - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n < sizeof(t->buf) - t->len ? (size_t)n : sizeof(t->buf) - 1 - t->len;
}

static void en_title(rng_t *r, text_t *t)
{
    uint64_t shape = rng_below(r, 4);
    text_add(t, "%s %s", PICK(r, en_subject), PICK(r, en_verb));
    if (shape == 0)
        text_add(t, " %u", (unsigned)(2 + rng_below(r, 98)));
    else if (shape == 1)
        text_add(t, " New");
    text_add(t, " %s %s", PICK(r, en_object), PICK(r, en_place));
    if (rng_below(r, 3) == 0)
        text_add(t, " in %u", (unsigned)(2014 + rng_below(r, 13)));
}

static void zh_title(rng_t *r, text_t *t)
{
    text_add(t, "%s%s%s", PICK(r, zh_subject), PICK(r, zh_verb), PICK(r, zh_place));
    if (rng_below(r, 2) == 0)
        text_add(t, "%u个", (unsigned)(2 + rng_below(r, 98)));
    text_add(t, "%s", PICK(r, zh_object));
    if (rng_below(r, 3) == 0)
        text_add(t, "（%u年）", (unsigned)(2014 + rng_below(r, 13)));
}

static void en_sentence(rng_t *r, text_t *t)
{
    if (rng_below(r, 4) == 0) {
        text_add(t, "%s ", PICK(r, en_remark));
        return;
    }
    text_add(t, "%s %s %u %s %s, %s. ", PICK(r, en_subject), PICK(r, en_verb_past),
             (unsigned)(2 + rng_below(r, 40)), PICK(r, en_object), PICK(r, en_place),
             PICK(r, en_clause));
}

static void zh_sentence(rng_t *r, text_t *t)
{
    if (rng_below(r, 4) == 0) {
        text_add(t, "%s", PICK(r, zh_remark));
        return;
    }
    text_add(t, "%s%s%s%s", PICK(r, zh_subject), PICK(r, zh_verb), PICK(r, zh_place),
             PICK(r, zh_object));
    text_add(t, "，");
    for (uint64_t k = 3 + rng_below(r, 5); k > 0; k--)
        text_add(t, "%s", PICK(r, zh_word));
    text_add(t, "。");
}

/* About 2 KB: paragraphs of a few sentences. The summary is the first
 * sentence of the body, as editors often do. */
static void body_text(rng_t *r, bool zh, text_t *body, text_t *summary)
{
    text_t first = {.len = 0};
    (zh ? zh_sentence : en_sentence)(r, &first);
    size_t n = first.len;
    while (n && first.buf[n - 1] == ' ')
        n--;
    text_add(summary, "%.*s", (int)n, first.buf);
    text_add(body, "<p>%s", first.buf);
    size_t para = first.len;
    while (body->len < 1900) {
        text_t s = {.len = 0};
        (zh ? zh_sentence : en_sentence)(r, &s);
        if (para > 300) {
            text_add(body, "</p>\n<p>");
            para = 0;
        }
        text_add(body, "%s", s.buf);
        para += s.len;
    }
    text_add(body, "</p>");
}

/* ---- writing ---- */

struct gen {
    mh_content_t *c;
    const mh_generate_opts_t *o;
    mh_generate_stats_t *st;
    rng_t r;
    int64_t lang[2];
    int64_t col[2][NCOLS];
    int64_t count[NCOLS]; /* English entries per column */
    size_t holders[NCOLS];
    size_t nholders;
    int64_t total_weight;
};

static int col_index(const char *slug)
{
    for (size_t i = 0; slug && i < NCOLS; i++)
        if (strcmp(gen_cols[i].slug, slug) == 0)
            return (int)i;
    return -1;
}

static int add_columns(struct gen *g, int l)
{
    int pos = 0;
    for (size_t i = 0; i < NCOLS; i++) {
        const struct gen_col *d = &gen_cols[i];
        const mh_content_type_t *t = mh_content_type_by_name(d->type);
        int parent = col_index(d->parent);
        int depth = parent < 0 ? 0 : (gen_cols[parent].parent ? 2 : 1);
        if (!t)
            return MH_ERR;
        bool body = (t->flags & MH_TYPE_BODY) != 0;
        const char *name = l ? d->zh : d->en;
        bool footer = strcmp(d->slug, "privacy") == 0 || strcmp(d->slug, "sitemap") == 0;
        mh_column_t col = {
            .lang_id = g->lang[l],
            .parent_id = parent < 0 ? 0 : g->col[l][parent],
            .module = t->name,
            .name = name,
            .slug = d->slug,
            .summary = "",
            .body_html = body ? (l ? "<p>本页介绍园区的基本情况，内容由管委会办公室维护。</p>"
                                   : "<p>This page describes the zone; the administration "
                                     "office keeps it up to date.</p>")
                              : "",
            .link_url = (t->flags & MH_TYPE_REDIRECT) ? "/sitemap.xml" : "",
            .nav = footer      ? MH_NAV_FOOTER
                   : depth < 2 ? MH_NAV_HEADER
                               : MH_NAV_HIDDEN,
            .sort_mode = MH_SORT_NEWEST,
            .page_size = strcmp(d->type, "gallery") == 0 ? 12 : 20,
            .position = parent < 0 ? pos++ : (int)i,
            .visible = true,
        };
        if (mh_content_column_create(g->c, &col, &g->col[l][i]) != MH_OK)
            return MH_ERR;
        if (l == 0 && d->weight > 0 && (t->flags & MH_TYPE_ENTRIES) &&
            !(t->flags & MH_TYPE_SUBMIT)) {
            g->holders[g->nholders++] = i;
            g->total_weight += d->weight;
        }
    }
    return MH_OK;
}

static size_t pick_column(struct gen *g)
{
    int64_t w = (int64_t)rng_below(&g->r, (uint64_t)g->total_weight);
    for (size_t k = 0; k < g->nholders; k++) {
        w -= gen_cols[g->holders[k]].weight;
        if (w < 0)
            return g->holders[k];
    }
    return g->holders[g->nholders - 1];
}

static int add_settings(struct gen *g)
{
    static const char *const en[][2] = {
        {"site_name", "Harbour Trade Zone"},
        {"site_tagline", "Logistics, trade and investment on the coast"},
        {"footer_text", "Copyright © 2014-2026 Harbour Trade Zone Administration"},
        {"email", "office@zone.example.org"},
        {"keywords", "trade zone, logistics, investment"},
        {"description", "News and services of the Harbour Trade Zone."},
    };
    static const char *const zh[][2] = {
        {"site_name", "港湾贸易区"},
        {"site_tagline", "物流、贸易与投资"},
        {"footer_text", "版权所有 © 2014-2026 港湾贸易区管理委员会"},
        {"email", "office@zone.example.org"},
        {"keywords", "贸易区,物流,投资"},
        {"description", "港湾贸易区新闻与服务。"},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(en); i++)
        if (mh_content_setting_set(g->c, g->lang[0], en[i][0], en[i][1]) != MH_OK ||
            mh_content_setting_set(g->c, g->lang[1], zh[i][0], zh[i][1]) != MH_OK)
            return MH_ERR;
    return MH_OK;
}

/* 2014-01-01 .. 2026-06-30 UTC, and the scheduled ones in 2030. */
#define T_FIRST 1388534400
#define T_LAST 1782777600
#define T_SCHEDULED 1893456000

/* One entry. prev is the English entry made just before (for translations)
 * and is updated when this one is English. */
static int add_entry(struct gen *g, mh_pool_t *p, int64_t i, int64_t *prev_en, size_t *prev_col)
{
    int l = (int)(i & 1);
    size_t ci;
    int64_t group = 0;
    text_t title = {.len = 0}, body = {.len = 0}, summary = {.len = 0};
    uint64_t roll = rng_below(&g->r, 1000);
    if (l == 1 && *prev_en && rng_below(&g->r, 100) < 30) {
        ci = *prev_col; /* a translation: the same column in the other tree */
        group = *prev_en;
    } else {
        ci = pick_column(g);
    }
    (l ? zh_title : en_title)(&g->r, &title);
    body_text(&g->r, l == 1, &body, &summary);
    int64_t when = T_FIRST + (int64_t)rng_below(&g->r, T_LAST - T_FIRST);
    mh_status_t status = MH_STATUS_PUBLISHED;
    if (roll < 10) {
        status = MH_STATUS_DRAFT;
    } else if (roll < 15) {
        status = MH_STATUS_SCHEDULED;
        when = T_SCHEDULED + (int64_t)rng_below(&g->r, 365 * 86400);
    }
    uint64_t h = rng_below(&g->r, 100);
    mh_entry_t e = {
        .column_id = g->col[l][ci],
        .lang_id = g->lang[l],
        .translation_group = group,
        .author_id = g->o->user_id,
        .title = title.buf,
        .slug = "",
        .summary = summary.buf,
        .body_html = body.buf,
        .author = l ? "管委会办公室" : "Zone Administration",
        .source = "",
        .cover = "",
        .seo_title = "",
        .seo_keywords = "",
        .seo_description = "",
        .publish_at = when,
        .created_at = when < T_SCHEDULED ? when : T_LAST,
        .status = status,
        .hits = (int64_t)(h * h * rng_below(&g->r, 50)),
        .recommended = rng_below(&g->r, 100) < 3,
        .pinned = rng_below(&g->r, 1000) < 2,
    };
    e.updated_at = e.created_at;
    bool revised = rng_below(&g->r, 100) < 3;
    bool trash = !revised && rng_below(&g->r, 200) == 0;
    int64_t id = 0;
    if (revised) {
        /* Saved twice through the editor's path: two revisions, the second
         * with an added paragraph. */
        if (mh_editorial_entry_save(g->c, p, &e, g->o->user_id, NULL) != MH_OK)
            return MH_ERR;
        id = e.id;
        text_t more = {.len = 0};
        text_add(&more, "%s\n<p>", body.buf);
        (l ? zh_sentence : en_sentence)(&g->r, &more);
        text_add(&more, "</p>");
        e.body_html = more.buf;
        if (mh_editorial_entry_save(g->c, p, &e, g->o->user_id, NULL) != MH_OK)
            return MH_ERR;
        g->st->revisions++;
    } else if (mh_content_entry_create(g->c, &e, &id) != MH_OK) {
        return MH_ERR;
    }
    if (trash) {
        if (mh_editorial_entry_trash(g->c, id) != MH_OK)
            return MH_ERR;
        g->st->trashed++;
    }
    g->st->entries++;
    g->st->drafts += status == MH_STATUS_DRAFT;
    g->st->scheduled += status == MH_STATUS_SCHEDULED;
    if (l == 0) {
        g->st->en++;
        g->count[ci]++;
        *prev_en = trash ? 0 : id;
        *prev_col = ci;
    } else {
        g->st->zh++;
        g->st->linked += group != 0;
        *prev_en = 0;
    }
    return MH_OK;
}

int mh_generate_site(mh_content_t *c, const mh_generate_opts_t *o, mh_generate_stats_t *stats,
                     char *err, size_t errlen)
{
    mh_pool_t *p = mh_pool_create();
    mh_generate_stats_t local;
    memset(&local, 0, sizeof(local));
    struct gen g = {.c = c, .o = o, .st = stats ? stats : &local, .r = {o->seed}};
    mh_language_t *langs, zh = {.code = "zh-CN", .name = "中文", .prefix = "zh", .position = 1};
    size_t nlangs, prev_col = 0;
    int64_t prev_en = 0;
    const char *what = "languages";
    int rc = MH_ERR;
    memset(g.st, 0, sizeof(*g.st));
    if (mh_content_languages(c, p, &langs, &nlangs) != MH_OK || nlangs == 0)
        goto done;
    g.lang[0] = langs[0].id;
    if (mh_content_language_create(c, &zh, &g.lang[1]) != MH_OK)
        goto done;
    what = "columns";
    if (add_columns(&g, 0) != MH_OK || add_columns(&g, 1) != MH_OK || g.nholders == 0)
        goto done;
    g.st->columns = NCOLS;
    what = "settings";
    if (add_settings(&g) != MH_OK)
        goto done;
    what = "entries";
    /* Entries in transactions of 1000: one commit (and one new content
     * generation) per batch instead of per entry. */
    for (int64_t i = 0; i < o->entries; i++) {
        if (i % 1000 == 0 && mh_content_tx_begin(c) != MH_OK)
            goto done;
        mh_pool_reset(p);
        int erc = add_entry(&g, p, i, &prev_en, &prev_col);
        if (erc != MH_OK || (i + 1) % 1000 == 0 || i + 1 == o->entries)
            if (mh_content_tx_end(c, erc) != MH_OK || erc != MH_OK)
                goto done;
        if (o->progress && (i + 1) % 500 == 0)
            o->progress(o->ud, i + 1, o->entries);
    }
    if (o->progress && (o->entries == 0 || o->entries % 500 != 0))
        o->progress(o->ud, o->entries, o->entries);
    size_t big = g.holders[0];
    for (size_t k = 0; k < g.nholders; k++)
        if (g.count[g.holders[k]] > g.count[big])
            big = g.holders[k];
    g.st->largest_count = g.count[big];
    /* The full path: the slugs from the root down. */
    const char *chain[3];
    int depth = 0;
    for (int k = (int)big; k >= 0 && depth < 3; k = col_index(gen_cols[k].parent))
        chain[depth++] = gen_cols[k].slug;
    size_t len = 0;
    g.st->largest_path[0] = '\0';
    while (depth-- > 0) {
        int n = snprintf(g.st->largest_path + len, sizeof(g.st->largest_path) - len, "%s%s",
                         len ? "/" : "", chain[depth]);
        if (n > 0)
            len += (size_t)n;
    }
    rc = MH_OK;
done:
    if (rc != MH_OK)
        snprintf(err, errlen, "cannot generate the site (%s)", what);
    mh_pool_destroy(p);
    return rc;
}
