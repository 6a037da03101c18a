/* The demo portal: an English and a Chinese site for a development-zone
 * portal, with the seed article that the project's reference page shows.
 * Everything goes through the public write API, like an editor would. */
#include "demo_products.h"
#include "content.h"
#include "portal.h"
#include "home.h"

#include <stdio.h>
#include <string.h>

#define SEED_TITLE "Li Gang Led a Team to Visit Beijing and Shanghai"

/* The seed article body: ten paragraphs, text exactly as published. */
static const char seed_body[] =
    "<p>From February 7 to 10, Li Gang, Vice Secretary of the Party Working Committee and "
    "Executive Deputy Director of the Administrative Committee of SCODA, led a team to visit "
    "Beijing, Shanghai, and Xiamen, to communicate on exhibition preparation, investment "
    "attraction, the construction of Ruyi Lake headquarters base and other matters.</p>\n"
    "<p>In Beijing, Li Gang visited the China Chamber of International Commerce and exchanged "
    "ideas with Wang Rui, Director of the Conference and Exhibition Department, and Xu Jinli, Vice "
    "Director of the Bilateral Cooperation Department, on the preparation of the 2023 SCO "
    "International Investment and Trade Expo and the SCO Industrial and Supply Chains Forum. Li "
    "Gang hoped that the China Chamber of International Commerce will strengthen its support for "
    "SCODA and facilitate its opening up at a high level.</p>\n"
    "<p>Wang Rui and Xu Jinli said that the China Chamber of International Commerce will bring in "
    "relevant resources from economic and financial organizations, chambers of commerce and "
    "industry and enterprises of SCO countries to SCODA, enabling SCODA to carry out "
    "multidimensional and multi-tiered practical cooperation with SCO countries.</p>\n"
    "<p>During his stay in Beijing, Li Gang also visited the Beijing Liaison Center of SCODA and "
    "made arrangements for future work.</p>\n"
    "<p>In Shanghai, Li Gang visited Shanghai Bluesoul Environmental Technology Co., Ltd., and "
    "exchanged ideas with Yao Hao, Chairman of Bluesoul. Li Gang hoped that Bluesoul can take root "
    "in the construction of SCODA and help the marine industry of SCODA expand and prosper.</p>\n"
    "<p>Yao Hao said that the company will accelerate the implementation of relevant projects in "
    "SCODA, and engage in high-end equipment production, technology incubation, and other related "
    "businesses in the marine field, to achieve mutual benefit and win-win results.</p>\n"
    "<p>Then Li Gang visited Geespace, and exchanged ideas with the company's CEO Wang Yang. Li "
    "Gang hoped that the two sides will strengthen cooperation in industrial Internet, multimodal "
    "transport, cross-border logistics, emergency relief, and other fields, and jointly push SCO "
    "countries and countries along the Belt and Road to realize the upgrading of the satellite "
    "industrial chain and commercial application of space technology, so as to create a new engine "
    "for development.</p>\n"
    "<p>Wang Yang said that Geespace will further deepen cooperation and explore new cooperation "
    "projects to achieve win-win development, take root in SCODA and support its development while "
    "accelerating the construction of the Geely satellite project.</p>\n"
    "<p>In Xiamen, Li Gang presided over the meeting on the overall creative planning of Ruyi Lake "
    "Headquarters Base and communicated with Zhao Yanjing, Professor at Xiamen University on the "
    "construction of Ruyi Lake Headquarters Base. Zhao Yanjing introduced the overall creative "
    "planning and design ideas of Ruyi Lake Headquarters Base, and put forward suggestions on the "
    "functional planning, spatial planning, and business model design based on the development "
    "strategy of the modern SCO New Area and the construction task of SCODA.</p>\n"
    "<p>Li Gang pointed out that the two sides should take this meeting as an opportunity to "
    "further strengthen communication, clarify the construction ideas, refine the work measures, "
    "follow the timeline, coordinate and promote infrastructure construction and supporting urban "
    "functions, urban landscape improvement, and other work, constantly optimize and improve the "
    "platform function of serving the economic and trade cooperation, and complete the planning "
    "and design with high quality, creating a sound beginning for the construction of Ruyi Lake "
    "Headquarters Base.</p>";

