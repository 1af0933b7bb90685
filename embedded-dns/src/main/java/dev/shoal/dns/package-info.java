/**
 * The embedded DNS server for service discovery: service name to VIP, tasks.<service> to task addresses, forwarding of other names upstream. Filled by issue 6 (service discovery).
 */
package dev.shoal.dns;
