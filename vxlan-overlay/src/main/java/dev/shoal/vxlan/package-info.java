/**
 * VXLAN encapsulation (RFC 7348) in user space: TAP devices through the FFM API, the forwarding table, the ARP responder and the UDP VTEP on Netty epoll or io_uring. Filled by issue 5 (overlay networks).
 */
package dev.shoal.vxlan;
