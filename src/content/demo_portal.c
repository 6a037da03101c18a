/* The demo's downloads, banners and friendly links (init --demo): three
 * documents in the "services" download column of each language (real
 * files in the media library, Chinese names for the Chinese ones), three
 * home page banners per language with desktop and mobile images drawn
 * with libvips, and four friendly links per language. */
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

#include "../core/buf.h"
#include "../core/log.h"
#include "../media/media.h"
#include "fields.h"
#include "languages.h"
#include "media.h"
#include "portal.h"

/* A one-page PDF whose page says text (ASCII). Offsets in the xref table
 * are computed, so readers accept it without repair. */
static char *make_pdf(mh_pool_t *p, const char *text, size_t *len)
{
    const char *content = mh_psprintf(p, "BT /F1 18 Tf 72 720 Td (%s) Tj ET", text);
    const char *objs[5] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        mh_psprintf(p, "<< /Length %zu >>\nstream\n%s\nendstream", strlen(content), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    mh_buf_t b;
    size_t off[5];
    mh_buf_init(&b, 2048);
    mh_buf_append_c(&b, "%PDF-1.4\n");
    for (int i = 0; i < 5; i++) {
        off[i] = b.len;
        mh_buf_append_c(&b, mh_psprintf(p, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]));
    }
    size_t xref = b.len;
    mh_buf_append_c(&b, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < 5; i++)
        mh_buf_append_c(&b, mh_psprintf(p, "%010zu 00000 n \n", off[i]));
    mh_buf_append_c(
        &b, mh_psprintf(p, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref));
    char *out = mh_pstrndup(p, b.base, b.len);
    *len = b.len;
    mh_buf_free(&b);
    return out;
}

/* A JPEG of w x h: a horizontal gradient from 60% to 100% of (r, g, b). */
static int make_image(int w, int h, double r, double g, double bl, void **out, size_t *len)
{
    VipsImage *xyz = NULL, *x = NULL, *lin = NULL, *u = NULL, *rgb = NULL;
    double a[3] = {r * 0.4 / w, g * 0.4 / w, bl * 0.4 / w}, c[3] = {r * 0.6, g * 0.6, bl * 0.6};
    int rc = MH_ERR;
    *out = NULL;
    if (mh_media_init() != MH_OK)
        return MH_ERR;
    if (vips_xyz(&xyz, w, h, NULL) || vips_extract_band(xyz, &x, 0, NULL) ||
        vips_linear(x, &lin, a, c, 3, NULL) || vips_cast_uchar(lin, &u, NULL) ||
        vips_copy(u, &rgb, "interpretation", VIPS_INTERPRETATION_sRGB, NULL) ||
        vips_jpegsave_buffer(rgb, out, len, "Q", 80, NULL))
        goto done;
    rc = MH_OK;
done:
    if (rc != MH_OK)
        mh_error("demo: cannot draw an image: %s", vips_error_buffer());
    VipsImage *all[] = {xyz, x, lin, u, rgb};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (all[i])
            g_object_unref(all[i]);
    return rc;
}

/* Store bytes in the media library; *ref receives "/media/<stored name>". */
static int add_media(mh_content_t *c, mh_pool_t *p, const void *data, size_t len, const char *name,
                     const char **ref)
{
    mh_media_item_t m;
    const char *dir = mh_content_media_dir(c);
    if (!dir || mh_content_media_add(c, p, dir, data, len, mh_str_c(name), 0, &m) != MH_OK)
        return MH_ERR;
    *ref = mh_content_media_url(p, m.stored_name);
    return MH_OK;
}

static int add_image(mh_content_t *c, mh_pool_t *p, int w, int h, const double rgb[3],
                     const char *name, const char **ref)
{
    void *buf = NULL;
    size_t len = 0;
    int rc = make_image(w, h, rgb[0], rgb[1], rgb[2], &buf, &len);
    if (rc == MH_OK)
        rc = add_media(c, p, buf, len, name, ref);
    g_free(buf);
    return rc;
}

struct demo_download {
    const char *title_en, *title_zh, *summary_en, *summary_zh;
    const char *file_en, *file_zh; /* original names */
    const char *when;
    bool pdf; /* else a plain-text form */
};

static const struct demo_download downloads[] = {
    {"Investment Guide 2023", "2023年投资指南",
     "Sectors, incentives and contacts for investors in the demonstration area.",
     "示范区重点产业、扶持政策和投资联络方式。", "SCODA Investment Guide 2023.pdf",
     "上合示范区投资指南2023.pdf", "2023-04-10 09:00:00", true},
    {"Enterprise Registration Form", "企业登记申请表",
     "The form for registering a new enterprise in the demonstration area.",
     "在示范区新设立企业的登记申请表。", "Enterprise Registration Form.txt", "企业登记申请表.txt",
     "2023-06-02 10:30:00", false},
    {"Logistics Subsidy Application Guide", "物流补贴申报指南",
     "How to apply for the multimodal transport subsidy, step by step.",
     "多式联运补贴申报流程说明。", "Logistics Subsidy Guide.pdf", "物流补贴申报指南.pdf",
     "2023-09-15 15:00:00", true},
};

