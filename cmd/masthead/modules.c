/* The server modules compiled into masthead, in the order their routes are
 * tried (nginx's generated ngx_modules[] is the model). The admin is
 * mounted under its base path and comes first, so that no public column
 * can shadow it; the public site ends with catch-all rows (columns, the
 * themed 404) and comes last. To add a module: write its
 * mh_server_module_t (http/server.h) and list it here. */
#include "modules.h"

#include "../../src/admin/admin.h"
#include "../../src/api/api.h"
#include "../../src/mail/module.h"
#include "../../src/site/module.h"

const mh_server_module_t *const mh_modules[] = {&mh_admin_module, &mh_api_module, &mh_site_module,
                                                &mh_mail_module, NULL};

/* serve --no-admin: the public site alone */
const mh_server_module_t *const mh_modules_public[] = {&mh_api_module, &mh_site_module,
                                                       &mh_mail_module, NULL};
