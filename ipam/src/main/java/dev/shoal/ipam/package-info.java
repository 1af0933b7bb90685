/**
 * Address pools and the allocation of subnets, addresses and VIPs to networks, services and tasks; pure functions over cluster state, no I/O. Filled by issue 5 (overlay networks).
 */
package dev.shoal.ipam;
