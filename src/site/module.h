/* The public site as a server module: the rows of the public URL space
 * (site.h), the theme's assets under /assets/, stored media under /media/,
 * and the background work public freshness relies on: publishing scheduled
 * entries (which starts a new content generation, so cached pages go) and
 * reloading the theme when its files change. It needs nothing from the
 * admin: `masthead serve --no-admin` runs it alone. */
#ifndef MH_SITE_MODULE_H
#define MH_SITE_MODULE_H

#include "../http/server.h"

extern const mh_server_module_t mh_site_module;

#endif
