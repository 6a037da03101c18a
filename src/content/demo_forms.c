/* The demo's forms: a feedback form of five fields, a guestbook with three
 * approved messages (one answered) and two jobs (one expired) with the
 * fields of their application form, in English and Chinese. */
#include <string.h>

#include "content.h"
#include "fields.h"
#include "submissions.h"

struct demo_field {
    const char *key;
    mh_field_kind_t kind;
    const char *label_en, *label_zh;
    bool required;
    const char *options_en, *options_zh;
};

static const struct demo_field feedback_fields[] = {
    {"name", MH_FIELD_TEXT, "Name", "姓名", true, NULL, NULL},
    {"email", MH_FIELD_EMAIL, "E-mail", "电子邮箱", true, NULL, NULL},
    {"phone", MH_FIELD_PHONE, "Telephone", "联系电话", false, NULL, NULL},
    {"product", MH_FIELD_TEXT, "Product or subject", "咨询产品或主题", false, NULL, NULL},
    {"message", MH_FIELD_TEXTAREA, "Message", "留言内容", true, NULL, NULL},
};

static const struct demo_field job_fields[] = {
    {"applicant", MH_FIELD_TEXT, "Full name", "姓名", true, NULL, NULL},
    {"phone", MH_FIELD_PHONE, "Telephone", "联系电话", true, NULL, NULL},
    {"email", MH_FIELD_EMAIL, "E-mail", "电子邮箱", false, NULL, NULL},
    {"education", MH_FIELD_SELECT, "Education", "学历", false,
     "College\nBachelor\nMaster\nDoctorate", "大专\n本科\n硕士\n博士"},
};

struct demo_job {
    const char *title_en, *title_zh;
    const char *when;
    const char *dept_en, *dept_zh, *place_en, *place_zh, *openings, *pay_en, *pay_zh, *until;
    const char *body_en, *body_zh;
};

static const struct demo_job jobs[] = {
    {"Investment Promotion Officer", "招商专员", "2024-03-01 09:00:00",
     "Investment Promotion Bureau", "投资促进局", "Jiaozhou, Qingdao", "青岛胶州", "3",
     "Negotiable", "面议", "2099-12-31",
     "<p>Promote the zone to companies from SCO countries, prepare visits and follow projects "
     "from the first contact to the signing.</p>",
     "<p>面向上合组织国家企业开展招商推介，组织考察对接，跟进项目从初次接洽到签约落地。</p>"},
    {"Logistics Data Analyst", "物流数据分析师", "2023-05-10 09:00:00", "Logistics Park Office",
     "物流园区办公室", "Jiaozhou, Qingdao", "青岛胶州", "1", "CNY 10,000-15,000 a month",
     "月薪10000-15000元", "2023-12-31",
     "<p>Analyse freight train and port data and report on the park's logistics flows.</p>",
     "<p>分析中欧班列和港口数据，撰写园区物流运行分析报告。</p>"},
};

struct demo_msg {
    const char *name, *message, *reply, *when;
};

static const struct demo_msg msgs_en[] = {
    {"Anna", "Is there a shuttle bus from Jiaozhou station to the SCO Business Center?",
     "Yes: line 3 runs every 20 minutes from 7:00 to 19:00.", "2024-04-02 10:15:00"},
    {"Rustam", "We are a trading company from Tashkent. Whom should we contact about a warehouse?",
     NULL, "2024-04-10 14:30:00"},
    {"Mei", "The new website is easy to read on a phone. Thank you!", NULL, "2024-05-06 09:05:00"},
};

static const struct demo_msg msgs_zh[] = {
    {"王先生", "请问胶州站到上合商务中心有通勤班车吗？", "有的：3路班车7:00至19:00每20分钟一班。",
     "2024-04-02 10:15:00"},
    {"李女士", "我们是一家外贸企业，想咨询仓储租赁事宜，应联系哪个部门？", NULL,
     "2024-04-10 14:30:00"},
    {"张同学", "新网站在手机上浏览很方便，谢谢！", NULL, "2024-05-06 09:05:00"},
};

static int col_of(mh_content_t *c, mh_pool_t *p, int64_t lang, const char *slug, int64_t *id)
{
    mh_column_t col;
    int rc = mh_content_column_by_path(c, p, lang, slug, &col);
    *id = rc == MH_OK ? col.id : 0;
    return rc;
}

