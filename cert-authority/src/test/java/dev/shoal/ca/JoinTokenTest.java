package dev.shoal.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JoinTokenTest {
    private static final RootCa CA = RootCa.generate(TestCa.CLOCK);
    private static final String DIGEST = CA.digest();
    private static final String SECRET = "0123456789abcdefghijklmno";

    private final SecureRandom random = new SecureRandom();

    private static String refusal(String text) {
        return assertThrows(InvalidJoinTokenException.class, () -> JoinToken.parse(text)).getMessage();
    }

    @Test
    void generatedTokenHasDockersFormat() {
        String text = JoinToken.generate(CA, random).toString();

        assertTrue(Pattern.matches("SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}", text), text);
        assertEquals(9 + 50 + 1 + 25, text.length());
    }

    @Test
    void tokenRoundTrip() {
        JoinToken token = JoinToken.generate(CA, random);

        JoinToken parsed = JoinToken.parse(token.toString());

        assertEquals(token, parsed);
        assertEquals(CA.digest(), parsed.caDigest());
        assertTrue(parsed.matchesCa(CA.certificate()));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        JoinToken token = JoinToken.generate(CA, random);

        assertEquals(token, JoinToken.parse("  " + token + "\n"));
    }

    @Test
    void digestIsSha256OfTheDerCertificateInBase36() throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(CA.certificate().getEncoded());
        String expected = new BigInteger(1, hash).toString(36);

        assertEquals(50, DIGEST.length());
        assertEquals(expected, DIGEST.replaceFirst("^0+(?=.)", ""));
        assertEquals(DIGEST, JoinToken.digestOf(CA.certificate()));
    }

    @Test
    void digestOfAnotherRootDiffers() {
        RootCa other = RootCa.generate(TestCa.CLOCK);

        assertNotEquals(DIGEST, other.digest());
        assertFalse(JoinToken.generate(CA, random).matchesCa(other.certificate()));
    }

    @Test
    void secretsDiffer() {
        assertNotEquals(JoinToken.generate(CA, random).secret(), JoinToken.generate(CA, random).secret());
    }

    @Test
    void secretMatchesOnlyTheSameSecret() {
        JoinToken token = new JoinToken(DIGEST, SECRET);

        assertTrue(token.secretMatches(SECRET));
        assertFalse(token.secretMatches("0123456789abcdefghijklmnp"));
        assertFalse(token.secretMatches(SECRET.substring(1)));
        assertFalse(token.secretMatches(null));
    }

    @Test
    void emptyTokenIsRefused() {
        assertEquals("invalid join token: empty", refusal(" "));
    }

    @Test
    void tokenWithoutPrefixIsRefused() {
        assertEquals("invalid join token: must start with SWMTKN-", refusal("SWMTKX-1-" + DIGEST + "-" + SECRET));
    }

    @Test
    void unsupportedVersionIsRefused() {
        assertEquals("invalid join token: unsupported version '2' (expected 1)",
                refusal("SWMTKN-2-" + DIGEST + "-" + SECRET));
    }

    @Test
    void missingVersionIsRefusedWithoutEchoingTheRest() {
        String message = refusal("SWMTKN-" + SECRET);

        assertEquals("invalid join token: unsupported version (25 characters) (expected 1)", message);
    }

    @Test
    void tokenWithTooFewPartsIsRefused() {
        assertEquals("invalid join token: expected 4 parts separated by '-' (SWMTKN-1-<ca digest>-<secret>), found 3",
                refusal("SWMTKN-1-" + DIGEST));
    }

    @Test
    void tokenWithTooManyPartsIsRefused() {
        assertEquals("invalid join token: expected 4 parts separated by '-' (SWMTKN-1-<ca digest>-<secret>), found 5",
                refusal("SWMTKN-1-" + DIGEST + "-" + SECRET + "-x"));
    }

    @Test
    void shortDigestIsRefused() {
        assertEquals("invalid join token: the CA digest must be 50 base-36 characters",
                refusal("SWMTKN-1-" + DIGEST.substring(1) + "-" + SECRET));
    }

    @Test
    void upperCaseDigestIsRefused() {
        assertEquals("invalid join token: the CA digest must be 50 base-36 characters",
                refusal("SWMTKN-1-" + "A".repeat(50) + "-" + SECRET));
    }

    @Test
    void digestLargerThanSha256IsRefused() {
        assertEquals("invalid join token: the CA digest is not a SHA-256 value",
                refusal("SWMTKN-1-" + "z".repeat(50) + "-" + SECRET));
    }

    @Test
    void shortSecretIsRefused() {
        assertEquals("invalid join token: the secret must be 25 base-36 characters",
                refusal("SWMTKN-1-" + DIGEST + "-" + SECRET.substring(1)));
    }

    @Test
    void secretWithInvalidCharacterIsRefused() {
        assertEquals("invalid join token: the secret must be 25 base-36 characters",
                refusal("SWMTKN-1-" + DIGEST + "-" + SECRET.substring(1) + "_"));
    }

    @Test
    void emptySecretIsRefused() {
        assertEquals("invalid join token: the secret must be 25 base-36 characters",
                refusal("SWMTKN-1-" + DIGEST + "-"));
    }

    @Test
    void refusalsNeverContainTheSecret() {
        String secret = "s3cr3t0123456789abcdefghi";
        String[] malformed = {
            "SWMTKN-1-" + DIGEST.substring(2) + "-" + secret,
            "SWMTKN-1-" + DIGEST + "-" + secret + "x",
            "SWMTKN-9-" + DIGEST + "-" + secret,
            "SWMTKN-" + secret,
            "SWMTKN-1-" + DIGEST + "-" + secret + "-extra",
        };
        for (String text : malformed) {
            String message = refusal(text);
            assertFalse(message.contains(secret.substring(0, 6)), message);
        }
    }
}
