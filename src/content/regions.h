/* Region data for custom fields of kind region (model/fields.h): the
 * administrative divisions of China that masthead ships in
 * data/regions/cn.tsv, compiled into the program (scripts/gen-regions.sh).
 *
 * A region value is a path of names separated by "/": a province-level
 * division, then optionally one of its children, then optionally one of
 * that one's children ("山东省/青岛市/胶州市"). Each name may be the
 * Chinese or the English (pinyin) name, compared exactly (English ASCII
 * case-insensitively), so "Shandong/Qingdao/Jiaozhou" is the same place.
 * Municipalities list their districts directly ("北京市/海淀区"). */
#ifndef MH_CONTENT_REGIONS_H
#define MH_CONTENT_REGIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/pool.h"

typedef struct {
    const char *code;   /* GB/T 2260 style, "370281" */
    const char *zh;     /* "胶州市" */
    const char *en;     /* "Jiaozhou" */
    const char *parent; /* the parent's code, "" for a province-level division */
} mh_region_t;

/* The table (generated), parents before their children. */
extern const mh_region_t mh_region_table[];
extern const size_t mh_region_table_len;

/* The division with this code, or NULL. */
const mh_region_t *mh_region_by_code(const char *code);
/* The children of parent (its code; "" or NULL for the province level), in
 * table order, as an array in p. */
size_t mh_region_children(mh_pool_t *p, const char *parent, const mh_region_t ***out);
/* Is v a valid region path (1 to 3 levels, see above)? On success, when
 * codes is not NULL, codes[0..*depth) receive the divisions along it. */
bool mh_region_path_ok(const char *v, const mh_region_t **codes, size_t *depth);

#endif
