package dev.shoal.api.id;

import java.security.SecureRandom;

/** Generates object identifiers in Docker's shape: 25 characters of lower-case base 36. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    /** Length of a generated identifier. */
    public static final int LENGTH = 25;

    private Ids() {}

    /** A new random identifier. */
    public static String random() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static String requireValid(String kind, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(kind + " must not be empty");
        }
        return value;
    }
}
