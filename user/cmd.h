/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The verbs of the lagbpf command. Each returns 0, 1 (error) or 2 (usage). */
#ifndef LAGBPF_CMD_H
#define LAGBPF_CMD_H

extern int cmd_json;    /* -j */
extern int cmd_pretty;  /* -p */

int cmd_attach(int argc, char **argv);
int cmd_detach(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_del(int argc, char **argv);

#endif
