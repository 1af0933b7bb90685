package dev.shoal.dataplane.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the project's test image exists, building it from the host's busybox with
 * {@code docker import} when it does not. Never pulls: there is no registry.
 */
public final class TestImage {
    private static final String BUILD = """
            set -e
            d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
            mkdir -p "$d/bin" "$d/www"; cp /usr/bin/busybox "$d/bin/"
            for a in sh sleep httpd nc wget echo cat ls ps kill true false env pwd; do ln -s busybox "$d/bin/$a"; done
            echo ok > "$d/www/index.html"
            tar -C "$d" -c . | docker import -c 'CMD ["/bin/sh"]' - %s >/dev/null
            """;

    private TestImage() {}

    public static synchronized void ensure(DockerClient docker) {
        try {
            docker.inspectImageCmd(TestTasks.IMAGE).exec();
            return;
        } catch (NotFoundException missing) {
            // build it below
        }
        try {
            Process p = new ProcessBuilder("bash", "-c", BUILD.formatted(TestTasks.IMAGE))
                    .redirectErrorStream(true).start();
            if (!p.waitFor(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("building " + TestTasks.IMAGE + " failed: " + new String(p.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("building " + TestTasks.IMAGE + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
