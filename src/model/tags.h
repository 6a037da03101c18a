/* Tags on entries: per language, each with a name as editors typed it and
 * a URL slug (Latin, pinyin for Chinese: mh_slugify), unique in the
 * language. An entry carries its tags in order. */
#ifndef MH_MODEL_TAGS_H
#define MH_MODEL_TAGS_H

#include <stdint.h>

typedef struct {
    int64_t id;
    int64_t lang_id;
    const char *name;
    const char *slug;
    int64_t count; /* entries carrying it (lists only; 0 elsewhere) */
} mh_tag_t;

#endif
