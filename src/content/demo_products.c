/* The demo's products and gallery (`init --demo`): in both languages a
 * products column with three parameters (material and size filterable
 * selects, a model number shown in lists), six products with images,
 * specification and service tabs and related products, and a gallery
 * album of eight images. The pictures are generated (media/demo_image.c),
 * small, and stored through the media library like uploads; both
 * languages use the same files. */
#include "demo_products.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "../media/media.h"
#include "fields.h"
#include "images.h"
#include "media.h"
#include "types.h"

#define IMG_W 480
#define IMG_H 360

struct demo_product {
    const char *title_en, *title_zh;
    const char *summary_en, *summary_zh;
    int material, size; /* option indexes */
    const char *model;
    const char *when;
};

static const char *const material_en[] = {"Steel", "Aluminium", "Plastic"};
static const char *const material_zh[] = {"钢", "铝", "塑料"};
static const char *const size_en[] = {"Small", "Medium", "Large"};
static const char *const size_zh[] = {"小", "中", "大"};

static const struct demo_product products[] = {
    {"Gate Valve DN50", "DN50闸阀", "A cast steel gate valve for water and steam lines.",
     "铸钢闸阀，适用于水和蒸汽管路。", 0, 1, "GV-50", "2023-06-01 09:00:00"},
    {"Flange Coupling", "法兰联轴器", "A rigid steel coupling for shafts up to 80 mm.",
     "刚性钢制联轴器，适用于80毫米以下的轴。", 0, 2, "FC-80", "2023-06-05 09:00:00"},
    {"Pipe Clamp Set", "管夹套装", "Galvanised steel clamps in three sizes.",
     "三种规格的镀锌钢管夹。", 0, 0, "PC-3", "2023-06-10 09:00:00"},
    {"Heat Sink Profile", "散热器型材", "An extruded aluminium profile for power electronics.",
     "用于电力电子器件的挤压铝型材。", 1, 1, "HS-120", "2023-06-15 09:00:00"},
    {"Cable Tray", "电缆桥架", "A light aluminium cable tray with covers.",
     "带盖板的轻型铝制电缆桥架。", 1, 2, "CT-300", "2023-06-20 09:00:00"},
    {"Junction Box", "接线盒", "A sealed polycarbonate box, IP67.",
     "密封聚碳酸酯接线盒，防护等级IP67。", 2, 0, "JB-67", "2023-06-25 09:00:00"},
};

static const char *const gallery_en[] = {
    "The administrative centre at dawn",
    "Container yard of the logistics park",
    "Ruyi Lake in spring",
    "The China-Europe freight train terminal",
    "Exhibition hall of the trade fair",
    "Headquarters base by night",
    "Green corridor along the river",
    "Visitors at the SCO business centre",
};
static const char *const gallery_zh[] = {
    "清晨的行政中心", "物流园集装箱堆场", "春日如意湖",   "中欧班列集结中心",
    "经贸展会展馆",   "夜色中的总部基地", "沿河绿色廊道", "上合商务中心的访客",
};

/* A generated picture stored in the media library; its reference. */
static const char *picture(mh_content_t *c, mh_pool_t *p, unsigned seed, const char *name)
{
    void *data = NULL;
    size_t len = 0;
    mh_media_item_t m;
    const char *ref = NULL;
    if (mh_media_demo_image(IMG_W, IMG_H, seed, &data, &len) != MH_OK)
        return NULL;
    if (mh_content_media_add(c, p, mh_content_media_dir(c), data, len, mh_str_c(name), 0, &m) ==
        MH_OK)
        ref = mh_content_media_url(p, m.stored_name);
    g_free(data);
    return ref;
}

static int add_def(mh_content_t *c, int64_t col, const char *key, mh_field_kind_t kind,
                   const char *label, const char *options, bool filterable, bool in_list)
{
    mh_field_def_t d = {.column_id = col,
                        .key = key,
                        .kind = kind,
                        .label = label,
                        .help = "",
                        .options = options,
                        .show_in_list = in_list,
                        .filterable = filterable};
    int64_t id;
    const char *msg = NULL;
    return mh_fields_def_create(c, &d, &id, &msg);
}

