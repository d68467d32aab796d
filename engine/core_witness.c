/* SPDX-License-Identifier: MIT */
/* The matching core logging every slot access into the attached witness. */
#define ZK_CORE_WITNESS 1
#include "core.h"
