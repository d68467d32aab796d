/* SPDX-License-Identifier: MIT */
/* The matching core without witness hooks: the production hot path. */
#define ZK_CORE_WITNESS 0
#include "core.h"
