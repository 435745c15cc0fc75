package io.kube4j.apiserver.authn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Static bearer tokens from {@code --token-auth-file}: CSV lines {@code token,user,uid,"group1,group2"} (the
 * groups column is optional), as upstream's tokenfile authenticator reads them.
 */
public final class TokenFileAuthenticator implements TokenAuthenticator, Authenticator {

    private final Map<String, UserInfo> tokens;

    public TokenFileAuthenticator(Map<String, UserInfo> tokens) {
        this.tokens = Map.copyOf(tokens);
    }

    public static TokenFileAuthenticator load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static TokenFileAuthenticator parse(String csv) {
        Map<String, UserInfo> tokens = new HashMap<>();
        int lineNumber = 0;
        for (String line : csv.split("\r?\n")) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line);
            if (fields.size() < 3) {
                throw new IllegalArgumentException("token file: line " + lineNumber
                        + ": expected at least 3 columns (token,user,uid)");
            }
            String token = fields.get(0);
            if (token.isEmpty()) {
                throw new IllegalArgumentException("token file: line " + lineNumber + ": empty token");
            }
            List<String> groups = new ArrayList<>();
            if (fields.size() >= 4) {
                for (String group : fields.get(3).split(",")) {
                    if (!group.isBlank()) {
                        groups.add(group.trim());
                    }
                }
            }
            tokens.put(token, new UserInfo(fields.get(1), fields.get(2), groups, Map.of()));
        }
        return new TokenFileAuthenticator(tokens);
    }

    /** One CSV record: comma separated, double-quoted fields may hold commas and doubled quotes. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }

    @Override
    public AuthenticationResult authenticateToken(String token, List<String> audiences) {
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        // compare every entry in constant time so response timing does not reveal a token's prefix
        UserInfo found = null;
        for (Map.Entry<String, UserInfo> entry : tokens.entrySet()) {
            if (MessageDigest.isEqual(entry.getKey().getBytes(StandardCharsets.UTF_8), presented)) {
                found = entry.getValue();
            }
        }
        return found == null ? AuthenticationResult.notApplicable() : AuthenticationResult.authenticated(found);
    }

    @Override
    public AuthenticationResult authenticate(AuthenticationRequest request) {
        String token = request.bearerToken();
        return token == null ? AuthenticationResult.notApplicable() : authenticateToken(token, List.of());
    }
}
