/* SPDX-License-Identifier: Apache-2.0 */
/*
 * This file contains simplebridge 0.3.0 for CubeUpgradeIT: the shipped data path with twice its filtering
 * database. A running instance's fdb map (4096 entries) cannot be shared with it, so polycubed must refuse this
 * version for that instance and leave the running data path as it is.
 */
#define FDB_SIZE 8192
#include "../../../../../cube-bundles/simplebridge/src/main/c/simplebridge.bpf.c"