static const char seed_body_zh[] =
    "<p>2月7日至10日，上合示范区党工委副书记、管委常务副主任李刚带队赴北京、上海、厦门，"
    "就筹备展会、招商引资、如意湖总部基地建设等事项进行对接交流。</p>\n"
    "<p>在北京，李刚拜访了中国国际商会，与会展部部长王锐、双边合作部副部长徐金丽就筹备2023"
    "上合组织国际投资贸易博览会和上合组织产业链供应链论坛进行交流。李刚希望中国国际商会加大"
    "对上合示范区的支持力度，助力示范区高水平对外开放。</p>\n"
    "<p>在上海，李刚先后走访了上海蓝魂环保科技有限公司和时空道宇科技有限公司，希望企业扎根"
    "上合示范区建设，在海洋产业、卫星产业链等领域深化合作，实现互利共赢。</p>\n"
    "<p>在厦门，李刚主持召开如意湖总部基地整体创意策划会，要求进一步理清建设思路、细化工作"
    "措施，高质量完成规划设计，为如意湖总部基地建设开好局、起好步。</p>";

struct demo_col {
    const char *key;    /* slug, also used to find the parent */
    const char *parent; /* parent's slug or NULL */
    mh_module_t module;
    const char *name_en, *name_zh;
    int nav;
    int page_size;
    const char *body_en, *body_zh;
    const char *link;
};

static const struct demo_col demo_cols[] = {
    {"about", NULL, MH_MODULE_PAGE, "About", "关于我们", MH_NAV_HEADER, 20,
     "<p>The China-SCO Local Economic and Trade Cooperation Demonstration Area (SCODA) was "
     "approved by the State Council in 2019. It is committed to building a regional logistics "
     "center, a modern trade center, a two-way investment cooperation center and a business, "
     "tourism and cultural exchange center oriented to SCO countries.</p>",
     "<p>中国—上海合作组织地方经贸合作示范区于2019年经国务院批准设立，致力于打造面向上合组织"
     "国家的区域物流中心、现代贸易中心、双向投资合作中心和商旅文交流发展中心。</p>",
     NULL},
    {"overview", "about", MH_MODULE_PAGE, "Overview", "示范区概况", MH_NAV_HEADER, 20,
     "<p>SCODA is located in Jiaozhou, Qingdao, with a planned area of 52 square kilometres. "
     "It connects Qingdao Port, Jiaozhou Bay International Airport and the China-Europe freight "
     "train network, forming a multimodal transport hub for trade with SCO countries.</p>\n"
     "<p>Its core area hosts the SCO International Trade and Logistics Park, the Ruyi Lake "
     "Headquarters Base and the SCO Business Center.</p>",
     "<p>上合示范区位于青岛胶州，规划面积52平方公里，连接青岛港、胶东国际机场和中欧班列网络，"
     "形成面向上合组织国家的多式联运枢纽。</p>\n"
     "<p>核心区内建有上合国际贸易物流园、如意湖总部基地和上合商务中心。</p>",
     NULL},
    {"leadership", "about", MH_MODULE_PAGE, "Leadership", "领导班子", MH_NAV_HEADER, 20,
     "<p>The Party Working Committee and the Administrative Committee of SCODA lead the "
     "planning, construction and operation of the demonstration area.</p>\n"
     "<p>Li Gang, Vice Secretary of the Party Working Committee and Executive Deputy Director "
     "of the Administrative Committee.</p>",
     "<p>上合示范区党工委、管委负责示范区的规划、建设和运营管理工作。</p>\n"
     "<p>李刚，党工委副书记、管委常务副主任。</p>",
     NULL},
    {"news", NULL, MH_MODULE_ARTICLE, "News", "新闻中心", MH_NAV_HEADER, 10, NULL, NULL, NULL},
    {"zone-news", "news", MH_MODULE_ARTICLE, "Zone News", "园区新闻", MH_NAV_HEADER, 10, NULL, NULL,
     NULL},
    {"media-coverage", "news", MH_MODULE_ARTICLE, "Media Coverage", "媒体报道", MH_NAV_HEADER, 10,
     NULL, NULL, NULL},
    {"investment", NULL, MH_MODULE_ARTICLE, "Investment", "投资促进", MH_NAV_HEADER, 10, NULL, NULL,
     NULL},
    {"policies", "investment", MH_MODULE_ARTICLE, "Policies", "投资政策", MH_NAV_HEADER, 10, NULL,
     NULL, NULL},
    {"projects", "investment", MH_MODULE_ARTICLE, "Projects", "重点项目", MH_NAV_HEADER, 10, NULL,
     NULL, NULL},
    {"services", NULL, MH_MODULE_DOWNLOAD, "Services", "政务服务", MH_NAV_HEADER, 20, NULL, NULL,
     NULL},
    {"products", NULL, MH_MODULE_PRODUCT, "Products", "产品中心", MH_NAV_HEADER, 12, NULL, NULL,
     NULL},
    {"gallery", NULL, MH_MODULE_GALLERY, "Gallery", "图片展示", MH_NAV_HEADER, 12, NULL, NULL,
     NULL},
    {"jobs", NULL, MH_MODULE_JOB, "Jobs", "招聘信息", MH_NAV_HEADER, 20, NULL, NULL, NULL},
    /* forms (demo_forms.c) */
    {"feedback", NULL, MH_MODULE_FEEDBACK, "Feedback", "在线留言", MH_NAV_FOOTER, 20, NULL, NULL,
     NULL},
    {"guestbook", NULL, MH_MODULE_GUESTBOOK, "Guestbook", "留言板", MH_NAV_FOOTER, 10, NULL, NULL,
     NULL},
    {"contact", NULL, MH_MODULE_PAGE, "Contact", "联系我们", MH_NAV_BOTH, 20,
     "<p>Administrative Committee of SCODA</p>\n"
     "<p>Address: No. 1 Shanghe Road, Jiaozhou, Qingdao, Shandong, China</p>\n"
     "<p>Telephone: +86 532 8820 0000</p>\n"
     "<p>Email: info@scoda.example.org</p>",
     "<p>上合示范区管委</p>\n"
     "<p>地址：山东省青岛市胶州市上合路1号</p>\n"
     "<p>电话：0532-88200000</p>\n"
     "<p>邮箱：info@scoda.example.org</p>",
     NULL},
    {"privacy", NULL, MH_MODULE_PAGE, "Privacy", "隐私政策", MH_NAV_FOOTER, 20,
     "<p>This site does not set tracking cookies. Messages sent through the feedback form are "
     "used only to answer them.</p>",
     "<p>本网站不使用跟踪Cookie。通过留言表单提交的信息仅用于答复。</p>", NULL},
    {"sitemap", NULL, MH_MODULE_LINK, "Sitemap", "网站地图", MH_NAV_FOOTER, 20, NULL, NULL,
     "/sitemap.xml"},
};

