/* The demo's front page: a few more articles in both languages for the
 * article columns the demo left thin (so no menu item of those opens an
 * empty list), tagged (so the tag pages have something to show), and each language's home page
 * composition (home.h): the news as a headline with a list, zone news and investment as lists,
 * policies and media coverage as lists, and a gallery strip. Columns are
 * found by their slug, so this file needs nothing from demo.c but that
 * the columns exist. */
#include <stdio.h>
#include <string.h>

#include "content.h"
#include "home.h"
#include "tags.h"

struct pair {
    const char *column; /* slug */
    const char *when;   /* local time, +08:00 */
    int hits_en, hits_zh;
    const char *title_en, *summary_en;
    const char *title_zh, *summary_zh;
    const char *tags_en, *tags_zh; /* comma-separated */
};

static const struct pair pairs[] = {
    {"zone-news", "2023-09-12 09:30:00", 66, 72, "Zone Opens One-Stop Enterprise Service Hall",
     "Enterprises can now register, apply for permits and pay taxes at one counter in the zone's "
     "new service hall.",
     "园区企业服务大厅启用",
     "园区新建的企业服务大厅投入使用，企业注册、许可申请和缴税可在一个窗口办理。",
     "Enterprise services", "企业服务"},
    {"zone-news", "2023-10-26 15:00:00", 48, 53,
     "Green Energy Pilot Brings Solar Roofs to Zone Factories",
     "Forty factories in the zone have installed rooftop solar panels under the green energy "
     "pilot.",
     "绿色能源试点为园区厂房装上光伏屋顶", "在绿色能源试点推动下，园区40家工厂完成屋顶光伏安装。",
     "Green energy, Enterprise services", "绿色能源, 企业服务"},
    {"media-coverage", "2023-09-28 08:00:00", 93, 101,
     "People's Daily: Freight Trains Link SCODA with Central Asia",
     "People's Daily reported on the growing number of China-Europe freight trains departing from "
     "the demonstration area.",
     "人民日报：中欧班列连通上合示范区与中亚",
     "《人民日报》报道了从示范区始发的中欧班列数量持续增长。",
     "Logistics, China-Europe freight trains", "物流, 中欧班列"},
    {"media-coverage", "2023-11-08 10:30:00", 71, 77,
     "CCTV Reports on SCO Expo Preparations in Qingdao",
     "CCTV's evening news covered the preparations for the SCO Expo and the exhibitors from "
     "member countries.",
     "央视报道青岛上合博览会筹备情况", "央视新闻报道了上合博览会筹备进展及来自成员国的参展企业。",
     "SCO Expo", "上合博览会"},
    {"investment", "2023-06-15 10:00:00", 55, 62, "Land and Office Space Available for Investors",
     "The zone lists industrial land and ready-built offices available to investors, with prices "
     "and contacts.",
     "示范区发布可供投资的土地和办公空间",
     "示范区公布可供投资者使用的工业用地和现房办公空间，附价格和联系方式。", "Investment", "投资"},
    {"investment", "2023-10-05 09:00:00", 80, 88, "Investment Promotion Roadshow Held in Almaty",
     "The zone presented its logistics and trade platforms to investors in Almaty, Kazakhstan.",
     "示范区在阿拉木图举办投资推介路演", "示范区在哈萨克斯坦阿拉木图向投资者推介物流和贸易平台。",
     "Investment, Kazakhstan", "投资, 哈萨克斯坦"},
    {"policies", "2023-08-22 09:00:00", 112, 96, "Rules on Subsidies for Cross-border Logistics",
     "Logistics companies opening new routes to SCO countries may apply for route subsidies.",
     "跨境物流补贴实施细则", "开通至上合组织国家新线路的物流企业可申请线路补贴。",
     "Logistics, Policies", "物流, 政策"},
    {"projects", "2023-07-30 11:00:00", 47, 51, "Cold Chain Logistics Center Project Launched",
     "A cold chain center for agricultural imports from SCO countries started construction.",
     "冷链物流中心项目开工", "面向上合组织国家农产品进口的冷链物流中心开工建设。",
     "Logistics, Projects", "物流, 重点项目"},
    {"projects", "2023-11-15 14:00:00", 39, 44, "Trade Exhibition Center Completes Main Structure",
     "The main structure of the SCO trade exhibition center has been completed ahead of schedule.",
     "上合贸易展示中心主体结构完工", "上合贸易展示中心主体结构提前完工。", "SCO Expo, Projects",
     "上合博览会, 重点项目"},
};

