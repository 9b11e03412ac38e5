// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* LACP mode's part of the status document: the LAG's "lacp" object and each
 * connection's selection, machines, actor and partner. Read-only.
 */
#include "daemon/mode_lacp.h"
#include "daemon/status.h"

static json_object *info_json(const struct lacp_info *i, int with_system)
{
	json_object *o = json_object_new_object();

	if (with_system) {
		J_ADD(o, "systemPriority", J_INT(i->system_priority));
		J_ADD(o, "systemId", status_mac(i->system));
	}
	J_ADD(o, "portPriority", J_INT(i->port_priority));
	J_ADD(o, "portNumber", J_INT(i->port));
	J_ADD(o, "key", J_INT(i->key));
	J_ADD(o, "stateByte", J_INT(i->state));
	J_ADD(o, "state", status_state_bits(i->state));
	return o;
}

void lacp_mode_status_member(const struct ctrl *c, const struct ctrl_member *mb, json_object *o)
{
	const struct lacp_port *p = lacp_mode_port(c, mb);

	if (!p)
		return;
	J_ADD(o, "selected", J_STR(lacp_selected_name[p->selected]));
	J_ADD(o, "reason", p->reason ? J_STR(lacp_reason_name[p->reason]) : NULL);
	J_ADD(o, "mux", J_STR(lacp_mux_state_name[p->mux_state]));
	J_ADD(o, "rx", J_STR(lacp_rx_state_name[p->rx_state]));
	J_ADD(o, "rxQueues", J_INT(lacp_mode(c)->port[mb->slot].queues));
	J_ADD(o, "xskSockets", J_INT(lacp_mode(c)->port[mb->slot].n_xsk));
	J_ADD(o, "actor", info_json(&p->actor, 0));
	J_ADD(o, "partner", info_json(&p->partner, 1));
}

/* The member that carries the LAG in fallback, or null. */
static json_object *fallback_member(const struct ctrl *c)
{
	int idx = lacp_sys_fallback_port(&lacp_mode(c)->sys);

	for (int i = 0; idx >= 0 && i < c->n; i++)
		if (lacp_mode(c)->port[c->m[i].slot].idx == idx)
			return J_STR(c->m[i].name);
	return NULL;
}

json_object *lacp_mode_status_lag(const struct ctrl *c)
{
	json_object *o = json_object_new_object();
	const struct lacp_sys *s = &lacp_mode(c)->sys;

	J_ADD(o, "active", J_BOOL(!c->cfg.passive));
	J_ADD(o, "rate", J_STR(lag_rate_name[c->cfg.rate]));
	J_ADD(o, "systemPriority", J_INT(s->cfg.system_priority));
	J_ADD(o, "systemId", status_mac(s->cfg.system_id));
	J_ADD(o, "key", J_INT(s->cfg.key));
	J_ADD(o, "maxActive", s->cfg.max_active ? J_INT(s->cfg.max_active) : NULL);
	J_ADD(o, "partnerSystemId", s->partner_valid ? status_mac(s->partner_system) : NULL);
	J_ADD(o, "partnerSystemPriority",
	      s->partner_valid ? J_INT(s->partner_system_priority) : NULL);
	J_ADD(o, "partnerKey", s->partner_valid ? J_INT(s->partner_key) : NULL);
	J_ADD(o, "partnerIndividual", s->partner_valid ? J_BOOL(s->partner_individual) : NULL);
	J_ADD(o, "aggregateWaitMs", J_INT(s->aggregate_wait * LACP_TICK_MS));
	J_ADD(o, "fallback", J_STR(lag_fallback_name[c->cfg.fallback]));
	J_ADD(o, "fallbackTimeout", J_INT(c->cfg.fallback_timeout));
	J_ADD(o, "fallbackMember", fallback_member(c));
	return o;
}
