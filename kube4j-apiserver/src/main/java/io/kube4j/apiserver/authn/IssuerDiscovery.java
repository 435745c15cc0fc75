package io.kube4j.apiserver.authn;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Service-account issuer discovery, as upstream serves it: {@code /.well-known/openid-configuration} and the
 * key set at {@code /openid/v1/jwks}, so that outside systems can verify bound tokens.
 */
public final class IssuerDiscovery {

    public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/openid/v1/jwks";

    private IssuerDiscovery() {
    }

    public static ObjectNode openIdConfiguration(String issuer, String jwksUri) {
        ObjectNode config = Json.object();
        config.put("issuer", issuer);
        config.put("jwks_uri", jwksUri);
        config.putArray("response_types_supported").add("id_token");
        config.putArray("subject_types_supported").add("public");
        config.putArray("id_token_signing_alg_values_supported").add("RS256").add("ES256");
        return config;
    }

    public static ObjectNode jwks(List<PublicKey> keys) {
        ObjectNode set = Json.object();
        ArrayNode array = set.putArray("keys");
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        for (PublicKey key : keys) {
            ObjectNode jwk = array.addObject();
            jwk.put("use", "sig");
            jwk.put("kid", Jwt.keyId(key));
            if (key instanceof RSAPublicKey rsa) {
                jwk.put("kty", "RSA").put("alg", "RS256");
                jwk.put("n", url.encodeToString(unsigned(rsa.getModulus(), 0)));
                jwk.put("e", url.encodeToString(unsigned(rsa.getPublicExponent(), 0)));
            } else if (key instanceof ECPublicKey ec) {
                jwk.put("kty", "EC").put("alg", "ES256").put("crv", "P-256");
                jwk.put("x", url.encodeToString(unsigned(ec.getW().getAffineX(), 32)));
                jwk.put("y", url.encodeToString(unsigned(ec.getW().getAffineY(), 32)));
            }
        }
        return set;
    }

    /** Big-endian bytes without the sign byte, left-padded to {@code length} when given. */
    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length > bytes.length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            return padded;
        }
        return bytes;
    }
}