/* The home page blocks: column slug, presentation, how many. */
static const struct {
    const char *column;
    mh_home_kind_t kind;
    int count;
} blocks[] = {
    {"news", MH_HOME_HEADLINE, 7},   {"zone-news", MH_HOME_LIST, 6},
    {"investment", MH_HOME_LIST, 6}, {"media-coverage", MH_HOME_LIST, 6},
    {"policies", MH_HOME_LIST, 6},   {"gallery", MH_HOME_STRIP, 8},
};

static int64_t col_by_slug(const mh_column_t *cs, size_t n, const char *slug)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cs[i].slug, slug) == 0)
            return cs[i].id;
    return 0;
}

static int add(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t column_id, const char *title,
               const char *summary, const char *when, int hits, int64_t group, int64_t *id)
{
    mh_entry_t e = {
        .column_id = column_id,
        .lang_id = lang_id,
        .translation_group = group,
        .title = title,
        .summary = summary,
        .body_html = mh_psprintf(p, "<p>%s</p>", summary),
        .author = "admin",
        .source = "",
        .cover = "",
        .status = MH_STATUS_PUBLISHED,
        .hits = hits,
    };
    if (mh_parse_time(when, "+08:00", &e.publish_at) != MH_OK)
        return MH_ERR;
    e.created_at = e.updated_at = e.publish_at;
    return mh_content_entry_create(c, &e, id);
}

static int compose(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const mh_column_t *cs, size_t n)
{
    mh_home_block_t b[MH_ARRAY_LEN(blocks)];
    size_t nb = 0;
    for (size_t i = 0; i < MH_ARRAY_LEN(blocks); i++) {
        int64_t id = col_by_slug(cs, n, blocks[i].column);
        if (id)
            b[nb++] = (mh_home_block_t){id, blocks[i].kind, blocks[i].count};
    }
    return mh_content_setting_set(c, lang_id, MH_HOME_SETTING, mh_home_format(p, b, nb));
}

int mh_content_demo_home(mh_content_t *c)
{
    mh_pool_t *p = mh_pool_create();
    mh_language_t *ls = NULL;
    mh_column_t *en = NULL, *zh = NULL;
    size_t nl = 0, nen = 0, nzh = 0;
    int rc = MH_ERR;
    if (mh_content_languages(c, p, &ls, &nl) != MH_OK || nl < 2 ||
        mh_content_columns(c, p, ls[0].id, &en, &nen) != MH_OK ||
        mh_content_columns(c, p, ls[1].id, &zh, &nzh) != MH_OK)
        goto done;
    for (size_t i = 0; i < MH_ARRAY_LEN(pairs); i++) {
        const struct pair *d = &pairs[i];
        int64_t ce = col_by_slug(en, nen, d->column), cz = col_by_slug(zh, nzh, d->column);
        int64_t id_en = 0, id_zh = 0;
        if (!ce || !cz)
            continue;
        if (add(c, p, ls[0].id, ce, d->title_en, d->summary_en, d->when, d->hits_en, 0, &id_en) !=
                MH_OK ||
            add(c, p, ls[1].id, cz, d->title_zh, d->summary_zh, d->when, d->hits_zh, id_en,
                &id_zh) != MH_OK ||
            mh_content_entry_tags_set(c, id_en, ls[0].id, d->tags_en) != MH_OK ||
            mh_content_entry_tags_set(c, id_zh, ls[1].id, d->tags_zh) != MH_OK)
            goto done;
    }
    if (compose(c, p, ls[0].id, en, nen) != MH_OK || compose(c, p, ls[1].id, zh, nzh) != MH_OK)
        goto done;
    rc = MH_OK;
done:
    mh_pool_destroy(p);
    return rc;
}
