package dev.shoal.ca;

/**
 * A node's role in the swarm, carried in the organizational unit (OU) of its certificate.
 *
 * <p>The role is what the CA wrote into the certificate, never what a node claims: the OU of a
 * certificate signing request is ignored when the CA issues.
 */
public enum Role {
    /** A manager: runs Raft, the API and (when leader) the orchestrators. */
    MANAGER("swarm-manager"),
    /** A worker: runs tasks assigned by the dispatcher. */
    WORKER("swarm-worker");

    private final String ou;

    Role(String ou) {
        this.ou = ou;
    }

    /** The organizational unit written into certificates of this role, as Docker writes it. */
    public String ou() {
        return ou;
    }

    /**
     * The role whose {@linkplain #ou() OU} is {@code ou}.
     *
     * @throws IllegalArgumentException if {@code ou} is neither {@code swarm-manager} nor
     *     {@code swarm-worker}
     */
    public static Role fromOu(String ou) {
        for (Role role : values()) {
            if (role.ou.equals(ou)) {
                return role;
            }
        }
        throw new IllegalArgumentException(
                "unknown role OU '" + ou + "': expected " + MANAGER.ou + " or " + WORKER.ou);
    }
}