static int add_download(mh_content_t *c, mh_pool_t *p, const struct demo_download *d,
                        int64_t lang_id, bool zh, int64_t group, int64_t *id)
{
    mh_column_t col;
    size_t len = 0;
    const char *ref = NULL;
    const char *data;
    if (mh_content_column_by_path(c, p, lang_id, "services", &col) != MH_OK)
        return MH_ERR;
    if (d->pdf) {
        data = make_pdf(p, d->title_en, &len);
    } else {
        data = mh_psprintf(p,
                           "%s\n\nCompany name:\nRegistered address:\nLegal representative:\n"
                           "Registered capital:\nBusiness scope:\n\nDate:\nSignature:\n",
                           zh ? d->title_zh : d->title_en);
        len = strlen(data);
    }
    if (add_media(c, p, data, len, zh ? d->file_zh : d->file_en, &ref) != MH_OK)
        return MH_ERR;
    const char *summary = zh ? d->summary_zh : d->summary_en;
    mh_entry_t e = {
        .column_id = col.id,
        .lang_id = lang_id,
        .translation_group = group,
        .title = zh ? d->title_zh : d->title_en,
        .summary = summary,
        .body_html = mh_psprintf(p, "<p>%s</p>", summary),
        .author = "admin",
        .source = "",
        .cover = "",
        .status = MH_STATUS_PUBLISHED,
    };
    if (mh_parse_time(d->when, "+08:00", &e.publish_at) != MH_OK)
        return MH_ERR;
    e.created_at = e.updated_at = e.publish_at;
    mh_field_value_t v = {.key = "file", .text = ref};
    return mh_content_entry_save_fields(c, &e, id, &v, 1);
}

/* Links relative to the home page ("about/"), so they hold for a language
 * served under its prefix and on its own domain alike. */
struct demo_banner {
    const char *title_en, *title_zh, *alt_en, *alt_zh, *link;
    double rgb[3];
};

static const struct demo_banner banners[] = {
    {"Open to the SCO world",
     "面向上合组织国家开放合作",
     "Blue banner: Open to the SCO world",
     "蓝色横幅：面向上合组织国家开放合作",
     "about/",
     {20, 83, 154}},
    {"A multimodal logistics hub",
     "多式联运物流枢纽",
     "Green banner: a multimodal logistics hub",
     "绿色横幅：多式联运物流枢纽",
     "news/",
     {30, 120, 80}},
    {"Invest in the demonstration area",
     "投资上合示范区",
     "Red banner: invest in the demonstration area",
     "红色横幅：投资上合示范区",
     "https://www.example.org/invest",
     {183, 28, 28}},
};

struct demo_link {
    const char *en, *zh, *url;
    bool nofollow;
};

static const struct demo_link links[] = {
    {"Ministry of Commerce", "商务部", "https://www.mofcom.gov.cn/", false},
    {"SCO Secretariat", "上海合作组织秘书处", "https://www.sectsco.org/", false},
    {"Qingdao Municipal Government", "青岛市人民政府", "http://www.qingdao.gov.cn/", false},
    {"Investment forum (external)", "投资论坛（外部）", "https://forum.example.com/", true},
};

int mh_content_demo_portal(mh_content_t *c)
{
    mh_pool_t *p = mh_pool_create();
    mh_language_t *langs = NULL;
    size_t nlangs = 0;
    int rc = MH_ERR;
    const char *img[MH_ARRAY_LEN(banners)][2];
    if (mh_content_languages(c, p, &langs, &nlangs) != MH_OK || nlangs < 2)
        goto done;
    for (size_t i = 0; i < MH_ARRAY_LEN(banners); i++)
        if (add_image(c, p, 1200, 360, banners[i].rgb, mh_psprintf(p, "banner-%zu.jpg", i + 1),
                      &img[i][0]) != MH_OK ||
            add_image(c, p, 640, 400, banners[i].rgb,
                      mh_psprintf(p, "banner-%zu-mobile.jpg", i + 1), &img[i][1]) != MH_OK)
            goto done;
    for (size_t l = 0; l < 2; l++) {
        bool zh = l == 1;
        for (size_t i = 0; i < MH_ARRAY_LEN(banners); i++) {
            const struct demo_banner *d = &banners[i];
            const char *msg = NULL;
            int64_t id;
            mh_banner_t b = {.lang_id = langs[l].id,
                             .title = zh ? d->title_zh : d->title_en,
                             .alt = zh ? d->alt_zh : d->alt_en,
                             .image = img[i][0],
                             .image_mobile = img[i][1],
                             .link = d->link,
                             .position = -1};
            if (mh_portal_banner_create(c, &b, &id, &msg) != MH_OK)
                goto done;
        }
        for (size_t i = 0; i < MH_ARRAY_LEN(links); i++) {
            const char *msg = NULL;
            int64_t id;
            mh_friend_link_t fl = {.lang_id = langs[l].id,
                                   .title = zh ? links[i].zh : links[i].en,
                                   .url = links[i].url,
                                   .logo = "",
                                   .nofollow = links[i].nofollow,
                                   .position = -1};
            if (mh_portal_link_create(c, &fl, &id, &msg) != MH_OK)
                goto done;
        }
    }
    for (size_t i = 0; i < MH_ARRAY_LEN(downloads); i++) {
        int64_t en = 0, zh = 0;
        if (add_download(c, p, &downloads[i], langs[0].id, false, 0, &en) != MH_OK ||
            add_download(c, p, &downloads[i], langs[1].id, true, en, &zh) != MH_OK)
            goto done;
    }
    rc = MH_OK;
done:
    if (rc != MH_OK)
        mh_error("demo: cannot add the downloads, banners and friendly links");
    mh_pool_destroy(p);
    return rc;
}
