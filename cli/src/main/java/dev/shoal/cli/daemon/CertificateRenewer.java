package dev.shoal.cli.daemon;

import dev.shoal.api.Routes;
import dev.shoal.api.client.ShoalClient;
import dev.shoal.api.message.Assignments;
import dev.shoal.api.message.NodeRenewRequest;
import dev.shoal.api.message.NodeRenewResponse;
import dev.shoal.ca.CertificatePem;
import dev.shoal.ca.Csr;
import dev.shoal.ca.JoinToken;
import dev.shoal.ca.NodeCredentials;
import dev.shoal.ca.RenewalPolicy;
import dev.shoal.ca.Role;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Keeps this node's certificate current, as swarmkit's node does: a new key and certificate at a
 * random point between 50% and 80% of the certificate's lifetime; at once when the swarm wants the
 * node in another role (a promotion or demotion, learned from the dispatcher), or when the swarm's
 * roots changed (a CA rotation: the new roots are trusted at once, and a certificate from the old
 * root is replaced). The CA ({@code node.renew} on any manager) decides the role and the expiry.
 *
 * <p>A renewed certificate is written to disk first and served from the next handshake on; a
 * changed role is handed to {@code roleChanged}, which restarts the node's swarm parts in the new
 * role. Renewal attempts retry with backoff while no manager answers.
 */
final class CertificateRenewer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateRenewer.class);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final NodeTls tls;
    private final ManagerLinks links;
    private final ManagerDirectory managers;
    private final Clock clock;
    private final Consumer<Role> roleChanged;
    private final Scheduler timer = Schedulers.newSingle("shoal-renew", true);
    private final Disposable.Swap scheduled = Disposables.swap();
    private final Disposable.Composite subscriptions = Disposables.composite();
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final RandomGenerator random = RandomGenerator.getDefault();
    private volatile boolean closed;

    CertificateRenewer(NodeTls tls, ManagerLinks links, ManagerDirectory managers, Clock clock, Consumer<Role> roleChanged) {
        this.tls = tls;
        this.links = links;
        this.managers = managers;
        this.clock = clock;
        this.roleChanged = roleChanged;
    }

    /** Schedules the next renewal and follows what the dispatcher says about this node. */
    void start(Flux<Assignments.NodeInfo> nodeInfo) {
        scheduleNext();
        subscriptions.add(nodeInfo.publishOn(timer).subscribe(this::onNodeInfo,
                e -> log.warn("the node's info stream failed: {}", e.toString())));
    }

    private void onNodeInfo(Assignments.NodeInfo info) {
        NodeCredentials current = tls.credentials();
        if (info.trustRoot() != null && !info.trustRoot().isBlank()) {
            List<X509Certificate> roots = CertificatePem.decode(info.trustRoot(), "the swarm's trusted roots");
            if (!digests(roots).equals(digests(current.roots()))) {
                log.info("the swarm's trusted roots changed ({} root(s)): trusting them from now on", roots.size());
                tls.update(current.withRoots(roots));
                current = tls.credentials();
            }
            boolean signedByCurrentRoot = current.certificate().getIssuerX500Principal().equals(roots.getFirst().getSubjectX500Principal())
                    && verifies(current.certificate(), roots.getFirst());
            if (!signedByCurrentRoot) {
                log.info("this node's certificate is from a previous root CA: renewing it");
                renewSoon("a CA rotation");
                return;
            }
        }
        Role wanted = "manager".equals(info.role()) ? Role.MANAGER : "worker".equals(info.role()) ? Role.WORKER : null;
        if (wanted != null && wanted != current.identity().role()) {
            log.info("the swarm wants this node as a {}; renewing its certificate for the new role", info.role());
            renewSoon("a role change");
        }
    }

    private static List<String> digests(List<X509Certificate> roots) {
        return roots.stream().map(JoinToken::digestOf).sorted().toList();
    }

    private static boolean verifies(X509Certificate cert, X509Certificate root) {
        try {
            cert.verify(root.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private void scheduleNext() {
        if (closed) {
            return;
        }
        Instant at = RenewalPolicy.nextRenewal(tls.credentials().certificate(), random);
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        scheduled.update(timer.schedule(() -> renewSoon("its scheduled renewal"), delay, java.util.concurrent.TimeUnit.MILLISECONDS));
        log.debug("next certificate renewal at {}", at);
    }

    /** Renews now unless a renewal is under way; retries with backoff until a manager answers. */
    void renewSoon(String why) {
        if (closed || !renewing.compareAndSet(false, true)) {
            return;
        }
        Role before = tls.identity().role();
        renew()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30)).filter(e -> !closed))
                .subscribeOn(timer)
                .doFinally(s -> renewing.set(false))
                .subscribe(renewed -> {
                    tls.update(renewed);
                    log.info("renewed this node's certificate for {} (role {}, valid until {})", why,
                            renewed.identity().role().ou(), renewed.notAfter());
                    scheduleNext();
                    if (renewed.identity().role() != before) {
                        roleChanged.accept(renewed.identity().role());
                    }
                }, e -> log.warn("certificate renewal stopped: {}", e.toString()));
    }

    private Mono<NodeCredentials> renew() {
        return Mono.defer(() -> {
            KeyPair keys = Csr.newKeyPair();
            String csr = Base64.getEncoder().encodeToString(Csr.toDer(Csr.create(keys, tls.identity().nodeId(), null)));
            String target = managers.next();
            return links.connect(target).flatMap(rs -> ShoalClient.of(rs)
                            .call(Routes.NODE_RENEW, new NodeRenewRequest(csr), NodeRenewResponse.class)
                            .timeout(CALL_TIMEOUT)
                            .doFinally(s -> rs.dispose()))
                    .map(r -> {
                        X509Certificate cert = CertificatePem.decode(r.certificate(), "the renewed certificate").getFirst();
                        List<X509Certificate> roots = CertificatePem.decode(r.rootCas(), "the roots from the CA");
                        return NodeCredentials.of(keys.getPrivate(), cert, roots);
                    })
                    .doOnError(e -> log.info("renewing through {} failed: {}", target, e.toString()));
        });
    }

    @Override
    public void close() {
        closed = true;
        scheduled.dispose();
        subscriptions.dispose();
        timer.dispose();
    }

    @Override
    public String toString() {
        return "CertificateRenewer[" + Objects.toString(tls.identity()) + "]";
    }
}
