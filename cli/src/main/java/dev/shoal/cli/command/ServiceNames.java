package dev.shoal.cli.command;

import java.security.SecureRandom;
import java.util.List;

/**
 * Names for services created without {@code --name}, in Docker's {@code adjective_scientist}
 * shape. The API itself refuses an empty name, so the CLI picks one, as Docker's daemon would.
 */
final class ServiceNames {
    private static final List<String> ADJECTIVES = List.of(
            "agile", "bold", "brave", "calm", "clever", "eager", "fervent", "gentle", "happy", "keen",
            "lucid", "nimble", "quiet", "serene", "sharp", "steady", "swift", "vibrant", "wise", "zealous");
    private static final List<String> SCIENTISTS = List.of(
            "curie", "darwin", "euler", "faraday", "gauss", "hopper", "kepler", "lamport", "liskov", "lovelace",
            "maxwell", "meitner", "noether", "pascal", "ritchie", "shannon", "tesla", "thompson", "turing", "wozniak");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ServiceNames() {}

    static String random() {
        return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + SCIENTISTS.get(RANDOM.nextInt(SCIENTISTS.size()));
    }
}