static int add_fields(mh_content_t *c, int64_t col, bool zh, const struct demo_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *opts = zh ? f[i].options_zh : f[i].options_en;
        mh_field_def_t d = {.column_id = col,
                            .key = f[i].key,
                            .kind = f[i].kind,
                            .label = zh ? f[i].label_zh : f[i].label_en,
                            .help = "",
                            .options = opts ? opts : "",
                            .required = f[i].required};
        int64_t id;
        const char *msg = NULL;
        if (mh_fields_def_create(c, &d, &id, &msg) != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

static int add_jobs(mh_content_t *c, mh_pool_t *p, int64_t col, bool zh, int64_t *groups)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(jobs); i++) {
        const struct demo_job *j = &jobs[i];
        mh_entry_t e = {.column_id = col,
                        .lang_id = 0,
                        .translation_group = zh ? groups[i] : 0,
                        .title = zh ? j->title_zh : j->title_en,
                        .summary = "",
                        .body_html = zh ? j->body_zh : j->body_en,
                        .author = "admin",
                        .source = "",
                        .cover = "",
                        .status = MH_STATUS_PUBLISHED};
        mh_column_t cc;
        if (mh_content_column_get(c, p, col, &cc) != MH_OK)
            return MH_ERR;
        e.lang_id = cc.lang_id;
        if (mh_parse_time(j->when, "+08:00", &e.publish_at) != MH_OK)
            return MH_ERR;
        e.created_at = e.updated_at = e.publish_at;
        const char *pos = zh ? j->title_zh : j->title_en;
        const char *kv[][2] = {{"position", pos},
                               {"department", zh ? j->dept_zh : j->dept_en},
                               {"place", zh ? j->place_zh : j->place_en},
                               {"openings", j->openings},
                               {"pay", zh ? j->pay_zh : j->pay_en},
                               {"valid_until", j->until}};
        mh_field_def_t *defs;
        size_t nd;
        if (mh_fields_for_column(c, p, col, &defs, &nd) != MH_OK)
            return MH_ERR;
        mh_field_input_t in[MH_ARRAY_LEN(kv)];
        for (size_t k = 0; k < MH_ARRAY_LEN(kv); k++) {
            const char **v = mh_pcalloc(p, sizeof(*v));
            v[0] = kv[k][1];
            in[k] = (mh_field_input_t){kv[k][0], v, 1};
        }
        mh_field_value_t *vals;
        mh_field_error_t *errs;
        size_t nv, ne;
        if (mh_fields_validate(p, defs, nd, in, MH_ARRAY_LEN(kv), &vals, &nv, &errs, &ne) != MH_OK)
            return MH_ERR;
        int64_t id;
        if (mh_content_entry_save_fields(c, &e, &id, vals, nv) != MH_OK)
            return MH_ERR;
        if (!zh)
            groups[i] = id;
    }
    return MH_OK;
}

static int add_messages(mh_content_t *c, int64_t col, int64_t lang, const struct demo_msg *m,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mh_submission_t s = {.column_id = col,
                             .lang_id = lang,
                             .kind = MH_SUB_GUESTBOOK,
                             .name = m[i].name,
                             .contact = "",
                             .message = m[i].message,
                             .status = "approved",
                             .reply = m[i].reply ? m[i].reply : "",
                             .notes = "",
                             .ip = ""};
        if (mh_parse_time(m[i].when, "+08:00", &s.created_at) != MH_OK)
            return MH_ERR;
        s.replied_at = m[i].reply ? s.created_at + 3600 : 0;
        if (mh_submission_create(c, &s, NULL, NULL) != MH_OK)
            return MH_ERR;
    }
    return MH_OK;
}

int mh_content_demo_forms(mh_content_t *c, int64_t en_lang, int64_t zh_lang)
{
    mh_pool_t *p = mh_pool_create();
    int rc = MH_ERR;
    int64_t groups[MH_ARRAY_LEN(jobs)] = {0};
    const int64_t langs[2] = {en_lang, zh_lang};
    for (int l = 0; l < 2; l++) {
        bool zh = l == 1;
        int64_t fb, gb, jb;
        if (col_of(c, p, langs[l], "feedback", &fb) != MH_OK ||
            col_of(c, p, langs[l], "guestbook", &gb) != MH_OK ||
            col_of(c, p, langs[l], "jobs", &jb) != MH_OK)
            goto done;
        if (add_fields(c, fb, zh, feedback_fields, MH_ARRAY_LEN(feedback_fields)) != MH_OK ||
            add_fields(c, jb, zh, job_fields, MH_ARRAY_LEN(job_fields)) != MH_OK ||
            add_jobs(c, p, jb, zh, groups) != MH_OK ||
            add_messages(c, gb, langs[l], zh ? msgs_zh : msgs_en, 3) != MH_OK)
            goto done;
    }
    rc = MH_OK;
done:
    mh_pool_destroy(p);
    return rc;
}
