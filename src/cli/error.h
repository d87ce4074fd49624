/* SPDX-License-Identifier: MIT */
/* Why a command failed: one line for main.c to print. */
#ifndef SW_ERROR_H
#define SW_ERROR_H

struct sw_error {
	char msg[512];
};

#endif
