package dev.shoal.ca;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves the node's current certificate, read from a supplier on every handshake, so that a
 * renewed certificate is used by the next connection without rebuilding any TLS context.
 *
 * <p>The chain served is the node certificate followed by the root that issued it
 * ({@link NodeCredentials#chain()}): a joining node verifies that root against its token's CA
 * digest. Accepted issuers that the peer names are ignored, so a peer that trusts another CA gets
 * our certificate and refuses it with a reason, rather than getting none.
 *
 * <p>Each credentials generation has its own alias (derived from the certificate's serial
 * number), and the last few generations are remembered, so that a handshake that chose its alias
 * just before a renewal still gets the key and chain that belong together. Thread-safe.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS_PREFIX = "swarm-node-";
    private static final int REMEMBERED = 4;

    private final Supplier<NodeCredentials> credentials;
    private final Map<String, NodeCredentials> recent = new LinkedHashMap<>(8, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NodeCredentials> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * A key manager serving whatever {@code credentials} returns at handshake time, typically
     * {@code reference::get} on the {@code AtomicReference} a renewal loop updates. The supplier
     * may return null while the node has no credentials: the node then presents no certificate.
     */
    public ReloadingKeyManager(Supplier<NodeCredentials> credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return choose(keyTypes);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return choose(keyTypes);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliases(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliases(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        NodeCredentials chosen = lookup(alias);
        return chosen == null ? null : chosen.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        NodeCredentials chosen = lookup(alias);
        return chosen == null ? null : chosen.key();
    }

    private String choose(String... keyTypes) {
        NodeCredentials current = credentials.get();
        if (current == null || keyTypes == null) {
            return null;
        }
        for (String keyType : keyTypes) {
            if (current.key().getAlgorithm().equalsIgnoreCase(keyType)) {
                String alias = aliasOf(current);
                synchronized (recent) {
                    recent.put(alias, current);
                }
                return alias;
            }
        }
        return null;
    }

    private String[] aliases(String keyType) {
        String alias = choose(keyType);
        return alias == null ? null : new String[] {alias};
    }

    private NodeCredentials lookup(String alias) {
        if (alias == null) {
            return null;
        }
        NodeCredentials current = credentials.get();
        if (current != null && alias.equals(aliasOf(current))) {
            return current;
        }
        synchronized (recent) {
            return recent.get(alias);
        }
    }

    private static String aliasOf(NodeCredentials credentials) {
        return ALIAS_PREFIX + credentials.certificate().getSerialNumber().toString(16);
    }
}
