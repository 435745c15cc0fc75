package io.kube4j.controllers.clientbuilder;

import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service account's current token for a client's requests. A token is renewed once 80% of its lifetime has
 * passed (upstream's controller client builder keeps the same 20% leeway), so a request never carries an expired
 * token while the API server answers; when renewal fails the old token is used until it expires and renewal is
 * tried again on the next request.
 */
public final class ServiceAccountTokenSource implements OAuthTokenProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountTokenSource.class);

    /** A token and when it expires. */
    public record IssuedToken(String token, Instant expiration) {
    }

    private final String name;
    private final Supplier<IssuedToken> issuer;
    private final Clock clock;
    private IssuedToken current;
    private Instant renewAt;

    /** Fetches the first token at once, so a server that refuses to issue one fails the start, not a request. */
    public ServiceAccountTokenSource(String name, Supplier<IssuedToken> issuer, Clock clock) {
        this.name = name;
        this.issuer = issuer;
        this.clock = clock;
        renew();
    }

    @Override
    public synchronized String getToken() {
        Instant now = clock.instant();
        if (!now.isBefore(renewAt)) {
            try {
                renew();
            } catch (RuntimeException e) {
                if (!now.isBefore(current.expiration())) {
                    throw e;
                }
                LOG.warn("could not renew the token of {} (it expires at {}): {}", name, current.expiration(),
                        e.toString());
            }
        }
        return current.token();
    }

    /** When the current token will be replaced. */
    public synchronized Instant renewAt() {
        return renewAt;
    }

    private void renew() {
        Instant issuedAt = clock.instant();
        IssuedToken token = issuer.get();
        Duration lifetime = Duration.between(issuedAt, token.expiration());
        if (lifetime.isNegative()) {
            lifetime = Duration.ZERO;
        }
        current = token;
        renewAt = issuedAt.plus(lifetime.multipliedBy(4).dividedBy(5));
    }
}