struct demo_entry {
    const char *column; /* slug of the column */
    const char *title;
    const char *when; /* local time in the site timezone */
    mh_status_t status;
    bool recommended;
    int hits;
    const char *summary;
    const char *body; /* NULL: the summary as one paragraph */
};

/* English entries other than the seed article. */
static const struct demo_entry demo_en[] = {
    {"investment", "Investment Guide 2023 Released", "2023-02-10 10:00:00", MH_STATUS_PUBLISHED,
     false, 87,
     "The 2023 investment guide presents the industries, land and incentives open to investors "
     "from SCO countries.",
     NULL},
    {"news", "SCODA Signs 15 Projects at Spring Investment Promotion Conference",
     "2023-03-16 10:20:00", MH_STATUS_PUBLISHED, true, 312,
     "Fifteen projects with a total investment of 8.6 billion yuan were signed, covering "
     "logistics, trade and advanced manufacturing.",
     NULL},
    {"news", "Jiaozhou Airport Cargo Routes to Central Asia Expanded", "2023-04-11 09:05:12",
     MH_STATUS_PUBLISHED, false, 154,
     "Two new all-cargo routes link Jiaozhou Bay International Airport with Tashkent and Almaty.",
     NULL},
    {"news", "SCO Youth Entrepreneurship Camp Opens in the Demonstration Area",
     "2023-05-08 15:30:00", MH_STATUS_PUBLISHED, false, 98,
     "Sixty young entrepreneurs from eight SCO countries joined the two-week camp.", NULL},
    {"policies", "Measures to Support Headquarters Economy in SCODA", "2023-05-20 09:00:00",
     MH_STATUS_PUBLISHED, true, 201,
     "New measures grant office subsidies and talent awards to regional headquarters settling "
     "in the demonstration area.",
     NULL},
    {"news", "Delegation from Uzbekistan Visits SCODA Logistics Hub", "2023-06-02 11:12:40",
     MH_STATUS_PUBLISHED, false, 76,
     "The delegation toured the multimodal transport center and discussed new freight train "
     "services.",
     NULL},
    {"news", "China-SCO Trade Data Platform Goes Online", "2023-06-28 14:00:00",
     MH_STATUS_PUBLISHED, true, 265,
     "The platform publishes monthly trade statistics between China and SCO countries.", NULL},
    {"news", "SCODA Holds Symposium on Cross-border E-commerce", "2023-07-10 16:05:21",
     MH_STATUS_PUBLISHED, false, 133,
     "Platform operators and exporters discussed overseas warehouses and customs facilitation.",
     NULL},
    {"zone-news", "Zone Enterprises Complete Safety Production Inspection", "2023-07-18 10:10:10",
     MH_STATUS_PUBLISHED, false, 41,
     "All 126 enterprises in the zone passed the mid-year safety production inspection.", NULL},
    {"media-coverage", "Xinhua: SCODA Becomes a New Bridge for Regional Cooperation",
     "2023-08-02 12:00:00", MH_STATUS_PUBLISHED, false, 189,
     "Xinhua News Agency reported on the growth of trade between the demonstration area and SCO "
     "countries.",
     NULL},
    {"news", "Ruyi Lake Headquarters Base Enters Construction Phase", "2023-08-15 10:00:00",
     MH_STATUS_PUBLISHED, false, 147,
     "Construction of the first buildings of the Ruyi Lake Headquarters Base has begun.", NULL},
    {"news", "SCO Expo Preparations Reviewed at Coordination Meeting", "2023-09-05 09:30:00",
     MH_STATUS_PUBLISHED, false, 120,
     "The meeting reviewed venue, exhibitor and security arrangements for the 2023 SCO Expo.",
     NULL},
    {"projects", "Smart Logistics Park Project Signed with SCO Partner", "2023-09-18 14:30:00",
     MH_STATUS_PUBLISHED, false, 64,
     "A smart logistics park with bonded warehouses will be built with a Kazakh partner.", NULL},
    {"news", "Multimodal Transport Center Handles Record Container Volume", "2023-10-12 17:20:05",
     MH_STATUS_PUBLISHED, false, 109,
     "The center handled 1.2 million containers in the first three quarters, a record.", NULL},
    {"news", "SCODA Launches Talent Service Station for Foreign Experts", "2023-11-20 08:45:00",
     MH_STATUS_PUBLISHED, false, 58,
     "The station offers visa, housing and schooling services for foreign experts in one place.",
     NULL},
    {"news", "Annual Work Report Outline", "2023-12-01 09:00:00", MH_STATUS_DRAFT, false, 0,
     "Draft outline of the annual work report, not for publication.", NULL},
    {"news", "SCO Expo 2099 Opening Ceremony", "2099-01-01 09:00:00", MH_STATUS_SCHEDULED, false, 0,
     "The opening ceremony of the SCO Expo 2099, scheduled for publication.", NULL},
};

