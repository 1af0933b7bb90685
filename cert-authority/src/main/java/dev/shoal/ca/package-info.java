/**
 * The swarm's certificate authority: root CA, node certificates issued from CSRs with the role in the OU, join tokens (SWMTKN-1-<ca digest>-<secret>), rotation, and Netty SslContexts for mutual TLS. Filled by issue 3 (a real cluster).
 */
package dev.shoal.ca;
