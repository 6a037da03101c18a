#include "theme.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/common.h"
#include "../core/file.h"

int mh_theme_image_widths(const char *theme_dir, int *out, size_t max, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/theme.json", theme_dir);
    char *text;
    size_t len;
    int rc = mh_file_read(path, 64 * 1024, &text, &len);
    if (rc == MH_ERR && errno == ENOENT)
        return 0;
    if (rc != MH_OK) {
        snprintf(err, errlen, "%s: cannot read it", path);
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    free(text);
    if (!root || !json_is_object(root)) {
        snprintf(err, errlen, "%s:%d: %s", path, root ? 1 : je.line,
                 root ? "not a JSON object" : je.text);
        json_decref(root);
        return -1;
    }
    json_t *ws = json_object_get(root, "image_widths");
    int n = 0;
    if (ws && !json_is_array(ws)) {
        snprintf(err, errlen, "%s: image_widths must be a list of numbers", path);
        n = -1;
    }
    size_t i;
    json_t *w;
    if (n == 0 && ws) {
        json_array_foreach(ws, i, w)
        {
            json_int_t v = json_is_integer(w) ? json_integer_value(w) : 0;
            if (v < 16 || v > 8192) {
                snprintf(err, errlen, "%s: image_widths: %s is not a width from 16 to 8192", path,
                         json_is_integer(w) ? "a value" : "an entry");
                n = -1;
                break;
            }
            /* insert in order, dropping duplicates */
            int x = (int)v;
            size_t k = 0;
            while (k < (size_t)n && out[k] < x)
                k++;
            if (k < (size_t)n && out[k] == x)
                continue;
            if ((size_t)n == max)
                continue;
            memmove(out + k + 1, out + k, ((size_t)n - k) * sizeof(*out));
            out[k] = x;
            n++;
        }
    }
    json_decref(root);
    return n;
}
