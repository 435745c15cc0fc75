package io.kube4j.apiserver.authn;

import io.kube4j.apiserver.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Compact JWS tokens signed RS256 (RSA keys) or ES256 (EC P-256 keys), with the JDK's {@link Signature}. ES256
 * signatures are the raw r||s form JWS requires (the JDK's P1363 format), not DER.
 */
public final class Jwt {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** A token longer than this is not one of ours; refusing it early bounds the work a client can cause. */
    static final int MAX_LENGTH = 64 * 1024;

    private final ObjectNode header;
    private final ObjectNode claims;
    private final String signingInput;
    private final byte[] signature;

    private Jwt(ObjectNode header, ObjectNode claims, String signingInput, byte[] signature) {
        this.header = header;
        this.claims = claims;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    public ObjectNode header() {
        return header;
    }

    public ObjectNode claims() {
        return claims;
    }

    /** Signs {@code claims}; the header names the algorithm and the key id. */
    public static String sign(ObjectNode claims, PrivateKey key, String keyId) {
        ObjectNode header = Json.object();
        header.put("alg", algorithm(key.getAlgorithm()));
        if (keyId != null) {
            header.put("kid", keyId);
        }
        String input = ENCODER.encodeToString(Json.bytes(header)) + "." + ENCODER.encodeToString(Json.bytes(claims));
        try {
            Signature signer = Signature.getInstance(jdkAlgorithm(algorithm(key.getAlgorithm())));
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + ENCODER.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** Splits and decodes a token without checking its signature; null if it is not a well-formed JWS. */
    public static Jwt parse(String token) {
        if (token == null || token.length() > MAX_LENGTH) {
            return null;
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) >= 0 || second == token.length() - 1) {
            return null;
        }
        try {
            JsonNode header = Json.parse(DECODER.decode(token.substring(0, first)));
            JsonNode claims = Json.parse(DECODER.decode(token.substring(first + 1, second)));
            byte[] signature = DECODER.decode(token.substring(second + 1));
            if (!(header instanceof ObjectNode h) || !(claims instanceof ObjectNode c)) {
                return null;
            }
            return new Jwt(h, c, token.substring(0, second), signature);
        } catch (IllegalArgumentException | JacksonException e) {
            return null;
        }
    }

    /** Whether the signature is valid for {@code key}, with the algorithm the key type implies (never "none"). */
    public boolean verify(PublicKey key) {
        String expected = algorithm(key.getAlgorithm());
        JsonNode alg = header.get("alg");
        if (expected == null || alg == null || !expected.equals(alg.asString(""))) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(jdkAlgorithm(expected));
            verifier.initVerify(key);
            verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Upstream's key id: the unpadded base64url SHA-256 of the DER public key. */
    public static String keyId(PublicKey key) {
        try {
            return ENCODER.encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String algorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "RS256";
            case "EC" -> "ES256";
            default -> null;
        };
    }

    private static String jdkAlgorithm(String jwsAlgorithm) {
        return jwsAlgorithm.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format";
    }
}
