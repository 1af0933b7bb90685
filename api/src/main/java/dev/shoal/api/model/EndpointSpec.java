package dev.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * How a service is reached, Docker's {@code EndpointSpec}: a virtual IP or DNS round robin, and
 * its published ports. Ingress ports are the routing mesh's (on every node); host ports are bound
 * on the node that runs the task, so the scheduler never puts two tasks that publish the same
 * host port on one node.
 */
public record EndpointSpec(ResolutionMode mode, List<PortConfig> ports) {
    public EndpointSpec {
        ports = ports == null ? null : List.copyOf(ports);
    }

    public enum ResolutionMode {
        VIP, DNSRR;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static ResolutionMode fromWire(String s) {
            return switch (s) {
                case "vip" -> VIP;
                case "dnsrr" -> DNSRR;
                default -> throw new IllegalArgumentException("invalid endpoint mode: " + s + ": must be vip or dnsrr");
            };
        }
    }

    public enum Protocol {
        TCP, UDP, SCTP;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Protocol fromWire(String s) {
            return switch (s) {
                case "tcp" -> TCP;
                case "udp" -> UDP;
                case "sctp" -> SCTP;
                default -> throw new IllegalArgumentException("invalid protocol: " + s + ": must be tcp, udp or sctp");
            };
        }
    }

    public enum PublishMode {
        INGRESS, HOST;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static PublishMode fromWire(String s) {
            return switch (s) {
                case "ingress" -> INGRESS;
                case "host" -> HOST;
                default -> throw new IllegalArgumentException("invalid publish mode: " + s + ": must be ingress or host");
            };
        }
    }

    /**
     * One published port.
     *
     * @param targetPort    the port inside the container
     * @param publishedPort the port on the nodes; 0 or null picks one (ingress only)
     */
    public record PortConfig(String name, Protocol protocol, Long targetPort, Long publishedPort, PublishMode publishMode) {
        public Protocol protocolOrDefault() {
            return protocol == null ? Protocol.TCP : protocol;
        }

        public PublishMode publishModeOrDefault() {
            return publishMode == null ? PublishMode.INGRESS : publishMode;
        }
    }
}