static const char *joined(mh_pool_t *p, const char *const *v, size_t n)
{
    const char *s = "";
    for (size_t i = 0; i < n; i++)
        s = mh_psprintf(p, "%s%s%s", s, i ? "\n" : "", v[i]);
    return s;
}

static int set_images(mh_content_t *c, mh_pool_t *p, int64_t entry_id, const char *const *refs,
                      const char *const *caps, size_t n)
{
    mh_entry_image_t *im;
    size_t ni;
    const char *msg;
    int rc = mh_images_prepare(c, p, refs, caps, n, &im, &ni, &msg);
    return rc == MH_OK ? mh_images_set(c, entry_id, im, ni) : MH_ERR;
}

static int add_product(mh_content_t *c, mh_pool_t *p, int64_t lang_id, int64_t col, bool zh,
                       const struct demo_product *d, const char *const *refs, size_t nrefs,
                       int64_t group, int64_t *id)
{
    mh_field_value_t vals[] = {
        {.key = "material", .text = zh ? material_zh[d->material] : material_en[d->material]},
        {.key = "model", .text = d->model},
        {.key = "size", .text = zh ? size_zh[d->size] : size_en[d->size]},
    };
    const char *body =
        zh ? mh_psprintf(p, "<p>%s</p><p>型号：%s。可按图纸定制。</p>", d->summary_zh, d->model)
           : mh_psprintf(p, "<p>%s</p><p>Model %s. Made to drawing on request.</p>", d->summary_en,
                         d->model);
    mh_entry_t e = {.column_id = col,
                    .lang_id = lang_id,
                    .translation_group = group,
                    .title = zh ? d->title_zh : d->title_en,
                    .summary = zh ? d->summary_zh : d->summary_en,
                    .body_html = body,
                    .author = "admin",
                    .source = "",
                    .cover = refs[0],
                    .status = MH_STATUS_PUBLISHED};
    if (mh_parse_time(d->when, "+08:00", &e.publish_at) != MH_OK)
        return MH_ERR;
    e.created_at = e.updated_at = e.publish_at;
    if (mh_content_entry_save_fields(c, &e, id, vals, MH_ARRAY_LEN(vals)) != MH_OK)
        return MH_ERR;
    const char *caps[2] = {zh ? "正面" : "Front view", zh ? "细节" : "Detail"};
    if (set_images(c, p, *id, refs, caps, nrefs) != MH_OK)
        return MH_ERR;
    const char *titles[2] = {zh ? "规格参数" : "Specifications", zh ? "售后服务" : "Service"};
    const char *bodies[2] = {
        zh ? mh_psprintf(p,
                         "<table><tbody><tr><th>型号</th><td>%s</td></tr><tr><th>材质</th>"
                         "<td>%s</td></tr><tr><th>规格</th><td>%s</td></tr></tbody></table>",
                         d->model, material_zh[d->material], size_zh[d->size])
           : mh_psprintf(p,
                         "<table><tbody><tr><th>Model</th><td>%s</td></tr><tr><th>Material</th>"
                         "<td>%s</td></tr><tr><th>Size</th><td>%s</td></tr></tbody></table>",
                         d->model, material_en[d->material], size_en[d->size]),
        zh ? "<p>整机保修两年，48小时内响应。</p>"
           : "<p>Two years' warranty; we answer within 48 hours.</p>"};
    mh_entry_tab_t *tabs;
    size_t nt;
    const char *msg;
    if (mh_tabs_prepare(c, p, titles, bodies, 2, &tabs, &nt, &msg) != MH_OK ||
        mh_tabs_set(c, *id, tabs, nt) != MH_OK)
        return MH_ERR;
    return MH_OK;
}

/* A column of the language by path, or 0. */
static int64_t column(mh_content_t *c, mh_pool_t *p, int64_t lang_id, const char *path)
{
    mh_column_t col;
    return mh_content_column_by_path(c, p, lang_id, path, &col) == MH_OK ? col.id : 0;
}

/* The demo's feedback form (a column taking submissions, slug
 * "feedback"), or 0 when the demo has none yet. */
static int64_t feedback_column(mh_content_t *c, mh_pool_t *p, int64_t lang_id)
{
    mh_column_t *cols;
    size_t n;
    if (mh_content_columns(c, p, lang_id, &cols, &n) != MH_OK)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (mh_content_type_is(cols[i].module, MH_TYPE_SUBMIT) &&
            strcmp(cols[i].slug, "feedback") == 0)
            return cols[i].id;
    return 0;
}

