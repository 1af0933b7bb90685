package dev.shoal.api.error;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The leader's address in an UNAVAILABLE error from a manager that does not lead, as
 * {@code "... (leader: host:port)"}: an agent or a joining manager dials it next.
 */
public final class LeaderHint {
    private static final Pattern HINT = Pattern.compile("\\(leader: ([^)\\s]+)\\)");

    private LeaderHint() {}

    /** UNAVAILABLE "{@code what} (leader: addr)"; without the hint when {@code addr} is null. */
    public static ApiException notLeader(String what, String addr) {
        return new ApiException(ErrorCode.UNAVAILABLE, addr == null ? what + " (no leader known)" : what + " (leader: " + addr + ")");
    }

    /** The leader address an error names, if any. */
    public static Optional<String> of(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            String message = e.getMessage();
            if (message != null) {
                Matcher m = HINT.matcher(message);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }
}
