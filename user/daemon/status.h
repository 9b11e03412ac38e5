/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Building blocks of the status document, shared by status.c and the
 * modes' own parts of it.
 */
#ifndef LAGBPF_DAEMON_STATUS_H
#define LAGBPF_DAEMON_STATUS_H

#include <stdint.h>
#include <json-c/json.h>

/* "schemaVersion" of every `show -j` document (docs/json.md): raised only
 * when a field is renamed, removed or changes meaning, never for a new one.
 */
#define LAG_JSON_SCHEMA_VERSION 1

#define J_ADD(o, k, v) json_object_object_add((o), (k), (v))
#define J_STR(s)       json_object_new_string(s)
#define J_INT(i)       json_object_new_int64((int64_t)(i))
#define J_BOOL(b)      json_object_new_boolean(!!(b))

json_object *status_mac(const uint8_t *m);
/* {"activity": true, ...}: the 8 bits of an LACP state octet. */
json_object *status_state_bits(uint8_t st);

#endif
