/* The lists of server modules the program can run (modules.c). */
#ifndef MH_CMD_MODULES_H
#define MH_CMD_MODULES_H

#include "../../src/http/server.h"

/* Everything: the admin and the public site. */
extern const mh_server_module_t *const mh_modules[];
/* The public site without the admin (serve --no-admin). */
extern const mh_server_module_t *const mh_modules_public[];

#endif
