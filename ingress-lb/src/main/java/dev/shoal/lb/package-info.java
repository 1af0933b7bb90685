/**
 * The routing mesh: published ports on every node, VIP balancing inside overlay networks, PROXY protocol and the per-node health endpoint. Filled by issue 7 (routing mesh).
 */
package dev.shoal.lb;
