/* The token command (token.c). */
#ifndef MH_CMD_TOKEN_H
#define MH_CMD_TOKEN_H

/* `masthead token ARGS...` (argv after "token"); the exit status. */
int mh_cmd_token(int argc, char **argv);

#endif
