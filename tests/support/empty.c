/* SPDX-License-Identifier: MIT */
/* empty.c — keeps the test support library non-empty. */
typedef int lpsa_testsupport_unused;