/* Chinese entries; group_with names the English entry they translate. */
static const struct {
    struct demo_entry e;
    const char *group_with;
} demo_zh[] = {
    {{"news", "上合示范区春季投资推介会签约15个项目", "2023-03-16 10:20:00", MH_STATUS_PUBLISHED,
      true, 280, "推介会共签约项目15个，总投资86亿元，涵盖物流、贸易和先进制造等领域。", NULL},
     "SCODA Signs 15 Projects at Spring Investment Promotion Conference"},
    {{"policies", "关于支持上合示范区总部经济发展的若干措施", "2023-05-20 09:00:00",
      MH_STATUS_PUBLISHED, false, 150, "对落户示范区的区域总部给予办公用房补贴和人才奖励。", NULL},
     "Measures to Support Headquarters Economy in SCODA"},
    {{"news", "中国—上合组织经贸数据平台上线运行", "2023-06-28 14:00:00", MH_STATUS_PUBLISHED,
      false, 230, "平台按月发布中国与上合组织国家贸易统计数据。", NULL},
     "China-SCO Trade Data Platform Goes Online"},
    {{"zone-news", "园区企业完成安全生产检查", "2023-07-18 10:10:10", MH_STATUS_PUBLISHED, false,
      35, "园区126家企业全部通过年中安全生产检查。", NULL},
     NULL},
    {{"news", "李刚带队赴北京、上海考察", "2023-07-24 16:41:44", MH_STATUS_PUBLISHED, true, 402,
      "2月7日至10日，李刚带队赴北京、上海、厦门，就筹备展会、招商引资、如意湖总部基地建设等事项进行"
      "对接交流。",
      seed_body_zh},
     SEED_TITLE},
    {{"news", "如意湖总部基地开工建设", "2023-08-15 10:00:00", MH_STATUS_PUBLISHED, false, 120,
      "如意湖总部基地首批建筑正式开工。", NULL},
     "Ruyi Lake Headquarters Base Enters Construction Phase"},
};

