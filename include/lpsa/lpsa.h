/* SPDX-License-Identifier: MIT */
/* lpsa/lpsa.h — everything a driver author includes. */
#ifndef LPSA_LPSA_H
#define LPSA_LPSA_H
#include "lpsa/driver.h"
#include "lpsa/host.h"
#include "lpsa/model.h"
#include "lpsa/status.h"
#endif
