/* The mail module: a server module (http/server.h) with no routes whose
 * own thread sends the queue (mail.h). List it in cmd/masthead/modules.c
 * for every server that may queue mail. */
#ifndef MH_MAIL_MODULE_H
#define MH_MAIL_MODULE_H

#include "../http/server.h"

extern const mh_server_module_t mh_mail_module;

#endif