static const char *const settings_en[][2] = {
    {"site_name", "SCO Demonstration Area"},
    {"site_tagline", "China-SCO Local Economic and Trade Cooperation Demonstration Area"},
    {"footer_text", "Address: No. 1 Shanghe Road, Jiaozhou, Qingdao, Shandong, China\n"
                    "Copyright © 2019-2024 Administrative Committee of SCODA. All rights "
                    "reserved."},
    {"icp", "Lu ICP Bei 19045678-1"},
    {"address", "No. 1 Shanghe Road, Jiaozhou, Qingdao, Shandong, China"},
    {"phone", "+86 532 8820 0000"},
    {"email", "info@scoda.example.org"},
    {"keywords", "SCODA, SCO, demonstration area, Qingdao, investment, logistics"},
    {"description", "Official portal of the China-SCO Local Economic and Trade Cooperation "
                    "Demonstration Area."},
};

static const char *const settings_zh[][2] = {
    {"site_name", "上合示范区"},
    {"site_tagline", "中国—上海合作组织地方经贸合作示范区"},
    {"footer_text", "地址：山东省青岛市胶州市上合路1号\n"
                    "版权所有 © 2019-2024 中国—上海合作组织地方经贸合作示范区管理委员会"},
    {"icp", "鲁ICP备19045678号-1"},
    {"address", "山东省青岛市胶州市上合路1号"},
    {"phone", "0532-88200000"},
    {"email", "info@scoda.example.org"},
    {"keywords", "上合示范区,上合组织,青岛,胶州,投资,物流"},
    {"description", "中国—上海合作组织地方经贸合作示范区官方网站。"},
    {"date_format", "%Y年%m月%d日"},
};

/* Column ids of one language, in the order of demo_cols. */
struct lang_cols {
    int64_t lang_id;
    int64_t id[MH_ARRAY_LEN(demo_cols)];
};

static int64_t col_id(const struct lang_cols *lc, const char *slug)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(demo_cols); i++)
        if (strcmp(demo_cols[i].key, slug) == 0)
            return lc->id[i];
    return 0;
}

