/* SPDX-License-Identifier: MIT */
/*
 * What config.c (loading) and config_write.c (writing) share.
 *
 * Spec
 *  - zk_cfg_stp_parse() maps a [market.ID] stp value (cancel-newest,
 *    cancel-oldest, cancel-both) to its mode: 0, or -1 for any other text
 *    (the mode is then untouched).
 *  - zk_cfg_stp_name() is its inverse, "?" for a mode outside the table.
 */
#ifndef ZKCLOB_CONFIG_INT_H
#define ZKCLOB_CONFIG_INT_H

#include "zkclob/config.h"

int zk_cfg_stp_parse(const char *name, enum zk_stp_mode *mode);
const char *zk_cfg_stp_name(enum zk_stp_mode mode);

#endif /* ZKCLOB_CONFIG_INT_H */