int mh_demo_products_load(mh_content_t *c)
{
    mh_pool_t *p = mh_pool_create();
    mh_language_t *langs;
    size_t nlangs;
    int rc = MH_ERR;
    const char *prod_refs[MH_ARRAY_LEN(products)], *gal_refs[MH_ARRAY_LEN(gallery_en)];
    int64_t groups[MH_ARRAY_LEN(products)] = {0}, album_group = 0;
    if (mh_content_languages(c, p, &langs, &nlangs) != MH_OK)
        goto cleanup;
    for (size_t i = 0; i < MH_ARRAY_LEN(products); i++)
        if (!(prod_refs[i] = picture(c, p, (unsigned)i, mh_psprintf(p, "product-%zu.jpg", i + 1))))
            goto cleanup;
    for (size_t i = 0; i < MH_ARRAY_LEN(gallery_en); i++)
        if (!(gal_refs[i] =
                  picture(c, p, (unsigned)(i + 3), mh_psprintf(p, "gallery-%zu.jpg", i + 1))))
            goto cleanup;
    for (size_t l = 0; l < nlangs && l < 2; l++) {
        bool zh = strcmp(langs[l].code, "en") != 0;
        int64_t lang = langs[l].id, pc = column(c, p, lang, "products"),
                gc = column(c, p, lang, "gallery");
        int64_t ids[MH_ARRAY_LEN(products)];
        if (pc) {
            if (add_def(c, pc, "material", MH_FIELD_SELECT, zh ? "材质" : "Material",
                        joined(p, zh ? material_zh : material_en, 3), true, true) != MH_OK ||
                add_def(c, pc, "size", MH_FIELD_SELECT, zh ? "规格" : "Size",
                        joined(p, zh ? size_zh : size_en, 3), true, false) != MH_OK ||
                add_def(c, pc, "model", MH_FIELD_TEXT, zh ? "型号" : "Model", "", false, true) !=
                    MH_OK)
                goto cleanup;
            for (size_t i = 0; i < MH_ARRAY_LEN(products); i++) {
                /* two pictures each: its own and the next product's as a detail */
                const char *refs[2] = {prod_refs[i], prod_refs[(i + 1) % MH_ARRAY_LEN(products)]};
                if (add_product(c, p, lang, pc, zh, &products[i], refs, 2, groups[i], &ids[i]) !=
                    MH_OK)
                    goto cleanup;
                if (!groups[i])
                    groups[i] = ids[i];
            }
            for (size_t i = 0; i < MH_ARRAY_LEN(products); i++) {
                int64_t rel[2] = {ids[(i + 1) % MH_ARRAY_LEN(products)],
                                  ids[(i + 2) % MH_ARRAY_LEN(products)]};
                if (mh_related_set(c, ids[i], rel, 2) != MH_OK)
                    goto cleanup;
            }
            if (mh_column_options_set(c, pc, "grid", feedback_column(c, p, lang)) != MH_OK)
                goto cleanup;
        }
        if (gc) {
            mh_entry_t e = {.column_id = gc,
                            .lang_id = lang,
                            .translation_group = album_group,
                            .title = zh ? "示范区风光" : "Views of the Zone",
                            .summary = zh ? "示范区的八个场景。" : "Eight views of the zone.",
                            .body_html = zh ? "<p>示范区的八个场景。</p>"
                                            : "<p>Eight views of the demonstration area.</p>",
                            .author = "admin",
                            .source = "",
                            .cover = gal_refs[0],
                            .status = MH_STATUS_PUBLISHED};
            int64_t id;
            if (mh_parse_time("2023-07-01 10:00:00", "+08:00", &e.publish_at) != MH_OK)
                goto cleanup;
            e.created_at = e.updated_at = e.publish_at;
            if (mh_content_entry_create(c, &e, &id) != MH_OK ||
                set_images(c, p, id, gal_refs, zh ? gallery_zh : gallery_en,
                           MH_ARRAY_LEN(gallery_en)) != MH_OK)
                goto cleanup;
            if (!album_group)
                album_group = id;
        }
    }
    rc = MH_OK;
cleanup:
    mh_pool_destroy(p);
    return rc;
}