static int add_columns(mh_content_t *c, struct lang_cols *lc, bool zh,
                       const struct lang_cols *group_of)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(demo_cols); i++) {
        const struct demo_col *d = &demo_cols[i];
        const char *body = zh ? d->body_zh : d->body_en;
        mh_column_t col = {
            .lang_id = lc->lang_id,
            .parent_id = d->parent ? col_id(lc, d->parent) : 0,
            .module = d->module,
            .name = zh ? d->name_zh : d->name_en,
            .slug = d->key,
            .body_html = body ? body : "",
            .link_url = d->link ? d->link : "",
            .nav = d->nav,
            .sort_mode = MH_SORT_NEWEST,
            .page_size = d->page_size,
            .position = (int)i,
            .visible = true,
            /* the Chinese column translates the English one of the same key */
            .translation_group = group_of ? group_of->id[i] : 0,
        };
        if (mh_content_column_create(c, &col, &lc->id[i]) != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

static int add_entry(mh_content_t *c, mh_pool_t *p, const struct lang_cols *lc,
                     const struct demo_entry *d, int64_t group, int64_t *id)
{
    mh_entry_t e = {
        .column_id = col_id(lc, d->column),
        .lang_id = lc->lang_id,
        .translation_group = group,
        .title = d->title,
        .summary = d->summary,
        .body_html = d->body ? d->body : mh_psprintf(p, "<p>%s</p>", d->summary),
        .author = "admin",
        .source = "",
        .cover = "",
        .status = d->status,
        .recommended = d->recommended,
        .hits = d->hits,
    };
    if (mh_parse_time(d->when, "+08:00", &e.publish_at) != MH_OK)
        return MH_ERR;
    e.created_at = e.updated_at = e.publish_at;
    return mh_content_entry_create(c, &e, id);
}

static int add_settings(mh_content_t *c, int64_t lang_id, const char *const (*kv)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (mh_content_setting_set(c, lang_id, kv[i][0], kv[i][1]) != MH_OK)
            return MH_ERR;
    return MH_OK;
}

int mh_content_demo_load(mh_content_t *c, char *err, size_t errlen)
{
    mh_pool_t *p = mh_pool_create();
    mh_language_t *langs, zh = {.code = "zh-CN", .name = "中文", .prefix = "zh", .position = 1};
    struct lang_cols en_cols = {0}, zh_cols = {0};
    int64_t groups[MH_ARRAY_LEN(demo_en)] = {0}, seed_id = 0, id;
    size_t nlangs;
    int rc = MH_ERR;
    const struct demo_entry seed = {"news",
                                    SEED_TITLE,
                                    "2023-07-24 16:41:44",
                                    MH_STATUS_PUBLISHED,
                                    true,
                                    526,
                                    "From February 7 to 10, Li Gang led a team to visit Beijing, "
                                    "Shanghai, and Xiamen.",
                                    seed_body};
    if (mh_content_languages(c, p, &langs, &nlangs) != MH_OK || nlangs == 0)
        goto done;
    en_cols.lang_id = langs[0].id;
    if (mh_content_language_create(c, &zh, &zh_cols.lang_id) != MH_OK)
        goto done;
    if (add_columns(c, &en_cols, false, NULL) != MH_OK ||
        add_columns(c, &zh_cols, true, &en_cols) != MH_OK)
        goto done;
    for (size_t i = 0; i < MH_ARRAY_LEN(demo_en); i++) {
        if (strcmp(demo_en[i].when, seed.when) > 0 && !seed_id &&
            add_entry(c, p, &en_cols, &seed, 0, &seed_id) != MH_OK)
            goto done;
        if (add_entry(c, p, &en_cols, &demo_en[i], 0, &groups[i]) != MH_OK)
            goto done;
    }
    for (size_t i = 0; i < MH_ARRAY_LEN(demo_zh); i++) {
        int64_t group = 0;
        const char *with = demo_zh[i].group_with;
        if (with && strcmp(with, SEED_TITLE) == 0)
            group = seed_id;
        for (size_t j = 0; with && !group && j < MH_ARRAY_LEN(demo_en); j++)
            if (strcmp(demo_en[j].title, with) == 0)
                group = groups[j];
        if (add_entry(c, p, &zh_cols, &demo_zh[i].e, group, &id) != MH_OK)
            goto done;
    }
    if (add_settings(c, en_cols.lang_id, settings_en, MH_ARRAY_LEN(settings_en)) != MH_OK ||
        add_settings(c, zh_cols.lang_id, settings_zh, MH_ARRAY_LEN(settings_zh)) != MH_OK)
        goto done;
    if (mh_content_demo_forms(c, en_cols.lang_id, zh_cols.lang_id) != MH_OK ||
        mh_demo_products_load(c) != MH_OK ||
        mh_content_demo_portal(c) != MH_OK || /* downloads, banners, links */
        mh_content_demo_home(c) != MH_OK)
        goto done;
    rc = MH_OK;
done:
    if (rc != MH_OK)
        snprintf(err, errlen, "cannot load the demo content");
    mh_pool_destroy(p);
    return rc;
}

/* --- a new site's defaults --- */

static const mh_setting_t plain_defaults[] = {
    {"site_name", "My Site"},
    {"time_format", "%Y-%m-%d %H:%M:%S"},
    {"timezone", "Asia/Shanghai"},
    {"title_pattern", "{title} - {site}"},
};

static const mh_setting_t demo_defaults[] = {
    {"site_name", "SCO Demonstration Area"},
    {"time_format", "%Y-%m-%d %H:%M:%S"},
    {"timezone", "Asia/Shanghai"},
    {"title_pattern", "{title} - {site}"},
};

const char *mh_content_default_site_name(bool demo)
{
    return demo ? demo_defaults[0].value : plain_defaults[0].value;
}

const mh_setting_t *mh_content_default_settings(bool demo, size_t *n)
{
    *n = demo ? MH_ARRAY_LEN(demo_defaults) : MH_ARRAY_LEN(plain_defaults);
    return demo ? demo_defaults : plain_defaults;
}
