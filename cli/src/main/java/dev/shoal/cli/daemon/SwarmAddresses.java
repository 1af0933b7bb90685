package dev.shoal.cli.daemon;

import dev.shoal.api.error.ApiException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;

/**
 * The listen and advertise addresses of {@code swarm init}, normalized to {@code host:port} as
 * Docker does: the listen address defaults to {@code 0.0.0.0:2377}; the port of either defaults to
 * 2377 (the advertise port to the listen port); without an advertise address the listen host is
 * used, or, for a wildcard listen host, the first IPv4 address of an interface that is up and is
 * neither loopback nor a container bridge.
 *
 * @param listen    {@code host:port}
 * @param advertise {@code host:port}
 */
record SwarmAddresses(String listen, String advertise) {

    /** @throws ApiException INVALID_ARGUMENT naming the field and the rule */
    static SwarmAddresses of(String listenAddr, String advertiseAddr) {
        HostPort listen = HostPort.parse("ListenAddr", listenAddr == null || listenAddr.isBlank()
                ? ShoalDaemon.DEFAULT_LISTEN_ADDR : listenAddr, ShoalDaemon.DEFAULT_MANAGER_PORT);
        HostPort advertise;
        if (advertiseAddr != null && !advertiseAddr.isBlank()) {
            advertise = HostPort.parse("AdvertiseAddr", advertiseAddr, listen.port());
            if (isWildcard(advertise.host())) {
                throw ApiException.invalid("AdvertiseAddr", advertiseAddr, "must be an address other nodes can reach, not " + advertise.host());
            }
        } else if (!isWildcard(listen.host())) {
            advertise = listen;
        } else {
            advertise = new HostPort(detectAddress(), listen.port());
        }
        return new SwarmAddresses(listen.toString(), advertise.toString());
    }

    HostPort listenHostPort() {
        return HostPort.ofChecked(listen);
    }

    HostPort advertiseHostPort() {
        return HostPort.ofChecked(advertise);
    }

    String advertiseHost() {
        return advertise.substring(0, advertise.lastIndexOf(':'));
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String detectAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual() || isContainerBridge(nic.getName())) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        return "127.0.0.1";
    }

    private static boolean isContainerBridge(String name) {
        return List.of("docker", "br-", "veth", "virbr", "cni", "flannel").stream().anyMatch(name::startsWith);
    }

    /** A host and port, {@code [v6]:port} for IPv6 literals. */
    record HostPort(String host, int port) {
        static HostPort parse(String field, String value, int defaultPort) {
            String v = value.strip();
            String host;
            String port = null;
            if (v.startsWith("[")) {
                int close = v.indexOf(']');
                if (close < 0) {
                    throw ApiException.invalid(field, value, "must be <ip>[:port]");
                }
                host = v.substring(0, close + 1);
                if (close + 1 < v.length()) {
                    if (v.charAt(close + 1) != ':') {
                        throw ApiException.invalid(field, value, "must be <ip>[:port]");
                    }
                    port = v.substring(close + 2);
                }
            } else {
                int colon = v.lastIndexOf(':');
                if (colon >= 0 && v.indexOf(':') != colon) {
                    throw ApiException.invalid(field, value, "an IPv6 address needs brackets: [<ip>]:port");
                }
                host = colon < 0 ? v : v.substring(0, colon);
                port = colon < 0 ? null : v.substring(colon + 1);
            }
            if (host.isEmpty() || !host.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw ApiException.invalid(field, value, "must be <ip>[:port]");
            }
            int p = defaultPort;
            if (port != null) {
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw ApiException.invalid(field, value, "the port must be a number between 1 and 65535");
                }
                boolean ephemeral = p == 0 && field.equals("ListenAddr"); // port 0: any free port (tests)
                if (!ephemeral && (p < 1 || p > 65535)) {
                    throw ApiException.invalid(field, value, "the port must be a number between 1 and 65535");
                }
            }
            return new HostPort(host, p);
        }

        /**
         * A {@code host:port} this class made and checked already (port 0 included: an ephemeral
         * listener, whose advertised address carries the same 0 until it is bound).
         */
        static HostPort ofChecked(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            return new HostPort(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }

        /** The host without the brackets of an IPv6 literal, for a socket address. */
        String bareHost() {
            return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        }

        InetSocketAddress socketAddress() {
            return new InetSocketAddress(bareHost(), port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
