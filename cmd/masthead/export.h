/* The export command (export.c). */
#ifndef MH_CMD_EXPORT_H
#define MH_CMD_EXPORT_H

/* `masthead export ARGS...` (argv after "export"); the exit status. */
int mh_cmd_export(int argc, char **argv);

#endif
